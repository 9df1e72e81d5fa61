import Testing
@testable import HTTPServer

@Test func moduleLoads() {
    #expect(Bool(true))
}

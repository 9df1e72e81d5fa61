import Testing
@testable import ActivationEngine

@Test func moduleLoads() {
    #expect(Bool(true))
}

import Testing
@testable import ActivationService

@Test func moduleLoads() {
    #expect(Bool(true))
}

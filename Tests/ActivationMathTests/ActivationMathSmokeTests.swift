import Testing
@testable import ActivationMath

@Test func aliasesResolveToCanonicalNames() {
    #expect(ActivationFunction(named: "silu") == .swish)
    #expect(ActivationFunction(named: "leaky_relu") == .leakyReLU)
    #expect(ActivationFunction(named: "no_such_function") == nil)
}

@Test func reluValueAndDerivative() {
    let p = ResolvedParameters()
    #expect(ElementwiseEvaluator.value(.relu, parameters: p, at: -2) == 0)
    #expect(ElementwiseEvaluator.value(.relu, parameters: p, at: 3) == 3)
    #expect(ElementwiseEvaluator.derivative(.relu, parameters: p, at: 0) == 0)
    #expect(ElementwiseEvaluator.derivative(.relu, parameters: p, at: .infinity) == 1)
    #expect(ElementwiseEvaluator.value(.relu, parameters: p, at: .nan).isNaN)
}

import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// The parallel path must give the serial path's bits: values, gradients and parameter-gradient
/// sums (chunks are fixed by chunkLength, not by the number of threads, and merged in order).
@Suite struct ParallelTests {
    static let serial = Engine(configuration: EngineConfiguration(parallelThreshold: .max, chunkLength: 1_000))
    static let parallel = Engine(configuration: EngineConfiguration(parallelThreshold: 1, chunkLength: 1_000))

    func compare(_ evaluation: Evaluation) throws {
        let a = try Self.serial.evaluate(evaluation)
        let b = try Self.parallel.evaluate(evaluation)
        #expect(sameBits(a.values, b.values), "\(evaluation.function) values")
        #expect(sameBits(a.gradients, b.gradients), "\(evaluation.function) gradients")
        #expect(a.parameterGradients.map(\.name) == b.parameterGradients.map(\.name))
        for (p, q) in zip(a.parameterGradients, b.parameterGradients) {
            switch (p.value, q.value) {
            case (.number(let u), .number(let v)): #expect(u.bitPattern == v.bitPattern)
            case (.numbers(let u), .numbers(let v)): #expect(u.map(\.bitPattern) == v.map(\.bitPattern))
            default: Issue.record("parameter gradient kinds differ")
            }
        }
    }

    @Test(arguments: ["softmax", "log_softmax", "sparsemax", "glu", "geglu"], [DType.float64, .float32])
    func vectorFunctions(function: String, dtype: DType) throws {
        try compare(Evaluation(
            function: function, axis: 1, input: patterned([64, 40, 8], dtype: dtype, scale: 4),
            gradOutput: patterned([64, function.hasSuffix("glu") ? 20 : 40, 8], dtype: dtype, scale: 1)))
    }

    @Test(arguments: ["relu", "sigmoid", "swish", "star_relu", "snake", "prelu"], [DType.float64, .float32])
    func elementwiseFunctions(function: String, dtype: DType) throws {
        try compare(Evaluation(
            function: function, input: patterned([37, 1_001], dtype: dtype, scale: 5),
            gradOutput: patterned([37, 1_001], dtype: dtype, scale: 2)))
    }

    @Test func perChannelPReLU() throws {
        let alphas = (0..<16).map { 0.01 * Double($0) }
        try compare(Evaluation(
            function: "prelu", parameters: ["alpha": .numbers(alphas)], input: patterned([50, 16, 30], scale: 5),
            gradOutput: patterned([50, 16, 30], scale: 2)))
    }
}

import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// Elementwise evaluations through the engine: N-D shapes, both dtypes, grad_output, parameter
/// resolution from the real catalogue, learnable-parameter gradients (per channel for prelu).
@Suite struct ElementwiseTests {
    @Test(arguments: [DType.float64, .float32], [[Int](), [5], [2, 3, 4], [1, 2, 1, 3, 1, 2]])
    func nDimensionalMatchesScalarKernel(dtype: DType, shape: [Int]) throws {
        let input = patterned(shape, dtype: dtype, scale: 2)
        let parameters = ResolvedParameters(["alpha": .number(dtype == .float32 ? Double(Float(0.2)) : 0.2)])
        let result = try Engine().evaluate(Evaluation(
            function: "leaky_relu", parameters: ["alpha": .number(0.2)], input: input))
        #expect(result.shape == shape)
        #expect(result.dtype == dtype)
        #expect(result.parameters == parameters)
        let x = input.storage.doubles
        let y = try #require(result.values).storage.doubles
        let dy = try #require(result.gradients).storage.doubles
        for i in x.indices {
            let value = ElementwiseEvaluator.value(.leakyReLU, parameters: parameters, at: x[i])
            let derivative = ElementwiseEvaluator.derivative(.leakyReLU, parameters: parameters, at: x[i])
            #expect(y[i] == (dtype == .float32 ? Double(Float(value)) : value))
            #expect(dy[i] == derivative)
        }
    }

    @Test func gradOutputMultipliesTheDerivative() throws {
        let x = Tensor([-2, -0.5, 0, 0.5, 2])
        let g = Tensor([3, -1, 7, 0.25, -4])
        let result = try Engine().evaluate(Evaluation(function: "hardtanh", input: x, gradOutput: g))
        // hardtanh' is 1 strictly inside (−1, 1) and 0 outside.
        #expect(result.gradients?.storage.doubles == [0, -1, 7, 0.25, 0])
    }

    @Test func conventionsChangeTheKinkOnly() throws {
        let x = Tensor([-1, 0, 1])
        let pytorch = try Engine().evaluate(Evaluation(function: "leaky_relu", input: x))
        let jax = try Engine().evaluate(Evaluation(function: "leaky_relu", conventions: .jax, input: x))
        #expect(pytorch.gradients?.storage.doubles == [0.01, 0.01, 1])
        #expect(jax.gradients?.storage.doubles == [0.01, 1, 1])
        #expect(pytorch.values == jax.values)
    }

    @Test func float32ParametersAreRoundedBeforeUse() throws {
        let result = try Engine().evaluate(Evaluation(
            function: "leaky_relu", parameters: ["alpha": .number(0.1)], input: Tensor(float32: [-3])))
        let alpha = Double(Float(0.1))
        #expect(result.parameters["alpha"] == .number(alpha))
        #expect(result.values?.storage == .float32([Float(alpha * -3)]))
    }

    @Test func perChannelPReLUValuesAndParameterGradients() throws {
        let shape = [2, 3, 4]
        let alphas = [0.1, 0.2, 0.3]
        let x = patterned(shape, scale: 2)
        let g = patterned(shape, scale: 1.5)
        let result = try Engine().evaluate(Evaluation(
            function: "prelu", parameters: ["alpha": .numbers(alphas)], input: x, gradOutput: g))
        let xs = x.storage.doubles, gs = g.storage.doubles
        let y = try #require(result.values).storage.doubles
        let dy = try #require(result.gradients).storage.doubles
        var expected = [0.0, 0.0, 0.0]
        for i in xs.indices {
            let channel = (i / 4) % 3
            #expect(y[i] == (xs[i] >= 0 ? xs[i] : alphas[channel] * xs[i]))
            #expect(dy[i] == gs[i] * (xs[i] > 0 ? 1 : alphas[channel]))
            if xs[i] < 0 { expected[channel] += gs[i] * xs[i] }
        }
        guard case .numbers(let sums)? = result.parameterGradient("alpha") else {
            Issue.record("per-channel alpha gave no per-channel gradient")
            return
        }
        #expect(sums.count == 3)
        for (a, b) in zip(sums, expected) { #expect(abs(a - b) <= 1e-14 * max(1, abs(b))) }
    }

    @Test(arguments: [[40, 3], [4, 3, 300]])
    func perChannelPReLUOnEveryLayout(shape: [Int]) throws {
        // [N, C] gathers each channel's single-element blocks; [N, C, 300] runs blocks in place.
        let alphas = [0.05, -0.5, 2.0]
        let x = patterned(shape, scale: 2)
        let g = patterned(shape, scale: 1.5)
        let result = try Engine().evaluate(Evaluation(
            function: "prelu", parameters: ["alpha": .numbers(alphas)], input: x, gradOutput: g))
        let inner = shape.dropFirst(2).reduce(1, *)
        let xs = x.storage.doubles, gs = g.storage.doubles
        let y = try #require(result.values).storage.doubles
        let dy = try #require(result.gradients).storage.doubles
        var expected = [0.0, 0.0, 0.0]
        for i in xs.indices {
            let channel = (i / inner) % 3
            #expect(y[i] == (xs[i] >= 0 ? xs[i] : alphas[channel] * xs[i]))
            #expect(dy[i] == gs[i] * (xs[i] > 0 ? 1 : alphas[channel]))
            if xs[i] < 0 { expected[channel] += gs[i] * xs[i] }
        }
        guard case .numbers(let sums)? = result.parameterGradient("alpha") else {
            Issue.record("no per-channel gradient")
            return
        }
        for (a, b) in zip(sums, expected) { #expect(abs(a - b) <= 1e-13 * max(1, abs(b))) }
    }

    @Test func singleAlphaGivesOneGradient() throws {
        let x = Tensor([-2, 3, -1])
        let number = try Engine().evaluate(Evaluation(function: "prelu", input: x))
        #expect(number.parameterGradient("alpha") == .number(-3))
        let list = try Engine().evaluate(Evaluation(function: "prelu", parameters: ["alpha": .numbers([0.5])], input: x))
        #expect(list.parameterGradient("alpha") == .numbers([-3]))
        #expect(list.values?.storage.doubles == [-1, 3, -0.5])
    }

    @Test func perChannelAlphaNeedsAChannelAxis() throws {
        let error = try #require(engineError([
            Evaluation(function: "prelu", parameters: ["alpha": .numbers([0.1, 0.2])], input: Tensor([1, -1])),
        ]))
        #expect(error.code == .parameterShapeMismatch)
        let wrongLength = try #require(engineError([
            Evaluation(function: "prelu", parameters: ["alpha": .numbers([0.1, 0.2])], input: patterned([2, 3])),
        ]))
        #expect(wrongLength.details["channels"] == .int(3))
    }

    @Test func twoLearnableParametersInMetadataOrder() throws {
        let x = Tensor([-1, 2, 3])
        let g = Tensor([1, 0.5, -2])
        let result = try Engine().evaluate(Evaluation(function: "star_relu", input: x, gradOutput: g))
        #expect(result.parameterGradients.map(\.name) == ["scale", "bias"])
        // ∂/∂scale = relu(x)², ∂/∂bias = 1.
        #expect(result.parameterGradient("scale") == .number(0.5 * 4 - 2 * 9))
        #expect(result.parameterGradient("bias") == .number(1 + 0.5 - 2))
    }

    @Test func valuesOnlyComputesNoParameterGradients() throws {
        let result = try Engine().evaluate(Evaluation(function: "prelu", input: Tensor([-1]), outputs: .values))
        #expect(result.parameterGradients.isEmpty)
        #expect(result.gradients == nil)
    }

    @Test func requiredParametersAndRealBounds() throws {
        let missing = try #require(engineError([Evaluation(function: "threshold", input: Tensor([1]))]))
        #expect(missing.code == .missingParameter)
        let ok = Evaluation(
            function: "threshold", parameters: ["threshold": .number(0.5), "value": .number(-1)],
            input: Tensor([0.2, 0.7]))
        #expect(try Engine().evaluate(ok).values?.storage.doubles == [-1, 0.7])
        let negative = try #require(engineError([
            Evaluation(function: "hardshrink", parameters: ["lambd": .number(-0.1)], input: Tensor([1])),
        ]))
        #expect(negative.code == .parameterOutOfRange)
    }

    @Test func aliasesResolveToCanonicalNames() throws {
        let result = try Engine().evaluate(Evaluation(function: "hardswish", input: Tensor([1])))
        #expect(result.function == .hardSwish)
    }

    @Test func largeInputsSplitIntoChunksGiveTheSameAnswer() throws {
        let input = patterned([300_001], scale: 4)
        let result = try Engine().evaluate(Evaluation(function: "relu6", input: input))
        let y = try #require(result.values).storage.doubles
        for (i, x) in input.storage.doubles.enumerated() { #expect(y[i] == min(max(x, 0), 6)) }
    }
}

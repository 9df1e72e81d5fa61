import Foundation
import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// The two compilations of the kernels (``KernelBuild``) must give the same bits for every
/// function, parameter set, convention, dtype and output selection, so that which one a machine
/// runs is invisible in the answers. And the build an engine picks must be the one the processor
/// supports.
@Suite struct KernelBuildTests {
    /// Whether /proc/cpuinfo lists every x86-64-v3 feature: a second opinion on cpuid.
    static var cpuinfoHasV3: Bool {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return false }
        let flags = Set(flagsLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        let required = ["avx", "avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c", "sse4_2", "ssse3",
                        "popcnt", "cx16", "xsave"]
        return required.allSatisfy(flags.contains)
    }

    @Test func detectionMatchesTheProcessor() {
        #if arch(x86_64)
        #expect(KernelBuild.x86_64_v3.isAvailable == Self.cpuinfoHasV3)
        #else
        #expect(!KernelBuild.x86_64_v3.isAvailable)
        #endif
        #expect(KernelBuild.baseline.isAvailable)
        #expect(KernelBuild.best == (KernelBuild.x86_64_v3.isAvailable ? .x86_64_v3 : .baseline))
        #expect(EngineConfiguration().kernels == KernelBuild.best)
    }

    @Test func anUnavailableBuildFallsBackToTheBaseline() {
        var configuration = EngineConfiguration(kernels: .x86_64_v3)
        #expect(configuration.kernels == (KernelBuild.x86_64_v3.isAvailable ? .x86_64_v3 : .baseline))
        configuration.kernels = .baseline
        #expect(configuration.kernels == .baseline)
    }

    /// Special values, the neighbours of every kink, magnitudes from the smallest subnormal to the
    /// largest double, a dense grid over the interesting range, and seeded random bit patterns.
    static let inputs: [Double] = {
        var xs: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude,
                            -.leastNonzeroMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude,
                            .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for kink in [0.5, 1, 1.5, 2, 3, 6, 0.75, 1e-8] {
            for k in [kink, -kink] {
                xs += [k, k.nextUp, k.nextDown, k.nextUp.nextUp, k.nextDown.nextDown]
            }
        }
        for e in stride(from: -1074.0, through: 1023.0, by: 0.75) {
            xs += [Double.pow(2, e), -Double.pow(2, e)]
        }
        for i in -4_800...4_800 { xs.append(Double(i) / 64) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0..<6_000 { xs.append(Double(bitPattern: next())) }
        for _ in 0..<6_000 { xs.append((Double(next() >> 11) / 0x1p53 - 0.5) * 100) }
        return xs
    }()

    /// Every elementwise function at its defaults, and again with non-default parameters.
    static let cases: [(String, [String: ParameterInput])] = {
        var cases = Catalogue.all.filter { $0.kind == .elementwise && $0.name != "threshold" }.map {
            ($0.name, [String: ParameterInput]())
        }
        cases += [
            ("threshold", ["threshold": .number(0.5), "value": .number(-1)]),
            ("leaky_relu", ["alpha": .number(0.2)]),
            ("prelu", ["alpha": .number(-0.3)]),
            ("rrelu", ["lower": .number(0.05), "upper": .number(0.5)]),
            ("leaky_relu6", ["alpha": .number(0.3), "cap": .number(2)]),
            ("elu", ["alpha": .number(0.5)]),
            ("celu", ["alpha": .number(2.5)]),
            ("gelu", ["approximate": .string("tanh")]),
            ("hardtanh", ["min_val": .number(-2), "max_val": .number(3)]),
            ("softplus", ["beta": .number(2), "threshold": .number(10)]),
            ("softplus", ["beta": .number(0.3)]),
            ("swish", ["beta": .number(1.7)]),
            ("hardshrink", ["lambd": .number(1.5)]),
            ("softshrink", ["lambd": .number(1.5)]),
            ("squareplus", ["b": .number(0.5)]),
            ("star_relu", ["scale": .number(0.8944), "bias": .number(-0.4472)]),
            ("snake", ["alpha": .number(3)]),
            ("snake", ["alpha": .number(0.25)]),
        ]
        return cases
    }()

    func evaluate(_ evaluation: Evaluation) throws {
        #if arch(x86_64)
        try #require(KernelBuild.x86_64_v3.isAvailable == Self.cpuinfoHasV3)
        #endif
        let builds = KernelBuild.allCases.filter(\.isAvailable)
        let engines = builds.map { Engine(configuration: EngineConfiguration(parallelThreshold: .max, kernels: $0)) }
        let results = try engines.map { try $0.evaluate(evaluation) }
        for (build, result) in zip(builds.dropFirst(), results.dropFirst()) {
            let reference = results[0]
            let label = "\(evaluation.function) \(evaluation.parameters) \(evaluation.dtype.rawValue) "
                + "\(evaluation.conventions) \(build.rawValue)"
            #expect(firstDifference(result.values, reference.values) == nil, "values: \(label)")
            #expect(firstDifference(result.gradients, reference.gradients) == nil, "gradients: \(label)")
            for (p, q) in zip(result.parameterGradients, reference.parameterGradients) {
                if case .number(let u) = p.value, case .number(let v) = q.value {
                    #expect(same(u, v), "∂\(p.name): \(u) vs \(v), \(label)")
                } else {
                    Issue.record("parameter gradient kinds differ: \(label)")
                }
            }
        }
    }

    /// Equal bits, except that any two NaNs are equal: IEEE 754 leaves a NaN's sign and payload
    /// to the implementation, the vector and scalar instructions choose differently, and JSON
    /// answers carry no NaN bits.
    func same(_ a: Double, _ b: Double) -> Bool {
        a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
    }

    /// The first index where two tensors differ (as ``same(_:_:)`` sees it), with both values.
    func firstDifference(_ a: Tensor?, _ b: Tensor?) -> String? {
        func doubles(_ t: Tensor?) -> [Double]? {
            switch t?.storage {
            case .float32(let xs)?: xs.map(Double.init)
            case .float64(let xs)?: xs
            case nil: nil
            }
        }
        guard a?.shape == b?.shape, let x = doubles(a), let y = doubles(b) else {
            return doubles(a) == nil && doubles(b) == nil ? nil : "shapes or presence differ"
        }
        guard let i = x.indices.first(where: { !same(x[$0], y[$0]) }) else { return nil }
        return "at \(i) (input \(Self.inputs[i])): \(x[i]) vs \(y[i])"
    }

    @Test(arguments: [DType.float64, .float32], [KinkConvention.pytorch, .jax])
    func elementwiseFunctionsGiveTheSameBits(dtype: DType, convention: KinkConvention) throws {
        let input = try Self.tensor(Self.inputs, dtype)
        // grad_output mixes signs and magnitudes (and is the values-then-gradients loop's other
        // branch); the run without it is the all-ones fast path.
        let weights = try Self.tensor(Self.inputs.indices.map { i in Double(i % 7) - 2.5 }, dtype)
        for (function, parameters) in Self.cases {
            try evaluate(Evaluation(
                function: function, parameters: parameters, dtype: dtype, conventions: convention, input: input))
            try evaluate(Evaluation(
                function: function, parameters: parameters, dtype: dtype, conventions: convention, input: input,
                gradOutput: weights))
        }
    }

    /// identity, relu, leaky_relu, relu6 and hardtanh run float32 natively (ElementwiseDispatch's
    /// dispatchNativeFloat): the answers must be those of the double path rounded to float32.
    @Test(arguments: [KinkConvention.pytorch, .jax])
    func floatNativeFunctionsMatchTheDoublePath(convention: KinkConvention) throws {
        let floats = Self.inputs.map { Float($0) }
        let asFloat = try Tensor(shape: [floats.count], float32: floats)
        let asDouble = try Tensor(shape: [floats.count], float64: floats.map { Double($0) })
        let weights = floats.indices.map { i in Float(i % 7) - 2.5 }
        let cases: [(String, [String: ParameterInput])] = [
            // Parameters given as float32 values, so that the float64 run uses the same ones
            // (a float32 evaluation rounds its parameters, defaults included, to float32).
            ("identity", [:]), ("relu", [:]), ("relu6", [:]), ("leaky_relu", ["alpha": .number(Double(Float(0.01)))]),
            ("leaky_relu", ["alpha": .number(Double(Float(0.3)))]), ("hardtanh", [:]),
            ("hardtanh", ["min_val": .number(Double(Float(-0.7))), "max_val": .number(Double(Float(2.2)))]),
        ]
        for (function, parameters) in cases {
            for gradOutput in [nil, weights] {
                let f = try Engine().evaluate(Evaluation(
                    function: function, parameters: parameters, dtype: .float32, conventions: convention,
                    input: asFloat, gradOutput: try gradOutput.map { try Tensor(shape: [floats.count], float32: $0) }))
                let d = try Engine().evaluate(Evaluation(
                    function: function, parameters: parameters, dtype: .float64, conventions: convention,
                    input: asDouble,
                    gradOutput: try gradOutput.map { try Tensor(shape: [floats.count], float64: $0.map(Double.init)) }))
                func rounded(_ t: Tensor?) -> Tensor? {
                    guard case .float64(let xs)? = t?.storage else { return nil }
                    return try? Tensor(shape: t!.shape, float32: xs.map { Float($0) })
                }
                let label = "\(function) \(parameters) \(convention) grad_output: \(gradOutput != nil)"
                #expect(firstDifference(f.values, rounded(d.values)) == nil, "values: \(label)")
                #expect(firstDifference(f.gradients, rounded(d.gradients)) == nil, "gradients: \(label)")
            }
        }
    }

    @Test(arguments: ["glu", "reglu", "geglu", "swiglu"])
    func gatedUnitsGiveTheSameBits(function: String) throws {
        let half = Self.inputs.count / 2
        let input = try Self.tensor(Array(Self.inputs[0..<2 * half]), .float64, shape: [half / 8, 16])
        try evaluate(Evaluation(function: function, input: input))
        try evaluate(Evaluation(function: function, parameters: ["gate": .string("first")], input: input))
        if function == "geglu" {
            try evaluate(Evaluation(function: function, parameters: ["approximate": .string("tanh")], input: input))
        }
    }

    /// The softmax family's and the GLU family's slice kernels are compiled in both builds too
    /// (ActivationMath/Kernels/Vector): every vector reference case, random and adversarial
    /// (cancelling VJPs that take the certified slow path, underflowing exponentials, extreme
    /// magnitudes), with its upstream gradient, and without one.
    @Test(arguments: ["softmax", "softmin", "log_softmax", "sparsemax", "glu", "reglu", "geglu", "swiglu"])
    func vectorFunctionsGiveTheSameBits(function: String) throws {
        let cases = (VectorReference.all + VectorReference.adversarial).filter { $0.function == function }
        #expect(!cases.isEmpty)
        for reference in cases {
            try evaluate(reference.evaluation)
            var withoutGradient = reference.evaluation
            withoutGradient.gradOutput = nil
            try evaluate(withoutGradient)
            // Values alone take lanes of their own in the GLU family.
            var valuesAlone = reference.evaluation
            valuesAlone.outputs = .values
            try evaluate(valuesAlone)
        }
    }

    static func tensor(_ xs: [Double], _ dtype: DType, shape: [Int]? = nil) throws -> Tensor {
        let shape = shape ?? [xs.count]
        let n = shape.reduce(1, *)
        switch dtype {
        case .float64: return try Tensor(shape: shape, float64: Array(xs[0..<n]))
        case .float32: return try Tensor(shape: shape, float32: xs[0..<n].map { Float($0) })
        }
    }
}

import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// The vector functions against correctly rounded mpmath references, values and VJPs, float64
/// and float32: the random and fixed cases of scripts/references/vector_references.py (±large,
/// ±inf, NaN, ties) and the worst cases scripts/references/adversarial.py has found (VJPs that
/// cancel, subnormal and underflowing terms, extreme magnitudes).
///
/// Errors are plain ulps of the exact result (the smallest subnormal's spacing below the normal
/// range), also where the VJP's formula cancels. Bounds: each function's metadata statement
/// (``FunctionAccuracy``), which StatedAccuracyTests keeps within issue 11's bars.
@Suite struct VectorReferenceTests {
    struct Worst: CustomStringConvertible {
        var values = 0.0
        var gradients = 0.0
        var subnormalValues = 0.0
        var subnormalGradients = 0.0
        var description: String {
            "values \(values) ulp, gradients \(gradients) ulp (subnormal results \(subnormalValues), \(subnormalGradients))"
        }
    }

    static func isSubnormal(_ v: Double, _ dtype: DType) -> Bool {
        v.isFinite && abs(v) < (dtype == .float32 ? Double(Float.leastNormalMagnitude) : Double.leastNormalMagnitude)
    }

    /// A VJP or value of the vector function is held to its metadata's accuracy statement
    /// (``FunctionAccuracy``, normal and subnormal results alike), which is within the bars.
    static func stated(_ function: String, _ dtype: DType) -> (values: Double, gradients: Double) {
        guard let f = ActivationFunction(named: function), let accuracy = Catalogue.metadata(for: f)?.accuracy else {
            return (0, 0)
        }
        let bound = dtype == .float32 ? accuracy.float32 : accuracy.float64
        return (Double(bound.valuesULP), Double(bound.gradientsULP))
    }

    func check(_ functions: Set<String>) throws {
        var worst: [String: Worst] = [:]
        let engine = Engine()
        let cases = (VectorReference.all + VectorReference.adversarial).filter { functions.contains($0.function) }
        #expect(!cases.isEmpty)
        for reference in cases {
            let result = try engine.evaluate(reference.evaluation)
            let values = try #require(result.values).storage.doubles
            let gradients = try #require(result.gradients).storage.doubles
            let key = "\(reference.function) \(reference.dtype.rawValue)"
            var w = worst[key] ?? Worst()
            for (actual, expected) in zip(values, reference.y) {
                let e = ulpError(actual, expected, dtype: reference.dtype)
                if e > 1 { print("value", reference.function, reference.x, actual, expected, e) }
                if Self.isSubnormal(expected, reference.dtype) {
                    w.subnormalValues = max(w.subnormalValues, e)
                } else {
                    w.values = max(w.values, e)
                }
            }
            for (i, (actual, expected)) in zip(gradients, reference.dx).enumerated() {
                let e = ulpError(actual, expected, dtype: reference.dtype)
                if e > 1 { print("gradient", reference.function, reference.x, i, actual, expected, e) }
                if Self.isSubnormal(expected, reference.dtype) {
                    w.subnormalGradients = max(w.subnormalGradients, e)
                } else {
                    w.gradients = max(w.gradients, e)
                }
            }
            worst[key] = w
        }
        for (key, w) in worst.sorted(by: { $0.key < $1.key }) {
            print("worst error \(key): \(w)")
            let parts = key.split(separator: " ").map(String.init)
            let limit = Self.stated(parts[0], parts[1] == "float32" ? .float32 : .float64)
            #expect(w.values <= limit.values, "\(key) values: \(w.values) ulp > stated \(limit.values)")
            #expect(w.gradients <= limit.gradients, "\(key) gradients: \(w.gradients) ulp > stated \(limit.gradients)")
            // Subnormal results: the statement, or 1 ulp of the subnormal spacing where it is 0;
            // exact functions 0 (StatedAccuracyTests.subnormalBound, docs/accuracy.md).
            let exact = ActivationFunction(named: parts[0]).flatMap { Catalogue.metadata(for: $0)?.accuracy.exact } ?? false
            #expect(w.subnormalValues <= (exact ? 0 : max(limit.values, 1)), "\(key) subnormal values")
            #expect(w.subnormalGradients <= (exact ? 0 : max(limit.gradients, 1)), "\(key) subnormal gradients")
        }
    }

    @Test func softmaxFamilyMatchesReferences() throws {
        try check(["softmax", "log_softmax", "softmin", "sparsemax"])
    }

    @Test func gatedFamilyMatchesReferences() throws {
        try check(["glu", "reglu", "geglu", "swiglu"])
    }

    /// Keras's sparsemax is wrong whenever two or more outputs are non-zero
    /// (keras-team/keras#23425): hand-checked cases with 2, 3 and 4 non-zero outputs.
    @Test func sparsemaxWithSeveralNonZeroOutputs() throws {
        let cases: [([Double], [Double])] = [
            ([0.5, 0.4, 0.1, -1], [0.5, 0.4, 0.1, 0]),          // k = 3, τ = (1.0 − 1)/3 = 0
            ([0.6, 0.5, -0.2], [0.55, 0.45, 0]),                // k = 2, τ = (1.1 − 1)/2 = 0.05
            ([1, 1, 1, 0], [1.0 / 3, 1.0 / 3, 1.0 / 3, 0]),      // ties: τ = 2/3
            ([0.25, 0.25, -0.25, -0.25], [0.5, 0.5, 0, 0]),     // τ = −0.25: the third is on the boundary
            ([0.3, 0.29, 0.28, 0.27, -0.5], [0.265, 0.255, 0.245, 0.235, 0]),  // τ = 0.14/4
        ]
        for (x, expected) in cases {
            let y = try #require(Engine().evaluate(Evaluation(function: "sparsemax", input: Tensor(x))).values)
            for (a, b) in zip(y.storage.doubles, expected) { #expect(abs(a - b) <= 1e-15, "\(x)") }
            #expect(y.storage.doubles.filter { $0 > 0 }.count >= 2)
            #expect(abs(y.storage.doubles.reduce(0, +) - 1) <= 4 * Double.ulpOfOne)
        }
    }

    @Test func infinitiesFollowPyTorch() throws {
        func softmax(_ x: [Double]) throws -> [Double] {
            try #require(Engine().evaluate(Evaluation(function: "softmax", input: Tensor(x))).values).storage.doubles
        }
        #expect(try softmax([-.infinity, 0]) == [0, 1])
        #expect(try softmax([.infinity, 0]).allSatisfy(\.isNaN))
        #expect(try softmax([-.infinity, -.infinity]).allSatisfy(\.isNaN))
        #expect(try softmax([.nan, 0]).allSatisfy(\.isNaN))
        let logSoftmax = try #require(
            Engine().evaluate(Evaluation(function: "log_softmax", input: Tensor([0, -Double.infinity]))).values)
        #expect(logSoftmax.storage.doubles == [0, -.infinity])
    }
}

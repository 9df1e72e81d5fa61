import Testing
@testable import ActivationMath

/// Issue 11: the accuracy each function's metadata states (``FunctionAccuracy``, served by
/// `GET /v1/functions`) holds on every committed input — the reference tables and the
/// adversarial search's worst cases — so the statement cannot go stale: a kernel that gets worse
/// fails here, and a statement can only be lowered once the kernels meet it.
///
/// Values and f' (both kink conventions) are measured in ulps of the correctly rounded
/// reference, for normal results and, separately, for subnormal ones (the smallest subnormal's
/// spacing as the unit): normal results are held to the statement, subnormal ones to
/// ``subnormalBound(_:exact:)``. ±0, ±inf and NaN inputs are
/// AccuracyTests' (exact). Each run prints one STATED row per function and dtype for
/// docs/accuracy.md.
@Suite struct StatedAccuracyTests {
    struct Worst: CustomStringConvertible {
        var normal = 0.0, subnormal = 0.0
        var description: String { "\(normal.formatted6) / \(subnormal.formatted6)" }

        mutating func record<T: BinaryFloatingPoint>(got: T, expected: T) {
            let error = EngineSampling.ulpError(got, expected)
            if expected.isFinite && expected.magnitude < T.leastNormalMagnitude {
                subnormal = Swift.max(subnormal, error)
            } else {
                normal = Swift.max(normal, error)
            }
        }
    }

    @Test("measured ≤ stated, reference and adversarial inputs", arguments: EngineSampling.elementwise)
    func elementwise(function: ActivationFunction) throws {
        let metadata = try #require(Catalogue.metadata(for: function))
        let cases = ReferenceData.cases.filter { $0.function == function.name }
        #expect(!cases.isEmpty)
        for dtype in ["f64", "f32"] {
            var values = Worst(), gradients = Worst()
            for reference in cases where reference.dtype == dtype {
                if dtype == "f64" {
                    measure(function, reference, Double.self, &values, &gradients)
                } else {
                    measure(function, reference, Float.self, &values, &gradients)
                }
            }
            let bound = dtype == "f64" ? metadata.accuracy.float64 : metadata.accuracy.float32
            print("STATED | \(function.name) | \(dtype) | \(values) | \(gradients) |")
            for (name, worst, stated) in [("values", values, bound.valuesULP), ("gradients", gradients, bound.gradientsULP)] {
                #expect(worst.normal <= Double(stated), "\(function.name) \(dtype) \(name): \(worst.normal) ulp > \(stated)")
                let subnormalBound = Self.subnormalBound(stated, exact: metadata.accuracy.exact)
                #expect(worst.subnormal <= subnormalBound,
                        "\(function.name) \(dtype) \(name), subnormal results: \(worst.subnormal) ulp > \(subnormalBound)")
            }
        }
    }

    /// Subnormal results, in the smallest subnormal's spacing: the statement, or 1 ulp where the
    /// statement is 0 (a result rounded once from a double-length value may land on the other
    /// side of a subnormal midpoint), and 0 for exact functions (docs/accuracy.md).
    static func subnormalBound(_ stated: Int, exact: Bool) -> Double {
        exact ? 0 : Double(Swift.max(stated, 1))
    }

    func measure<T: ReferenceScalar>(
        _ function: ActivationFunction, _ reference: ReferenceCase, _: T.Type, _ values: inout Worst,
        _ gradients: inout Worst
    ) {
        let table = reference.load(as: T.self)
        guard let x0 = table["x"], let f0 = table["f"], let d0 = table["d"] else {
            Issue.record("\(reference): unreadable")
            return
        }
        let adversarial = AdversarialData.rows(for: reference)
        let xs = x0 + adversarial.map { T($0.x) }
        let f = f0 + adversarial.map { T($0.f) }
        let d = d0 + adversarial.map { T($0.d) }
        let dj = (table["dj"] ?? d0) + adversarial.map { T($0.dj) }
        let pytorch = EngineSampling.valuesAndDerivatives(function, reference.resolved, .pytorch, xs)
        let jax = EngineSampling.valuesAndDerivatives(function, reference.resolved, .jax, xs)
        for i in xs.indices where !EngineSampling.isSpecial(xs[i]) {
            values.record(got: pytorch.values[i], expected: f[i])
            gradients.record(got: pytorch.derivatives[i], expected: d[i])
            gradients.record(got: jax.derivatives[i], expected: dj[i])
        }
    }

    /// Every statement is within issue 11's bars (float64 ≤ 2 ulp values and ≤ 4 gradients,
    /// float32 ≤ 1), and an exact function states 0.
    @Test func statementsMeetTheBars() {
        for entry in Catalogue.all {
            let a = entry.accuracy
            #expect(a.float64.valuesULP <= 2 && a.float64.gradientsULP <= 4, "\(entry.name)")
            #expect(a.float32.valuesULP <= 1 && a.float32.gradientsULP <= 1, "\(entry.name)")
            if a.exact {
                #expect([a.float32.valuesULP, a.float32.gradientsULP, a.float64.valuesULP, a.float64.gradientsULP]
                    .allSatisfy { $0 == 0 }, "\(entry.name)")
            }
        }
    }

    /// Every adversarial row belongs to a reference case (function, parameter set, dtype).
    @Test func adversarialRowsHaveTheirCase() {
        #expect(!AdversarialData.rows.isEmpty, "adversarial.tsv missing")
        for row in AdversarialData.rows.prefix(100_000) {
            #expect(ReferenceData.cases.contains {
                $0.function == row.function && $0.parameterSet == row.parameterSet && $0.dtype == row.dtype
            }, "\(row.function) set \(row.parameterSet) \(row.dtype)")
        }
    }
}

import Testing
@testable import ActivationMath

/// Issue 2 §4: per function, parameter set and dtype, the worst error in ULPs against the
/// correctly rounded mpmath references, within float64 2 ulp (values) and 4 ulp (derivatives,
/// partials), float32 1 ulp, and exact at ±0, ±inf and NaN.
///
/// Each run prints one table row per case (prefix "ACCURACY"), from which docs/accuracy.md is
/// written.
@Suite struct AccuracyTests {
    enum Quantity: String, Sendable {
        case value, derivative, partial
    }

    /// A bound looser than the issue's bar, stated for a function that cannot meet the bar.
    struct DocumentedBound: Sendable {
        var function: ActivationFunction
        var dtype: String
        var quantity: Quantity
        var ulps: Double
        var reason: String
    }

    /// The functions that do not meet the issue's bars, with the bound they do meet and why.
    /// Every entry is listed in docs/accuracy.md and in the note on issue 2.
    static let documentedBounds: [DocumentedBound] = []

    /// The bound a quantity is held to.
    static func bound(_ function: ActivationFunction, _ dtype: String, _ quantity: Quantity) -> Double {
        if let documented = documentedBounds.first(where: {
            $0.function == function && $0.dtype == dtype && $0.quantity == quantity
        }) {
            return documented.ulps
        }
        if dtype == "f32" { return 1 }
        return quantity == .value ? 2 : 4
    }

    @Test("worst ULP error within the bound", arguments: EngineSampling.elementwise)
    func worstError(function: ActivationFunction) {
        guard EngineSampling.isImplemented(function) else {
            Issue.record("\(function.name): no kernel in the catalogue yet, accuracy unmeasured")
            return
        }
        let cases = ReferenceData.cases.filter { $0.function == function.name }
        #expect(Set(cases.map(\.dtype)) == ["f32", "f64"], "\(function.name): reference vectors missing")
        for reference in cases {
            if reference.dtype == "f64" {
                check(function, reference, Double.self)
            } else {
                check(function, reference, Float.self)
            }
        }
    }

    /// Measures and asserts one table.
    func check<T: ReferenceScalar>(_ function: ActivationFunction, _ reference: ReferenceCase, _: T.Type) {
        let table = reference.load(as: T.self)
        guard let xs = table["x"], let f = table["f"], let d = table["d"], xs.count == reference.count else {
            Issue.record("\(reference): reference table \(reference.file) unreadable")
            return
        }
        let parameters = reference.resolved
        let pytorch = EngineSampling.valuesAndDerivatives(function, parameters, .pytorch, xs)
        let jax = EngineSampling.valuesAndDerivatives(function, parameters, .jax, xs)
        let dj = table["dj"] ?? d

        var value = WorstError(), derivative = WorstError(), jaxDerivative = WorstError()
        for i in xs.indices {
            value.record(x: xs[i], got: pytorch.values[i], expected: f[i])
            derivative.record(x: xs[i], got: pytorch.derivatives[i], expected: d[i])
            jaxDerivative.record(x: xs[i], got: jax.derivatives[i], expected: dj[i])
        }
        let partialColumns = reference.columns.filter { $0.hasPrefix("d_") }
        var partials: [(String, WorstError)] = []
        if !partialColumns.isEmpty {
            let computed = EngineSampling.partials(function, parameters, xs)
            for (k, column) in partialColumns.enumerated() {
                var worst = WorstError()
                let got = k == 0 ? computed.first : computed.second
                for i in xs.indices { worst.record(x: xs[i], got: got[i], expected: table[column]![i]) }
                partials.append((String(column.dropFirst(2)), worst))
            }
        }

        let partialText = partials.map { "∂\($0.0) \($0.1)" }.joined(separator: "; ")
        print("ACCURACY | \(function.name) | \(reference.parameterText) | \(reference.dtype) | "
              + "\(value) | \(derivative) | \(jaxDerivative) | \(partialText.isEmpty ? "-" : partialText) |")

        let checks: [(String, Quantity, WorstError)] =
            [("value", .value, value), ("derivative (pytorch)", .derivative, derivative),
             ("derivative (jax)", .derivative, jaxDerivative)]
            + partials.map { ("∂/∂\($0.0)", Quantity.partial, $0.1) }
        for (name, quantity, worst) in checks {
            let limit = Self.bound(function, reference.dtype, quantity)
            #expect(worst.ulps <= limit, """
                \(reference) \(name): \(worst.ulps) ulp > \(limit) at x = \(worst.at): \
                got \(worst.got), reference \(worst.expected)
                """)
            #expect(worst.specialMismatches.isEmpty,
                    "\(reference) \(name) not exact at special inputs: \(worst.specialMismatches)")
        }
    }

    /// Each documented bound names a real weakness: it is looser than the bar and has a reason.
    @Test func documentedBoundsAreLooserThanTheBars() {
        for entry in Self.documentedBounds {
            let bar: Double = entry.dtype == "f32" ? 1 : (entry.quantity == .value ? 2 : 4)
            #expect(entry.ulps > bar && !entry.reason.isEmpty, "\(entry.function.name) \(entry.dtype)")
        }
    }

    /// The harness sees a one-ulp disagreement and an inexact special value: a reference nudged
    /// by one ulp at one point, and NaN expected where the engine gives a number.
    @Test func harnessDetectsDisagreement() throws {
        let reference = try #require(ReferenceData.cases(for: .relu, dtype: "f64").first)
        let table = reference.load(as: Double.self)
        let xs = try #require(table["x"]), f = try #require(table["f"])
        let engine = EngineSampling.valuesAndDerivatives(.relu, reference.resolved, .pytorch, xs)
        let i = try #require(xs.firstIndex { $0 > 1 && $0.isFinite })
        var worst = WorstError()
        for k in xs.indices { worst.record(x: xs[k], got: engine.values[k], expected: k == i ? f[k].nextUp : f[k]) }
        #expect(worst.ulps == 1 && worst.at == xs[i])
        var special = WorstError()
        special.record(x: Double.infinity, got: Double.infinity, expected: .nan)
        #expect(special.specialMismatches.count == 1 && special.ulps == .infinity)
    }

    /// The ULP measure itself: units at the reference, zero's unit the smallest subnormal,
    /// special values compared exactly, signed zeros equal.
    @Test func ulpMeasure() {
        #expect(EngineSampling.ulpError(1.0.nextUp, 1.0) == 1)
        #expect(EngineSampling.ulpError(1.0.nextDown, 1.0) == 0.5)
        #expect(EngineSampling.ulpError(-0.0, 0.0) == 0)
        #expect(EngineSampling.ulpError(Double.leastNonzeroMagnitude * 3, 0) == 3)
        #expect(EngineSampling.ulpError(Double.nan, .nan) == 0)
        #expect(EngineSampling.ulpError(1.0, .nan) == .infinity)
        #expect(EngineSampling.ulpError(Double.greatestFiniteMagnitude, .infinity) == .infinity)
        #expect(EngineSampling.ulpError(-Double.infinity, .infinity) == .infinity)
        #expect(EngineSampling.ulpError(Float(1).nextUp.nextUp, 1) == 2)
    }
}

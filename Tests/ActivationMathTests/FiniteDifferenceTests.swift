import Foundation
import Testing
@testable import ActivationMath

/// The engine's derivative and learnable partials agree with a Richardson-extrapolated central
/// difference of the engine's own values, away from kinks, at every parameter set of the
/// reference cases (defaults and non-defaults). This ties f' to f independently of mpmath.
@Suite struct FiniteDifferenceTests {
    /// Points on [-12, 12] and a few farther out, where the difference quotient is well-conditioned.
    static let points: [Double] = (-240...240).map { Double($0) / 20 + 0.0123 } + [-40, -30, 30, 40, 75]

    @Test("f' and ∂f/∂p agree with finite differences", arguments: EngineSampling.elementwise)
    func finiteDifferences(function: ActivationFunction) {
        guard EngineSampling.isImplemented(function) else { return }
        let cases = ReferenceData.cases(for: function, dtype: "f64")
        #expect(!cases.isEmpty, "\(function.name): no parameter sets")
        for reference in cases {
            let parameters = reference.resolved
            let value = { (x: Double) in ElementwiseEvaluator.value(function, parameters: parameters, at: x) }
            let xs = Self.points.filter { x in reference.kinks.allSatisfy { (x - $0).magnitude > 0.05 } }
            let engine = EngineSampling.valuesAndDerivatives(function, parameters, .pytorch, xs)
            var worst = (error: 0.0, x: Double.nan)
            for (i, x) in xs.enumerated() {
                let numeric = Self.richardson(value, at: x)
                let error = Self.relativeError(engine.derivatives[i], numeric, scale: engine.values[i], x: x)
                if error > worst.error { worst = (error, x) }
            }
            #expect(worst.error < 1e-7, "\(reference): f' vs finite difference off by \(worst.error) (relative) at x = \(worst.x)")

            let learnable = reference.columns.filter { $0.hasPrefix("d_") }.map { String($0.dropFirst(2)) }
            guard !learnable.isEmpty else { continue }
            let partials = EngineSampling.partials(function, parameters, xs)
            for (k, name) in learnable.enumerated() {
                guard case .number(let p)? = parameters[name] else {
                    Issue.record("\(reference): learnable \(name) is not a number")
                    continue
                }
                var worstPartial = (error: 0.0, x: Double.nan)
                for (i, x) in xs.enumerated() {
                    let ofParameter = { (q: Double) -> Double in
                        var shifted = parameters
                        shifted[name] = .number(q)
                        return ElementwiseEvaluator.value(function, parameters: shifted, at: x)
                    }
                    let numeric = Self.richardson(ofParameter, at: p)
                    let got = k == 0 ? partials.first[i] : partials.second[i]
                    let error = Self.relativeError(got, numeric, scale: engine.values[i], x: p)
                    if error > worstPartial.error { worstPartial = (error, x) }
                }
                #expect(worstPartial.error < 1e-7, "\(reference): ∂f/∂\(name) vs finite difference off by \(worstPartial.error) at x = \(worstPartial.x)")
            }
        }
    }

    /// Central differences with steps h and h/2 combined to cancel the h² term: error
    /// O(h⁴ f⁽⁵⁾) + O(ε |f| / h), with h scaled to the point.
    static func richardson(_ g: (Double) -> Double, at x: Double) -> Double {
        let h = 1e-3 * max(1, x.magnitude)
        let wide = (g(x + h) - g(x - h)) / (2 * h)
        let narrow = (g(x + h / 2) - g(x - h / 2)) / h
        return (4 * narrow - wide) / 3
    }

    /// The difference relative to the derivative's natural size: max(1, |f'|, |f| / max(1, |x|)).
    static func relativeError(_ got: Double, _ numeric: Double, scale value: Double, x: Double) -> Double {
        if got.isNaN || numeric.isNaN { return got.isNaN && numeric.isNaN ? 0 : .infinity }
        let size = max(1, got.magnitude, numeric.magnitude, value.magnitude / max(1, x.magnitude))
        return (got - numeric).magnitude / size
    }

    /// The difference scheme itself reaches the tolerance on known derivatives, and a wrong
    /// derivative fails it.
    @Test func schemeIsAccurate() {
        for x in [-9.5, -1.3, 0.2, 4.7, 30.0] {
            let numeric = Self.richardson({ Foundation.exp($0) }, at: x)
            #expect(Self.relativeError(Foundation.exp(x), numeric, scale: Foundation.exp(x), x: x) < 1e-8)
            #expect(Self.relativeError(1.01 * Foundation.exp(x), numeric, scale: Foundation.exp(x), x: x) > 1e-7)
        }
    }
}

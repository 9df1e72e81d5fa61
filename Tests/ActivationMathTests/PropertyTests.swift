import Testing
@testable import ActivationMath

/// Every property the metadata claims is checked on a grid at the default parameters, both ways:
/// a `true` claim must hold everywhere sampled, and a `false` claim must be shown false by a
/// witness (a decreasing pair, an unbounded value, a derivative jump, ...).
@Suite struct PropertyTests {
    @Test("claimed properties hold, and unclaimed ones fail", arguments: EngineSampling.elementwise)
    func properties(function: ActivationFunction) {
        guard let metadata = Catalogue.metadata(for: function) else {
            if EngineSampling.isImplemented(function) { Issue.record("\(function.name): no metadata") }
            return
        }
        let sample = FunctionSample(function, parameters: Self.defaults(metadata))
        let claims = metadata.properties
        let name = function.name
        #expect(sample.monotonic == claims.monotonic, "\(name) monotonic: claim \(claims.monotonic), grid says \(sample.monotonic)")
        #expect(sample.zeroCentered == claims.zeroCentered, "\(name) zero_centered: claim \(claims.zeroCentered), f(0) = \(sample.valueAtZero), range [\(sample.minimum), \(sample.maximum)]")
        #expect(sample.boundedBelow == claims.boundedBelow, "\(name) bounded_below: claim \(claims.boundedBelow), minimum \(sample.minimum)")
        #expect(sample.boundedAbove == claims.boundedAbove, "\(name) bounded_above: claim \(claims.boundedAbove), maximum \(sample.maximum)")
        #expect(sample.continuousDerivative == claims.continuousDerivative, "\(name) continuous_derivative: claim \(claims.continuousDerivative), largest relative jump of f' \(sample.derivativeJump.size) at \(sample.derivativeJump.at)")
        #expect(sample.smooth == claims.smooth, "\(name) smooth: claim \(claims.smooth), largest relative jump of f'' \(sample.secondDerivativeJump.size) at \(sample.secondDerivativeJump.at)")
        #expect(sample.saturating == claims.saturating, "\(name) saturating: claim \(claims.saturating), |f'| far left \(sample.farLeftSlopes), far right \(sample.farRightSlopes)")
        #expect(sample.selfGated == claims.selfGated, "\(name) self_gated: claim \(claims.selfGated), gate range [\(sample.gateRange.0), \(sample.gateRange.1)], far gates \(sample.farGates)")
    }

    /// The default parameters from the metadata. Parameters without a default (threshold's
    /// `threshold` and `value`) take 0, where the metadata states threshold's properties.
    static func defaults(_ metadata: FunctionMetadata) -> ResolvedParameters {
        var values: [String: ParameterValue] = [:]
        for spec in metadata.parameters {
            switch spec.requirement {
            case .defaulted(let value): values[spec.name] = value
            case .required: values[spec.name] = .number(0)
            case .optional: break
            }
        }
        return ResolvedParameters(values)
    }

    /// The checks themselves, on a function that is known to be each thing: they must be able to
    /// tell both answers apart (otherwise the test above could not fail).
    @Test func checksDistinguishBothAnswers() {
        let relu = FunctionSample(.relu, parameters: ResolvedParameters())
        #expect(relu.monotonic && !relu.zeroCentered && relu.boundedBelow && !relu.boundedAbove)
        #expect(!relu.continuousDerivative && !relu.smooth && relu.saturating && relu.selfGated)
        #expect(relu.derivativeJump.at.magnitude < 1e-3)
    }
}

/// f and f' of one function sampled densely on [-20, 20] and at far points up to ±1e300, with
/// the property checks as computed answers.
struct FunctionSample {
    static let farMagnitudes: [Double] = [25, 50, 100, 1e3, 1e4, 1e6, 1e8, 1e12, 1e30, 1e100, 1e300]
    var xs: [Double]
    var f: [Double]
    var d: [Double]
    var valueAtZero: Double
    /// f' on [-10, 10] with step 1e-4, where every kink at the defaults lies.
    var fine: (xs: [Double], d: [Double])

    init(_ function: ActivationFunction, parameters: ResolvedParameters) {
        let far = Self.farMagnitudes
        xs = far.reversed().map { -$0 } + (-20_000...20_000).map { Double($0) / 1000 } + far
        (f, d) = EngineSampling.valuesAndDerivatives(function, parameters, .pytorch, xs)
        valueAtZero = ElementwiseEvaluator.value(function, parameters: parameters, at: 0)
        let fineXs = (-100_000...100_000).map { Double($0) / 10_000 }
        fine = (fineXs, EngineSampling.valuesAndDerivatives(function, parameters, .pytorch, fineXs).derivatives)
    }

    var minimum: Double { f.min() ?? .nan }
    var maximum: Double { f.max() ?? .nan }

    /// Non-decreasing: no value falls below an earlier one by more than rounding, and f' is
    /// never clearly negative. A false answer has a witness: a clearly decreasing pair.
    var monotonic: Bool {
        var highest = -Double.infinity
        for (value, slope) in zip(f, d) {
            if value < highest - 1e-9 * max(1, highest.magnitude) || slope < -1e-12 { return false }
            highest = max(highest, value)
        }
        return true
    }

    /// f(0) = 0 and f takes both signs.
    var zeroCentered: Bool { valueAtZero == 0 && minimum < 0 && maximum > 0 }

    /// A finite bound holds everywhere sampled (out to ±1e300); unbounded means the values pass
    /// ±1e6, far beyond any bound of a bounded function here.
    var boundedBelow: Bool { minimum.isFinite && minimum > -1e6 }
    var boundedAbove: Bool { maximum.isFinite && maximum < 1e6 }

    /// The largest change between neighbouring samples of g on the fine grid, relative to the
    /// size of g there (so that exponential's steep but smooth growth is not a jump).
    static func largestJump(_ g: [Double], _ xs: [Double]) -> (size: Double, at: Double) {
        var worst = (size: 0.0, at: Double.nan)
        for i in 1..<g.count {
            let jump = (g[i] - g[i - 1]).magnitude / max(1, g[i].magnitude, g[i - 1].magnitude)
            if jump > worst.size { worst = (jump, xs[i]) }
        }
        return worst
    }

    var derivativeJump: (size: Double, at: Double) { Self.largestJump(fine.d, fine.xs) }

    /// f'' from differences of f', then its largest jump.
    var secondDerivativeJump: (size: Double, at: Double) {
        let h = 1e-4
        let second = (1..<fine.d.count).map { (fine.d[$0] - fine.d[$0 - 1]) / h }
        return Self.largestJump(second, Array(fine.xs.dropFirst()))
    }

    /// Continuous f' changes by at most h·max|f''| ≈ 2e-4 between samples; a kink by ≥ 1/6.
    var continuousDerivative: Bool { derivativeJump.size < 0.01 }
    var smooth: Bool { continuousDerivative && secondDerivativeJump.size < 0.01 }

    var farLeftSlopes: [Double] { zip(xs, d).filter { $0.0 <= -1e4 }.map { $0.1.magnitude } }
    var farRightSlopes: [Double] { zip(xs, d).filter { $0.0 >= 1e4 }.map { $0.1.magnitude } }

    /// f' vanishes far out on at least one side.
    var saturating: Bool {
        farLeftSlopes.allSatisfy { $0 <= 1e-6 } || farRightSlopes.allSatisfy { $0 <= 1e-6 }
    }

    /// The gate f(x)/x away from 0.
    var gates: [(x: Double, gate: Double)] {
        zip(xs, f).filter { $0.0 != 0 }.map { ($0.0, $0.1 / $0.0) }
    }

    var gateRange: (Double, Double) {
        (gates.map(\.gate).min() ?? .nan, gates.map(\.gate).max() ?? .nan)
    }

    var farGates: [Double] { gates.filter { $0.x.magnitude == 1e8 }.map(\.gate) }

    /// f(x) = x·g(x) with g in [0, 1] that shuts (g → 0) as x → -inf and opens (g → 1) as
    /// x → +inf: swish, gelu, mish, hard_swish and relu's step. Identity (g = 1), leaky_relu
    /// (g → alpha) and hardtanh (g → 0 on both sides) are not gates in this sense.
    var selfGated: Bool {
        let (low, high) = gateRange
        guard low >= -1e-12, high <= 1 + 1e-12 else { return false }
        let left = gates.filter { $0.x <= -1e8 }.map(\.gate)
        let right = gates.filter { $0.x >= 1e8 }.map(\.gate)
        return left.allSatisfy { $0 <= 1e-6 } && right.allSatisfy { $0 >= 1 - 1e-6 }
    }
}

@testable import ActivationMath

/// f and f' of one function sampled densely on [-20, 20] and at far points up to ±1e300 (a grid
/// symmetric about 0), with each property's definition as a computed answer.
struct FunctionSample {
    static let farMagnitudes: [Double] = [25, 50, 100, 1e3, 1e4, 1e6, 1e8, 1e12, 1e30, 1e100, 1e300]
    let function: ActivationFunction
    let parameters: ResolvedParameters
    var xs: [Double]
    var f: [Double]
    var d: [Double]
    var valueAtZero: Double
    /// f' on [-10, 10] with step 2.5e-4, where every kink of the sampled parameter sets lies but
    /// softplus's cut-over (checked at its claimed point).
    var fine: (xs: [Double], d: [Double])
    /// The largest relative jump of f' between neighbours of the fine grid, and where.
    var derivativeJump: (size: Double, at: Double)
    /// The same for f'', taken as differences of f' over the step.
    var secondDerivativeJump: (size: Double, at: Double)

    init(_ function: ActivationFunction, parameters: ResolvedParameters) {
        self.function = function
        self.parameters = parameters
        let far = Self.farMagnitudes
        xs = far.reversed().map { -$0 } + (-20_000...20_000).map { Double($0) / 1000 } + far
        (f, d) = EngineSampling.valuesAndDerivatives(function, parameters, .pytorch, xs)
        valueAtZero = ElementwiseEvaluator.value(function, parameters: parameters, at: 0)
        let fineXs = (-40_000...40_000).map { Double($0) / 4_000 }
        fine = (fineXs, EngineSampling.valuesAndDerivatives(function, parameters, .pytorch, fineXs).derivatives)
        derivativeJump = Self.largestJump(fine.d, fine.xs)
        let h = 2.5e-4
        let d = fine.d
        let second = (1..<d.count).map { (d[$0] - d[$0 - 1]) / h }
        secondDerivativeJump = Self.largestJump(second, Array(fineXs.dropFirst()))
    }

    var minimum: Double { f.min() ?? .nan }
    var maximum: Double { f.max() ?? .nan }

    // MARK: zero-centring

    /// Odd symmetry: f(−x) = −f(x) at every sampled pair, up to rounding.
    var odd: Bool { oddityWitness <= 0 }

    /// How far the worst pair is from odd symmetry beyond rounding (0 when none is): a witness.
    var oddityWitness: Double {
        var worst = 0.0
        for i in xs.indices {
            let (a, b) = (f[i], f[xs.count - 1 - i])
            let excess = (a + b).magnitude - 1e-12 * max(1, a.magnitude)
            if excess.isNaN || excess > worst { worst = excess.isNaN ? .infinity : excess }
        }
        return worst
    }

    var takesBothSigns: Bool { minimum < 0 && maximum > 0 }

    // MARK: monotonicity

    /// No value falls below an earlier one by more than rounding, and f' is never clearly negative.
    var nonDecreasing: Bool { Self.nonDecreasing(f, d) }
    var nonIncreasing: Bool { Self.nonDecreasing(f.map { -$0 }, d.map { -$0 }) }

    var monotonicity: Monotonicity {
        nonDecreasing ? .increasing : nonIncreasing ? .decreasing : .none
    }

    static func nonDecreasing(_ f: [Double], _ d: [Double]) -> Bool {
        var highest = -Double.infinity
        for (value, slope) in zip(f, d) {
            if value < highest - 1e-9 * max(1, highest.magnitude) || slope < -1e-12 { return false }
            highest = max(highest, value)
        }
        return true
    }

    // MARK: vanishing gradients and dying units

    var farLeftSlopes: [Double] { zip(xs, d).filter { $0.0 <= -1e4 }.map { $0.1.magnitude } }
    var farRightSlopes: [Double] { zip(xs, d).filter { $0.0 >= 1e4 }.map { $0.1.magnitude } }

    /// f' → 0 far out: |f'| <= 1e-6 at every sampled x beyond 1e4 on that side.
    var vanishing: Sides {
        Sides(negative: farLeftSlopes.allSatisfy { $0 <= 1e-6 }, positive: farRightSlopes.allSatisfy { $0 <= 1e-6 })
    }

    /// f' = 0 exactly on the half-line: at every sampled x beyond 10 on that side (gelu's f',
    /// 1e-22 at -10, is not 0 there even if it underflows further out).
    var dying: Sides {
        Sides(negative: zip(xs, d).allSatisfy { $0.0 > -10 || $0.1 == 0 },
              positive: zip(xs, d).allSatisfy { $0.0 < 10 || $0.1 == 0 })
    }

    // MARK: differentiability

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

    /// Where f' jumps by more than 1% between neighbours of the fine grid: a continuous f'
    /// changes by at most h·max|f''| ≈ 5e-4 between samples, a kink of ours by 1/6 or more.
    var derivativeJumps: [Double] {
        (1..<fine.d.count).compactMap { i in
            let (a, b) = (fine.d[i - 1], fine.d[i])
            return (b - a).magnitude / max(1, a.magnitude, b.magnitude) > 0.01 ? fine.xs[i] : nil
        }
    }

    var continuousDerivative: Bool { derivativeJump.size < 0.01 }
    var smooth: Bool { continuousDerivative && secondDerivativeJump.size < 0.01 }

    /// A corner or a jump at x: f' (or f) just left and just right of x, 2e-13·max(1, |x|) apart,
    /// differ by more than 1e-9 relative, where a continuous f' changes by ~1e-13 relative (the
    /// smallest corner here, softplus's cut-over at 20, is 2e-9).
    func notDifferentiable(at x: Double) -> Bool {
        let delta = 1e-13 * max(1, x.magnitude)
        let (values, slopes) = EngineSampling.valuesAndDerivatives(function, parameters, .pytorch, [x - delta, x + delta])
        func differ(_ a: Double, _ b: Double) -> Bool { (a - b).magnitude > 1e-9 * max(1, a.magnitude, b.magnitude) }
        return differ(slopes[0], slopes[1]) || differ(values[0], values[1])
    }

    // MARK: self-gating

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

    // MARK: range and bounds

    /// A finite bound holds everywhere sampled (out to ±1e300); unbounded means the values pass
    /// ±1e6, far beyond any bound of a bounded function here.
    var boundedBelow: Bool { minimum.isFinite && minimum > -1e6 }
    var boundedAbove: Bool { maximum.isFinite && maximum < 1e6 }

    /// Every sample lies in the range (up to rounding; floating point may reach an open end), and
    /// each finite end is the sampled extreme to within the grid's resolution: the range is the
    /// function's, not a looser interval.
    func fits(_ range: OutputRange) -> Bool {
        let low = range.lower.value, high = range.upper.value
        let inside = f.allSatisfy { y in
            y >= low - 1e-12 * max(1, low.magnitude) && y <= high + 1e-12 * max(1, high.magnitude)
        }
        let lowReached = !low.isFinite || (minimum - low).magnitude <= 2e-3 * max(1, low.magnitude)
        let highReached = !high.isFinite || (maximum - high).magnitude <= 2e-3 * max(1, high.magnitude)
        return inside && lowReached && highReached
    }
}

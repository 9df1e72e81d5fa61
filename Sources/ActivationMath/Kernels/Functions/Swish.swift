import RealModule

/// swish(x) = x·σ(βx), SiLU when β = 1 (Ramachandran et al. 2017; Elfwing et al. 2017).
///
/// Self-gated: the input scales itself by its own sigmoid. Smooth, unbounded above, bounded
/// below (minimum ≈ -0.2785/β at βx ≈ -1.2785) and not monotonic; with β learnable it moves
/// between x/2 (β = 0) and relu (β → ∞).
///
/// - Formula: t = βx is carried as hi + lo (FMA) and σ is corrected to first order, since
///   σ(t) ≈ e^t turns the rounding of t into |t| half-ulps. For t < -700, where σ(t) is
///   subnormal but x·σ(t) may not be, x·e^t is formed in the normal range and scaled once.
/// - Derivative: σ(t)·(1 + t·σ(-t)), the inner sum by one FMA. It crosses zero at
///   t₀ ≈ -1.2785; within 0.2 of it a Taylor series in t - t₀ (``RootSeries/swish``) replaces
///   the cancelling formula.
/// - Partial: ∂f/∂β = x²·σ'(βx) = x·(x·σ(t)σ(-t)), multiplied in that order so that x² cannot
///   overflow spuriously.
/// - Special values: NaN → NaN; swish(-inf) = -0 for β > 0 (x·σ → 0⁻) with derivative 0;
///   swish(+inf) = +inf with derivative 1; swish(±0) = ±0. Partials at ±inf are 0 (β ≠ 0).
public struct Swish<Scalar: ActivationReal>: ElementwiseKernel {
    // Stored as Double (Sendable, unlike a generic Scalar); the conversion is free for Double.
    let betaValue: Double
    var beta: Scalar { Scalar(betaValue) }

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        betaValue = parameters.optionalNumber("beta") ?? 1
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x.isInfinite { return beta == 0 || x * beta > 0 ? x : (x < 0 ? -0.0 : 0) }
        let (t, lo) = ErrorFree.product(beta, x)
        if t < -700 {
            return t < -1500 ? x * 0 : ErrorFree.expTimes(t, x.addingProduct(x, lo))
        }
        return LogisticParts(t, lo).times(x)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x.isNaN { return x }
        if x.isInfinite { return beta == 0 ? 0.5 : (x * beta > 0 ? 1 : 0) }
        let (t, lo) = ErrorFree.product(beta, x)
        if RootSeries.swish.contains(t) { return RootSeries.swish.evaluate(t, lo) }
        if t > 745 { return 1 }  // 1 + t·e^-t rounds to 1, and t·e^-t must not become inf·0
        if t < -700 {
            return t < -1500 ? 0 : ErrorFree.expTimes(t, (1 + t).addingProduct(1 + t, lo))
        }
        return Self.derivative(LogisticParts(t, lo), t, lo)
    }

    /// f' = σ(t)(1 + tσ(-t)) = N/(1 + e)² with e = e^-|t| and N = 1 + e + t·e for t ≥ 0,
    /// N = e·(1 + t + e) for t < 0. Both numerators are formed in double length (for t < 0
    /// 1 + t + e is the only cancelling sum, and it is exact up to e's rounding), so the
    /// quotient is rounded once.
    @inline(__always)
    static func derivative(_ p: LogisticParts<Scalar>, _ t: Scalar, _ lo: Scalar) -> Scalar {
        let tt = (hi: t, lo: lo)
        if t >= 0 {
            let (te, tel) = ErrorFree.product(tt, (p.e, p.elo))
            let (n, nl) = ErrorFree.sum(p.d, te)
            let (s, sl) = p.squaredDenominator
            return LogisticParts.quotient(n, nl + (p.dlo + tel), s, sl)
        }
        let (a, al) = ErrorFree.sum(1, t)
        let (n, nl) = ErrorFree.sum(a, p.e)
        return p.derivativeTimes((n, nl + (al + lo + p.elo)))
    }

    /// One exp for both where neither takes a special path.
    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let (t, lo) = ErrorFree.product(beta, x)
        guard x.isFinite, t >= -700, t <= 745, !RootSeries.swish.contains(t) else {
            return (value(x), derivative(x))
        }
        let p = LogisticParts(t, lo)
        return (p.times(x), Self.derivative(p, t, lo))
    }

    /// One exp for value, derivative and ∂f/∂β where none takes a special path.
    @inline(__always)
    public func valueDerivativeAndPartials(
        _ x: Scalar
    ) -> (value: Scalar, derivative: Scalar, partials: (Scalar, Scalar)) {
        let (t, lo) = ErrorFree.product(beta, x)
        guard x.isFinite, abs(t) <= 700, abs(x) < 0x1p500, !RootSeries.swish.contains(t) else {
            let (y, dy) = valueAndDerivative(x)
            return (y, dy, parameterPartials(x))
        }
        let p = LogisticParts(t, lo)
        return (p.times(x), Self.derivative(p, t, lo), (p.derivativeTimes(ErrorFree.product(x, x)), 0))
    }

    /// (∂f/∂β, 0).
    @inline(__always)
    public func parameterPartials(_ x: Scalar) -> (Scalar, Scalar) {
        if x.isNaN { return (x, 0) }
        if x.isInfinite { return (beta == 0 ? .infinity : 0, 0) }
        let (t, lo) = ErrorFree.product(beta, x)
        if abs(t) > 700 {
            if abs(t) > 1500 { return (0, 0) }
            // σ'(t) = e^-|t|·(1 + O(e^-|t|)), and e^-(|t| + lo·sign t) = e^-|t|·(1 - lo·sign t).
            let sign: Scalar = t < 0 ? -1 : 1
            if abs(x) < 0x1p150 {
                let xx = x * x
                return (ErrorFree.expTimes(-abs(t), xx.addingProduct(-xx, lo * sign)), 0)
            }
            let inner = ErrorFree.expTimes(-abs(t), x.addingProduct(-x, lo * sign))
            return (x * inner, 0)
        }
        let p = LogisticParts(t, lo)
        if abs(x) < 0x1p500 { return (p.derivativeTimes(ErrorFree.product(x, x)), 0) }
        return (x * p.derivativeTimes((x, 0)), 0)
    }
}

import RealModule

/// mish(x) = x·tanh(softplus(x)) (Misra 2019).
///
/// A self-gated activation like swish, with the gate tanh(softplus(x)) ∈ (0, 1): smooth,
/// non-monotonic (minimum ≈ -0.3088 at x ≈ -1.1924), unbounded above, bounded below. Used in
/// YOLOv4; costs an exp, a log and a tanh when written naively.
///
/// - Formula: with e = e^x, tanh(log(1+e)) = ((1+e)² - 1)/((1+e)² + 1) = N/(N + 2),
///   N = e(e + 2), for x ≤ 0 (no log, no tanh, no cancellation); with w = e^-x,
///   g = (1 + 2w)/(1 + 2w + 2w²) for x > 0 (never overflows). Numerators and denominators are
///   formed in double length and x·g is rounded once.
/// - Derivative: f' = g + x·(1 - g²)·σ(x), with 1 - g = 2/(N + 2) or 2w²/(1 + 2w + 2w²) taken
///   from the formulas above (never 1 - g²). f' crosses zero at x ≈ -1.1924; within 0.5 of it a
///   Taylor series replaces the cancelling sum (``RootSeries/mish``). For x < -700, where e^x
///   is subnormal, mish(x) = x·e^x and mish'(x) = (1 + x)·e^x to double precision, formed in
///   the normal range and scaled once.
/// - Special values: NaN → NaN; mish(+inf) = +inf with derivative 1; mish(-inf) = -0 with
///   derivative -0 (both limits are approached from below); mish(±0) = ±0, mish'(0) = 0.6.
public struct Mish<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    /// The gate g = tanh(softplus(x)) = n/d with both in double length.
    @inline(__always)
    static func gate(_ x: Scalar) -> (n: (hi: Scalar, lo: Scalar), d: (hi: Scalar, lo: Scalar)) {
        gate(x, Scalar.exp(x <= 0 ? x : -x))
    }

    /// The gate given e = e^x (x ≤ 0) or w = e^-x (x > 0).
    @inline(__always)
    static func gate(_ x: Scalar, _ e: Scalar) -> (n: (hi: Scalar, lo: Scalar), d: (hi: Scalar, lo: Scalar)) {
        if x <= 0 {
            let n = ErrorFree.product((e, 0), ErrorFree.sum(e, 2))
            let d = ErrorFree.sum(n.hi, 2)
            return (n, (d.hi, d.lo + n.lo))
        }
        let w = e
        let n = ErrorFree.sum(1, 2 * w)
        let (ww, wwl) = ErrorFree.product(w, w)
        let d = ErrorFree.sum(n.hi, 2 * ww)
        return (n, (d.hi, d.lo + (n.lo + 2 * wwl)))
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x.isNaN || x == .infinity || x == 0 { return x }  // ±0 keeps its sign
        if x < -700 { return x < -1500 ? -0.0 : ErrorFree.expTimes(x, x) }
        let (n, d) = Self.gate(x)
        let (p, pl) = ErrorFree.product((x, 0), n)
        return LogisticParts.quotient(p, pl, d.hi, d.lo)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x.isNaN { return x }
        if x == .infinity { return 1 }
        if x < -700 { return x < -1500 ? -0.0 : ErrorFree.expTimes(x, 1 + x) }
        if RootSeries.mish.contains(x) { return RootSeries.mish.evaluate(x) }
        return Self.derivative(x, Scalar.exp(x <= 0 ? x : -x))
    }

    /// f' given e = e^x (x ≤ 0) or w = e^-x (x > 0), away from the special paths.
    @inline(__always)
    static func derivative(_ x: Scalar, _ exponential: Scalar) -> Scalar {
        if x <= 0 {
            // g = N/D, 1 - g = 2/D, 1 + g = 2(N+1)/D, σ(x) = e/(1+e), N = e·a, a = e + 2:
            // f' = e·[a·D·(1+e) + 4x(N+1)]/(D²(1+e)).
            // Every product and sum in double length: away from the root the terms still
            // cancel by a factor of a few, and e = e^x then carries the only rounding.
            let e = exponential
            let a = ErrorFree.sum(e, 2)
            let n = ErrorFree.product((e, 0), a)
            let d0 = ErrorFree.sum(n.hi, 2)
            let d = (hi: d0.hi, lo: d0.lo + n.lo)
            let s = ErrorFree.sum(1, e)
            let n1 = ErrorFree.sum(n.hi, 1)
            let t1 = ErrorFree.product(ErrorFree.product(a, d), s)
            let t2 = ErrorFree.product((4 * x, 0), (n1.hi, n1.lo + n.lo))
            let top = ErrorFree.sum(t1.hi, t2.hi)
            let num = ErrorFree.product((e, 0), (top.hi, top.lo + (t1.lo + t2.lo)))
            let den = ErrorFree.product(ErrorFree.product(d, d), s)
            return LogisticParts.quotient(num.hi, num.lo, den.hi, den.lo)
        }
        // x > 0: D = 1 + 2w + 2w², f' = [(1 + 2w)·D + 4x·w²(1 + w)]/D², all terms positive.
        let w = exponential
        let n = 1 + 2 * w
        let d = n.addingProduct(2 * w, w)
        let top = (w * w * (1 + w) * 4 * x).addingProduct(n, d)  // w² first: 0·x, never inf·0
        return top / (d * d)
    }

    /// One exp for both where neither takes a special path.
    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        guard x.isFinite, x >= -700, x != 0, !RootSeries.mish.contains(x) else {
            return (value(x), derivative(x))
        }
        let e = Scalar.exp(x <= 0 ? x : -x)
        let (n, d) = Self.gate(x, e)
        let (p, pl) = ErrorFree.product((x, 0), n)
        return (LogisticParts.quotient(p, pl, d.hi, d.lo), Self.derivative(x, e))
    }
}

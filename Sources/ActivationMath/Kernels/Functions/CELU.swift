import RealModule

/// celu(x) = max(0, x) + min(0, alpha·(e^(x/alpha) - 1)) (Barron 2017).
///
/// Continuously differentiable elu: the x/alpha inside the exponential makes f'(0) = 1 from
/// both sides for every alpha > 0, where elu's derivative jumps unless alpha = 1. Saturates to
/// -alpha on the left.
///
/// - Formula: x for x > 0; otherwise alpha·expm1(z) with z = x/alpha. The quotient is rounded,
///   and e^z turns its error into |z| half-ulps of the derivative (≈ 700 ulp at z = -700), so
///   the exact remainder r = x - alpha·q (one FMA) gives z = q + r/alpha and both results are
///   corrected to first order: expm1(z) ≈ expm1(q) + (r/alpha)·e^q, e^z ≈ e^q·(1 + r/alpha).
/// - Derivative: 1 for x > 0, e^(x/alpha) for x ≤ 0; continuous at 0 (both sides 1), so there
///   is no kink. PyTorch's backward (elu with input_scale 1/alpha, `x <= 0`) and JAX agree.
/// - Special values: NaN → NaN; celu(+inf) = +inf with derivative 1; celu(-inf) = -alpha with
///   derivative 0; celu(±0) = ±0.
public struct CELU<Scalar: ActivationReal>: ElementwiseKernel {
    // Stored as Double (Sendable, unlike a generic Scalar); the conversion is free for Double.
    let alphaValue: Double
    var alpha: Scalar { Scalar(alphaValue) }

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        alphaValue = parameters.optionalNumber("alpha") ?? 1
    }

    /// x/alpha as q + r/alpha, r exact.
    @inline(__always)
    func scaled(_ x: Scalar) -> (q: Scalar, r: Scalar) {
        let q = x / alpha
        guard q.isFinite else { return (q, 0) }
        return (q, x.addingProduct(-q, alpha))
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > 0 || x.isNaN || x == 0 { return x }  // ±0 keeps its sign, as elu's alpha·expm1(-0)
        let (q, r) = scaled(x)
        if q == -.infinity { return -alpha }
        return (r * Scalar.exp(q)).addingProduct(alpha, Scalar.expMinusOne(q))
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > 0 { return 1 }
        if x.isNaN { return x }
        let (q, r) = scaled(x)
        let e = Scalar.exp(q)
        return e.addingProduct(e, r / alpha)
    }
}

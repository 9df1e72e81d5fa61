import RealModule

/// elu(x) = x for x > 0, alpha·(e^x - 1) otherwise (Clevert et al. 2015).
///
/// Exponential linear unit: identity on the right like relu, but saturating smoothly to
/// -alpha on the left, which pushes mean activations towards zero and keeps a gradient for
/// negative inputs (no dying units).
///
/// - Formula: alpha·expm1(x) on the clamped input, as JAX writes it, so that the branch not
///   taken cannot overflow and small negative x keep their digits (e^x - 1 cancels there).
///   At most ~1.2 ulp (expm1 0.7, the product 0.5).
/// - Derivative: 1 for x > 0, alpha·e^x for x ≤ 0 (at most ~1 ulp).
/// - Kink: for alpha ≠ 1, f' jumps at x = 0 from alpha (left) to 1 (right). PyTorch's backward
///   tests `x <= 0` (elu_backward: negcoef·exp(x) when x ≤ 0) and so takes alpha at 0; JAX's
///   `where(x > 0, x, alpha·expm1(x))` differentiates the false branch at 0: alpha too.
/// - Special values: NaN → NaN; elu(+inf) = +inf with derivative 1; elu(-inf) = -alpha with
///   derivative 0 (±0 by alpha's sign); elu(±0) = ±0·alpha.
public struct ELU<Scalar: ActivationReal>: ElementwiseKernel {
    // Stored as Double (Sendable, unlike a generic Scalar); the conversion is free for Double.
    let alphaValue: Double
    var alpha: Scalar { Scalar(alphaValue) }

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        alphaValue = parameters.optionalNumber("alpha") ?? 1
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        x > 0 ? x : alpha * Scalar.expMinusOne(x)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        x > 0 ? 1 : alpha * Scalar.exp(x)
    }
}

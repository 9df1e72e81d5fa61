/// softshrink(x; lambd) = x − lambd for x > lambd, x + lambd for x < −lambd, 0 between
/// (lambd ≥ 0, default 0.5).
///
/// Soft thresholding (Donoho 1995), the proximal operator of lambd·|x|, used in sparse coding
/// (ISTA, LISTA): continuous, unlike hardshrink, but with a dead zone of zero gradient. The
/// subtraction x − lambd is exact near the threshold (Sterbenz) and rounded once elsewhere.
///
/// - Derivative: 1 for |x| > lambd, 0 for |x| < lambd. At ±lambd both conventions take 0:
///   PyTorch's `softshrink_backward` zeroes `−lambd ≤ x ≤ lambd`; JAX has no softshrink, and
///   the natural `jnp.where` form gives 0 there too.
/// - Special values: NaN gives NaN; softshrink(±0) = +0; ±inf pass through with derivative 1.
public struct SoftShrink<Scalar: ActivationReal>: ElementwiseKernel {
    let lambd: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        lambd = Scalar(parameters.number("lambd"))
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > lambd { return x - lambd }
        if x < -lambd { return x + lambd }
        return x.isNaN ? x : 0
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > lambd || x < -lambd { return 1 }
        return x.isNaN ? x : 0
    }
}

/// hardshrink(x; lambd) = x for |x| > lambd, 0 otherwise (lambd ≥ 0, default 0.5).
///
/// Hard thresholding from wavelet denoising (Donoho & Johnstone 1994), in Torch7 and PyTorch:
/// it zeroes small inputs and passes the rest unchanged, so the output is sparse. It jumps at
/// ±lambd (a discontinuity, not just a kink) and gives no gradient inside the dead zone.
///
/// - Derivative: 1 for |x| > lambd, 0 for |x| < lambd. At ±lambd both conventions take 0:
///   PyTorch's `hardshrink_backward` zeroes `−lambd ≤ x ≤ lambd`; JAX has no hardshrink, and
///   `jnp.where(jnp.abs(x) > lambd, x, 0)` also gives 0 there.
/// - Special values: NaN gives NaN; hardshrink(±0) = +0 (the formula's 0); ±inf pass through
///   with derivative 1.
public struct HardShrink<Scalar: ActivationReal>: ElementwiseKernel {
    let lambd: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        lambd = Scalar(parameters.number("lambd"))
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > lambd || x < -lambd || x.isNaN { return x }
        return 0
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > lambd || x < -lambd { return 1 }
        return x.isNaN ? x : 0
    }
}

/// hardtanh(x; min_val, max_val) = clamp(x, min_val, max_val), defaults −1 and 1.
///
/// Collobert 2004 (and Torch7's HardTanh): a piecewise-linear stand-in for tanh, zero-centred and
/// bounded, but with no gradient at all outside [min_val, max_val], where units saturate hard.
///
/// - Derivative: 1 on (min_val, max_val), 0 outside. At the bounds: 0 under PyTorch's convention
///   (`hardtanh_backward` zeroes `x <= min_val || x >= max_val`), 1 under JAX's (`jax.nn.hard_tanh`
///   is `jnp.where(x > 1, 1, jnp.where(x < -1, -1, x))`, which takes the x branch at ±1).
/// - Special values: NaN gives NaN; −0 stays −0 inside the range; ±inf give the bounds with
///   derivative 0.
public struct HardTanh<Scalar: ActivationReal>: ElementwiseKernel {
    let lower: Scalar
    let upper: Scalar
    let derivativeAtBounds: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        lower = Scalar(parameters.number("min_val"))
        upper = Scalar(parameters.number("max_val"))
        derivativeAtBounds = convention == .jax ? 1 : 0
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x < lower { return lower }
        if x > upper { return upper }
        return x
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > lower && x < upper { return 1 }
        if x == lower || x == upper { return derivativeAtBounds }
        return x.isNaNCompare ? x : 0
    }
}

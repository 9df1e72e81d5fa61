/// threshold(x; threshold, value) = x for x > threshold, value otherwise (both required).
///
/// PyTorch's `Threshold` (from Torch7): relu generalised to any cut-off and replacement. With
/// value ≠ threshold it jumps at the threshold; below it the gradient is 0, so units can die as
/// they do under relu.
///
/// - Derivative: 1 for x > threshold, 0 for x < threshold. At x = threshold both conventions take
///   0: PyTorch's `threshold_backward` zeroes `x <= threshold`; JAX has no threshold, and
///   `jnp.where(x > threshold, x, value)` gives 0 there too.
/// - Special values: NaN gives NaN (PyTorch's `x <= threshold ? value : x` also propagates it);
///   −inf gives value with derivative 0, +inf gives +inf with derivative 1.
public struct Threshold<Scalar: ActivationReal>: ElementwiseKernel {
    let threshold: Scalar
    let replacement: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        threshold = Scalar(parameters.number("threshold"))
        replacement = Scalar(parameters.number("value"))
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > threshold || x.isNaN { return x }
        return replacement
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > threshold { return 1 }
        return x.isNaN ? x : 0
    }
}

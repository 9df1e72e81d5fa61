/// relu_squared(x) = max(0, x)².
///
/// So et al. 2021 ("Primer: Searching for Efficient Transformers for Language Modeling"): the
/// squared ReLU found by architecture search for transformer feed-forward layers. Its derivative
/// 2·max(0, x) is continuous (no kink), but grows without bound, and negative inputs still get
/// no gradient.
///
/// - Derivative: 2x for x > 0, 0 otherwise; continuous, so 0 at x = 0 under both conventions.
/// - Special values: NaN gives NaN; relu_squared(−0) = +0; x² overflows to +inf only where the
///   true square exceeds the largest finite value, and underflows as the exact square rounds;
///   +inf gives +inf with derivative +inf, −inf gives 0 with derivative 0.
public struct ReLUSquared<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > 0 { return x * x }
        return x.isNaN ? x : 0
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > 0 { return x + x }
        return x.isNaN ? x : 0
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if x > 0 { return (x * x, x + x) }
        return x.isNaN ? (x, x) : (0, 0)
    }
}

/// leaky_relu6(x; alpha, cap) = min(max(alpha · x, x), cap): leaky below 0, capped above.
///
/// The article's proposal, combining leaky_relu (a gradient for negative inputs, against dying
/// units) with relu6 (a bounded output, for low-precision inference). PyTorch and JAX have no
/// built-in; Keras gets it from `relu(x, negative_slope=alpha, max_value=cap)`.
///
/// For 0 ≤ alpha ≤ 1 the formula is x ≥ 0 ? min(x, cap) : alpha · x, which is what we evaluate.
/// For alpha > 1 the max would pick alpha · x above zero and x below, a different function (a
/// steeper line capped earlier), and for alpha < 0 it would fold negative inputs upwards; the
/// metadata therefore bounds alpha to [0, 1] and cap to (0, inf).
///
/// - Derivative: alpha for x < 0, 1 on (0, cap), 0 above cap.
///   At x = 0: alpha under PyTorch's convention (as leaky_relu), 1 under JAX's (as jax.nn.leaky_relu).
///   At x = cap: 0 under both (as relu6 in PyTorch and JAX's relu6 custom JVP).
///   A literal `jnp.minimum(jnp.maximum(alpha * x, x), cap)` would instead give (1 + alpha)/2
///   at 0 and 1/2 at cap, JAX's rule for ties in max/min.
/// - Special values: NaN gives NaN; leaky_relu6(−0) = −0; +inf gives cap with derivative 0;
///   −inf gives alpha · (−inf) (the limit 0 when alpha = 0) with derivative alpha.
public struct LeakyReLU6<Scalar: ActivationReal>: ElementwiseKernel {
    let alpha: Scalar
    let cap: Scalar
    let derivativeAtZero: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        alpha = Scalar(parameters.number("alpha"))
        cap = Scalar(parameters.number("cap"))
        derivativeAtZero = convention == .jax ? 1 : alpha
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x >= 0 { return x < cap ? x : cap }
        return PiecewiseArithmetic.leakyProduct(alpha, x)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > 0 { return x < cap ? 1 : 0 }
        if x < 0 { return alpha }
        return x.isNaN ? x : derivativeAtZero
    }
}

/// prelu(x; alpha) = x for x ≥ 0, alpha · x for x < 0, with alpha learned (default 0.25).
///
/// He, Zhang, Ren & Sun 2015 ("Delving Deep into Rectifiers"): leaky_relu whose slope is a
/// parameter, one per channel or one shared. This kernel takes a single alpha; for a per-channel
/// alpha the engine runs it once per channel with that channel's value.
///
/// - Derivative: 1 for x > 0, alpha for x < 0. At x = 0: alpha under PyTorch's convention
///   (`_prelu_kernel_backward` uses `x > 0 ? grad : alpha · grad`), 1 under JAX's (Flax's
///   `PReLU` is `jnp.where(x >= 0, x, alpha * x)`; JAX itself has no prelu).
/// - ∂f/∂alpha = x for x < 0, 0 for x ≥ 0 (both conventions: at x = 0 the product x · grad is 0).
/// - Special values: NaN gives NaN for value, derivative and partial; at −inf the partial is −inf.
public struct PReLU<Scalar: ActivationReal>: ElementwiseKernel {
    let core: LeakyCore<Scalar>

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        core = LeakyCore(slope: Scalar(parameters.number("alpha")), convention: convention)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar { core.value(x) }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar { core.derivative(x) }

    @inline(__always)
    public func parameterPartials(_ x: Scalar) -> (Scalar, Scalar) {
        if x < 0 { return (x, 0) }
        return (x.isNaN ? x : 0, 0)
    }
}

/// sparse_sigmoid(x) = ½ · clip(x + 1, 0, 2): 0 for x ≤ −1, (x + 1)/2 between, 1 for x ≥ 1.
///
/// Blondel, Martins & Niculae 2019 ("Learning with Fenchel-Young Losses", §6.2) and JAX's
/// `jax.nn.sparse_sigmoid`: the derivative of sparse_plus and a sigmoid that reaches 0 and 1
/// exactly, which makes outputs sparse but leaves no gradient outside [−1, 1]. Between the kinks
/// (x + 1)/2 = x·½ + ½ rounds once (x·½ is exact), hence is correctly rounded.
///
/// - Derivative: ½ on (−1, 1), 0 outside. At ±1: 0 under PyTorch's convention (PyTorch has no
///   sparse_sigmoid; we follow its hardtanh, whose backward is 0 at the bounds), 1/4 under JAX's
///   (`jnp.clip` is `minimum(maximum(x + 1, 0), 2)` and JAX splits the gradient of a tie in
///   max/min equally, so ½ · ½).
/// - Special values: NaN gives NaN; sparse_sigmoid(−inf) = 0, sparse_sigmoid(+inf) = 1.
public struct SparseSigmoid<Scalar: ActivationReal>: ElementwiseKernel {
    let derivativeAtKinks: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        derivativeAtKinks = convention == .jax ? 0.25 : 0
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > -1 && x < 1 { return x * 0.5 + 0.5 }
        if x.isNaN { return x }
        return x >= 1 ? 1 : 0
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > -1 && x < 1 { return 0.5 }
        if x == -1 || x == 1 { return derivativeAtKinks }
        return x.isNaN ? x : 0
    }
}

/// relu6(x) = min(max(0, x), 6), evaluated as a clamp.
///
/// Krizhevsky 2010 (convolutional deep belief networks on CIFAR-10), popularised by MobileNet
/// (Howard et al. 2017): the cap keeps activations in a range that low-precision arithmetic
/// represents well. Like relu, units stuck below 0 receive no gradient, and so do units above 6.
///
/// - Derivative: 1 on (0, 6), 0 outside. At both kinks both conventions take 0: PyTorch computes
///   relu6 as hardtanh(x, 0, 6), whose backward is 0 at the bounds, and JAX's relu6 has a custom
///   JVP selecting `(x > 0) & (x < 6)` (a plain `jnp.minimum(jnp.maximum(x, 0), 6)` would give 1/2).
/// - Special values: NaN gives NaN; relu6(−0) = +0; relu6(±inf) = 6 or 0 with derivative 0.
public struct ReLU6<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > 0 { return x < 6 ? x : 6 }
        return x.isNaNCompare ? x : 0
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > 0 && x < 6 { return 1 }
        return x.isNaNCompare ? x : 0
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if x > 0 { return x < 6 ? (x, 1) : (6, 0) }
        return x.isNaNCompare ? (x, x) : (0, 0)
    }
}

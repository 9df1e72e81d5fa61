/// relu(x) = max(0, x).
///
/// The rectified linear unit (Nair & Hinton 2010; Glorot, Bordes & Bengio 2011): cheap,
/// non-saturating for x > 0, but a unit whose input stays negative gets no gradient at all
/// ("dying ReLU"), and its outputs are never negative, so they are not centred on zero.
///
/// - Derivative: 1 for x > 0, 0 for x < 0. At the kink x = 0 both PyTorch (`threshold_backward`,
///   `x <= 0 ? 0 : grad`) and JAX (a custom JVP selecting `x > 0`) take 0.
/// - Special values: relu(NaN) = NaN with derivative NaN; relu(−0) = +0 (the formula's 0);
///   relu(+inf) = +inf, relu'(+inf) = 1, relu(−inf) = 0, relu'(−inf) = 0.
public struct ReLU<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        x.isNaNCompare ? x : (x > 0 ? x : 0)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        x.isNaNCompare ? x : (x > 0 ? 1 : 0)
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if x > 0 { return (x, 1) }
        return x.isNaNCompare ? (x, x) : (0, 0)
    }
}

/// relu(x) = max(0, x).
///
/// The rectified linear unit (Nair & Hinton 2010): cheap, non-saturating for x > 0, but a unit
/// whose input stays negative gets no gradient at all ("dying ReLU").
///
/// - Derivative: 1 for x > 0, 0 for x < 0. At the kink x = 0 both PyTorch and JAX take 0.
/// - Special values: relu(NaN) = NaN with derivative NaN; relu'(+inf) = 1, relu'(-inf) = 0.
public struct ReLU<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        x.isNaN ? x : (x > 0 ? x : 0)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        x.isNaN ? x : (x > 0 ? 1 : 0)
    }
}

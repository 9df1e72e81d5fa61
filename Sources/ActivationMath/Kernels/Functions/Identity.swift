/// identity(x) = x.
///
/// The linear "activation": what a layer without one computes. Useful as a baseline and for
/// output layers of regressions; a stack of linear layers stays linear, so it adds no capacity.
///
/// - Derivative: 1 everywhere, including ±inf (the limit of a constant).
/// - Special values: NaN gives NaN for the value and the derivative; ±0 and subnormals pass
///   through unchanged (identity(−0) = −0, the function being odd).
public struct Identity<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar { x }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        x.isNaNCompare ? x : 1
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        (x, x.isNaNCompare ? x : 1)
    }
}

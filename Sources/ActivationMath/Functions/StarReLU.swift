/// Placeholder: to be written with its formula, derivative, kinks and special values.
public struct StarReLU<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}
    public func value(_ x: Scalar) -> Scalar { fatalError("StarReLU is not implemented yet") }
    public func derivative(_ x: Scalar) -> Scalar { fatalError("StarReLU is not implemented yet") }
}

/// Placeholder: to be written with its formula, derivative, kinks and special values.
public struct LeakyReLU<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}
    public func value(_ x: Scalar) -> Scalar { fatalError("LeakyReLU is not implemented yet") }
    public func derivative(_ x: Scalar) -> Scalar { fatalError("LeakyReLU is not implemented yet") }
}

/// Placeholder: to be written with its formula, derivative, kinks and special values.
public struct LeakyReLU6<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}
    public func value(_ x: Scalar) -> Scalar { fatalError("LeakyReLU6 is not implemented yet") }
    public func derivative(_ x: Scalar) -> Scalar { fatalError("LeakyReLU6 is not implemented yet") }
}

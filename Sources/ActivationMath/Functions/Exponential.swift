/// Placeholder: to be written with its formula, derivative, kinks and special values.
public struct Exponential<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}
    public func value(_ x: Scalar) -> Scalar { fatalError("Exponential is not implemented yet") }
    public func derivative(_ x: Scalar) -> Scalar { fatalError("Exponential is not implemented yet") }
}

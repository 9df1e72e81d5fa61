/// Placeholder: to be written with its formula, derivative, kinks and special values.
public struct Sigmoid<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}
    public func value(_ x: Scalar) -> Scalar { fatalError("Sigmoid is not implemented yet") }
    public func derivative(_ x: Scalar) -> Scalar { fatalError("Sigmoid is not implemented yet") }
}

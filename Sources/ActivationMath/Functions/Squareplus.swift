/// Placeholder: to be written with its formula, derivative, kinks and special values.
public struct Squareplus<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}
    public func value(_ x: Scalar) -> Scalar { fatalError("Squareplus is not implemented yet") }
    public func derivative(_ x: Scalar) -> Scalar { fatalError("Squareplus is not implemented yet") }
}

import RealModule

/// exponential(x) = e^x.
///
/// Not an activation for hidden layers (it overflows past x ≈ 709.78 and has no saturation on
/// the right) but the output link of Poisson and other positive-rate models, and the building
/// block of softmax.
///
/// - Value and derivative: the C library's exp, both e^x (glibc: within 0.502 ulp). Results
///   below 2.2e-308 are subnormal, not flushed; above 709.78 they are +inf.
/// - Special values: e^NaN = NaN; e^-inf = 0 with derivative 0; e^+inf = +inf with derivative
///   +inf; e^±0 = 1.
public struct Exponential<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar { Scalar.exp(x) }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar { Scalar.exp(x) }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let y = Scalar.exp(x)
        return (y, y)
    }
}

/// hard_sigmoid(x) = relu6(x + 3) / 6 = clamp((x + 3)/6, 0, 1).
///
/// Courbariaux et al. 2015 (BinaryConnect) and MobileNetV3 (Howard et al. 2019) in this form,
/// PyTorch's `Hardsigmoid`: a piecewise-linear sigmoid with slope 1/6 through (0, 1/2). (Keras 2
/// used slope 0.2; Keras 3 and JAX use 1/6, as we do.) No gradient outside [−3, 3].
///
/// Between the kinks (x + 3)/6 is evaluated with the rounding error of x + 3 carried into a
/// corrected division, so it is correctly rounded in all but rare cases rather than off by up
/// to one and a half ulp.
///
/// - Derivative: 1/6 on (−3, 3), 0 outside. At ±3 both conventions take 0: PyTorch's
///   `hardsigmoid_backward` keeps only `−3 < x < 3`, JAX's is relu6(x + 3)/6 with relu6's
///   custom JVP.
/// - Special values: NaN gives NaN; hard_sigmoid(−inf) = 0, hard_sigmoid(+inf) = 1, derivative 0.
public struct HardSigmoid<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > -3 && x < 3 {
            let (sum, error) = PiecewiseArithmetic.twoSum(x, 3)
            return PiecewiseArithmetic.divideBySix(sum, error)
        }
        if x.isNaNCompare { return x }
        return x >= 3 ? 1 : 0
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > -3 && x < 3 { return 1 / 6 }
        return x.isNaNCompare ? x : 0
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if x > -3 && x < 3 {
            let (sum, error) = PiecewiseArithmetic.twoSum(x, 3)
            return (PiecewiseArithmetic.divideBySix(sum, error), 1 / 6)
        }
        if x.isNaNCompare { return (x, x) }
        return (x >= 3 ? 1 : 0, 0)
    }
}

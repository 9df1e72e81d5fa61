/// hard_swish(x) = x · relu6(x + 3) / 6: 0 for x ≤ −3, x(x + 3)/6 between, x for x ≥ 3.
///
/// Howard et al. 2019 (MobileNetV3): swish with its sigmoid gate replaced by hard_sigmoid, so
/// that it costs a few multiplications. Like swish it is not monotonic (minimum −3/8 at
/// x = −3/2) and lets small negative values through; below −3 the gradient is exactly 0.
///
/// x(x + 3) is formed exactly (TwoSum for x + 3, Dekker's TwoProduct for the product) and divided by 6 with a
/// correction, so the value is correctly rounded in all but rare cases; the derivative
/// (2x + 3)/6 likewise.
///
/// - Derivative: 0 for x < −3, (2x + 3)/6 on (−3, 3), 1 for x > 3. At −3 both conventions take 0
///   and at 3 both take 1: PyTorch's `hardswish_backward` uses `x <= −3 → 0`, `x < 3 → x/3 + 1/2`,
///   else 1 (since the 2025 fix, pytorch#147801; older releases gave −1/2 and 3/2 there), and
///   JAX's product rule through relu6's custom JVP gives the same.
/// - Special values: NaN gives NaN; hard_swish(±0) = ±0; the value for x ≤ −3 is x · 0 = −0 (the formula as written,
///   also at −inf where the literal product would be NaN); +inf gives +inf with derivative 1.
public struct HardSwish<Scalar: ActivationReal>: ElementwiseKernel {
    /// Below this magnitude x²/6 is under half the smallest subnormal (2^−538 in float64).
    let tiny: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        tiny = Scalar(
            sign: .plus, exponent: Scalar.leastNonzeroMagnitude.exponent / 2 - 1, significand: 1)
    }

    /// x(x + 3)/6 = x/2 + x²/6 for |x| < `tiny`: x/2, except that when halving a subnormal is a
    /// tie the positive x²/6 decides it upwards (round-to-even could go either way).
    @inline(__always)
    static func tinyValue(_ x: Scalar) -> Scalar {
        let half = x * 0.5
        // x/2 is inexact only for subnormal x; then the true value, just above x/2, rounds to
        // the neighbour above, half + the least subnormal (half.nextUp, as arithmetic).
        return half + (half + half < x ? Scalar.leastNonzeroMagnitude : 0)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > -3 && x < 3 {
            if x == 0 { return x }  // ±0 · 3/6 keeps the sign of zero, as the formula does
            if abs(x) < tiny { return Self.tinyValue(x) }
            let (sum, error) = PiecewiseArithmetic.twoSum(x, 3)
            let (product, productError) = PiecewiseArithmetic.twoProductModerate(x, sum)
            return PiecewiseArithmetic.divideBySix(product, productError + x * error)
        }
        if x >= 3 || x.isNaNCompare { return x }
        return Scalar(signOf: x, magnitudeOf: 0)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > -3 && x < 3 {
            let (sum, error) = PiecewiseArithmetic.twoSum(x + x, 3)
            return PiecewiseArithmetic.divideBySix(sum, error)
        }
        if x.isNaNCompare { return x }
        return x >= 3 ? 1 : 0
    }

    @inline(__always)
    /// value(x) and derivative(x) with every branch computed and selected, so that the
    /// compiler vectorises the loop (the discarded formulas may overflow; nothing traps).
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let (sum, error) = PiecewiseArithmetic.twoSum(x, 3)
        let (product, productError) = PiecewiseArithmetic.twoProductModerate(x, sum)
        let general = PiecewiseArithmetic.divideBySix(product, productError + x * error)
        let small = abs(x) < tiny
        let innerValue = x == 0 ? x : (small ? Self.tinyValue(x) : general)
        let (slope, slopeError) = PiecewiseArithmetic.twoSum(x + x, 3)
        let innerDerivative = PiecewiseArithmetic.divideBySix(slope, slopeError)
        let nan = x.isNaNCompare
        let keep = x >= 3 || nan
        let outsideValue = keep ? x : Scalar(signOf: x, magnitudeOf: 0)
        let outsideDerivative: Scalar = nan ? x : (x >= 3 ? 1 : 0)
        let inside = x > -3 && x < 3
        return (inside ? innerValue : outsideValue, inside ? innerDerivative : outsideDerivative)
    }
}

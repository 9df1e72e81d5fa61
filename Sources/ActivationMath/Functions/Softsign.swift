/// softsign(x) = x / (1 + |x|).
///
/// Bergstra et al. 2009 and Glorot & Bengio 2010 ("Understanding the difficulty of training deep
/// feedforward neural networks"): a tanh-like squashing to (−1, 1) whose tails approach the
/// asymptotes polynomially (1/x) rather than exponentially, so it saturates more gently than tanh.
/// Odd and zero-centred; f' is continuous but f'' jumps at 0, so it is not smooth.
///
/// Accuracy: 1 + |x| is kept as an exact pair (hi, lo) and its reciprocal r = 1/hi is corrected
/// to r + r·(1 − r·hi − r·lo), so that both x·(1/(1 + |x|)) and 1/(1 + |x|)² are rounded once in
/// effect. For |x| ≥ 2^(p+2) (p the precision) 1/(1 + |x|) is below a quarter ulp of 1 and the
/// value is ±1; the derivative is the square of the corrected reciprocal, which underflows
/// gracefully (subnormal where the exact result is) and is 0 beyond |x| ≈ 2^537 in float64.
///
/// - Derivative: 1 / (1 + |x|)², positive everywhere, 1 at x = 0 (no kink).
/// - Special values: NaN gives NaN; softsign(±0) = ±0 (odd); softsign(±inf) = ±1, derivative 0.
public struct Softsign<Scalar: ActivationReal>: ElementwiseKernel {
    /// Beyond this magnitude the value rounds to ±1.
    let saturation: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        saturation = Scalar(sign: .plus, exponent: Scalar.Exponent(Scalar.significandBitCount + 3), significand: 1)
    }

    /// 1/(1 + |x|) as (r, correction); requires a finite x.
    @inline(__always)
    static func reciprocal(_ x: Scalar) -> (Scalar, Scalar) {
        let (hi, lo) = PiecewiseArithmetic.twoSum(1, abs(x))
        let r = 1 / hi
        let relativeError = Scalar(1).addingProduct(-r, hi) - r * lo
        return (r, r * relativeError)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if abs(x) >= saturation { return Scalar(signOf: x, magnitudeOf: 1) }
        if x.isNaN { return x }
        let (r, correction) = Self.reciprocal(x)
        return (x * correction).addingProduct(x, r)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        guard x.isFinite else { return x.isNaN ? x : 0 }
        let (r, correction) = Self.reciprocal(x)
        return (2 * r * correction).addingProduct(r, r)
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        guard x.isFinite else {
            return x.isNaN ? (x, x) : (Scalar(signOf: x, magnitudeOf: 1), 0)
        }
        let (r, correction) = Self.reciprocal(x)
        let derivative = (2 * r * correction).addingProduct(r, r)
        if abs(x) >= saturation { return (Scalar(signOf: x, magnitudeOf: 1), derivative) }
        return ((x * correction).addingProduct(x, r), derivative)
    }
}

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
/// gracefully (subnormal where the exact result is) and is 0 beyond |x| = 2^539 in float64.
///
/// - Derivative: 1 / (1 + |x|)², positive everywhere, 1 at x = 0 (no kink).
/// - Special values: NaN gives NaN; softsign(±0) = ±0 (odd); softsign(±inf) = ±1, derivative 0.
public struct Softsign<Scalar: ActivationReal>: ElementwiseKernel {
    /// Beyond this magnitude the value rounds to ±1.
    let saturation: Scalar
    /// Beyond this magnitude 1/(1 + |x|)² is below half the smallest subnormal: the derivative
    /// is 0 (and the exact products below would overflow their splits).
    let underflow: Scalar
    /// 2^−(emax/2): reciprocals below it are squared after scaling (see ``square(_:_:)``).
    let smallReciprocal: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        saturation = Scalar(sign: .plus, exponent: Scalar.Exponent(Scalar.significandBitCount + 3), significand: 1)
        let tiny = Scalar.leastNonzeroMagnitude.exponent  // −1074 in float64
        underflow = Scalar(sign: .plus, exponent: -tiny / 2 + 2, significand: 1)
        smallReciprocal = Scalar(
            sign: .plus, exponent: -(Scalar.greatestFiniteMagnitude.exponent / 2), significand: 1)
    }

    /// 1/(1 + |x|) as (r, correction); requires a finite x.
    @inline(__always)
    static func reciprocal(_ x: Scalar) -> (Scalar, Scalar) {
        let (hi, lo) = PiecewiseArithmetic.twoSum(1, abs(x))
        let r = 1 / hi
        let (p, pError) = PiecewiseArithmetic.twoProduct(r, hi)
        let relativeError = ((1 - p) - pError) - r * lo  // 1 − p is exact (Sterbenz)
        return (r, r * relativeError)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if abs(x) >= saturation { return Scalar(signOf: x, magnitudeOf: 1) }
        if x.isNaN || x == 0 { return x }  // ±0 keeps its sign: softsign is odd
        let (r, correction) = Self.reciprocal(x)
        return Self.product(x, r, correction)
    }

    /// (r + correction)², rounded once in effect. Below 2^−(emax/2) the exact product's error
    /// terms would fall into the subnormal range and lose bits, so r is scaled up first and the
    /// square scaled back down (one rounding, into the subnormals where the result is).
    @inline(__always)
    func square(_ r: Scalar, _ correction: Scalar) -> Scalar {
        if r >= smallReciprocal { return Self.product(r, r, 2 * correction) }
        let shift = Scalar.greatestFiniteMagnitude.exponent / 2
        let t = PiecewiseArithmetic.scaled(r, by: shift)
        let tc = PiecewiseArithmetic.scaled(correction, by: shift)
        return PiecewiseArithmetic.scaled(Self.product(t, t, 2 * tc), by: -2 * shift)
    }

    /// x · (r + correction), rounded once in effect.
    @inline(__always)
    static func product(_ x: Scalar, _ r: Scalar, _ correction: Scalar) -> Scalar {
        let (p, pError) = PiecewiseArithmetic.twoProduct(x, r)
        return p + (pError + x * correction)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        guard abs(x) < underflow else { return x.isNaN ? x : 0 }
        let (r, correction) = Self.reciprocal(x)
        return square(r, correction)
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        guard abs(x) < underflow else {
            return x.isNaN ? (x, x) : (Scalar(signOf: x, magnitudeOf: 1), 0)
        }
        let (r, correction) = Self.reciprocal(x)
        let derivative = square(r, correction)
        if abs(x) >= saturation { return (Scalar(signOf: x, magnitudeOf: 1), derivative) }
        if x == 0 { return (x, derivative) }
        return (Self.product(x, r, correction), derivative)
    }
}

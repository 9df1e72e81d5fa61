/// squareplus(x; b) = (x + √(x² + b)) / 2, b ≥ 0 (default 4).
///
/// Barron 2021 ("Squareplus: A Softplus-Like Algebraic Rectifier"): a smooth rectifier like
/// softplus, built from a square root instead of exp and log, so cheaper; b sets the curvature
/// near 0 (b = 0 gives relu). Positive, monotonic and unbounded above; its gradient vanishes as
/// x → −inf (like b/(4x²)).
///
/// Written so that nothing cancels or overflows (goals in order: no overflow, no cancellation,
/// then correct rounding):
/// - For x < 0 the sum x + √(x² + b) cancels; we use the equal b / (2(√(x² + b) − x)), whose
///   denominator adds two positive numbers. The derivative f/√(x² + b) becomes
///   b / (2·√(x² + b)·(√(x² + b) − x)) for the same reason.
/// - √(x² + b) is carried as a pair (root, error): x² exactly by an FMA, the sum by TwoSum and the
///   square root corrected by its exact residual, so each result is rounded about once.
/// - When max(|x|, √b) leaves [2^−e, 2^e] (e = 2/5 of the exponent range, 409 in float64) x² or b
///   could overflow or underflow; x and b are then scaled by 2^−k and 2^−2k (exact), and the
///   results scaled back (at x = ±1e300, f = 1e300 and f = 1/1e300; at ±greatestFiniteMagnitude,
///   f = greatestFiniteMagnitude and f = 4/(4 · greatestFiniteMagnitude), a subnormal).
///
/// - Derivative: (1 + x/√(x² + b)) / 2, in (0, 1), ½ at x = 0; smooth, no kinks for b > 0.
///   With b = 0 (relu) the point x = 0 is a kink where we take ½ under both conventions, the
///   limit as b → 0; JAX's `jax.nn.squareplus` would give NaN there (√'(0) · 0 = inf · 0) and
///   PyTorch has no squareplus.
/// - Special values: NaN gives NaN; squareplus(+inf) = +inf with derivative 1; squareplus(−inf) =
///   0 with derivative 0; squareplus(±0) = √b/2.
public struct Squareplus<Scalar: ActivationReal>: ElementwiseKernel {
    let b: Scalar
    let sqrtB: Scalar
    /// Magnitudes in (2^−safeExponent, 2^safeExponent) need no scaling.
    let safeLow: Scalar
    let safeHigh: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        b = Scalar(parameters.number("b"))
        sqrtB = b.squareRoot()
        let safeExponent = Scalar.greatestFiniteMagnitude.exponent * 2 / 5
        safeLow = Scalar(sign: .plus, exponent: -safeExponent, significand: 1)
        safeHigh = Scalar(sign: .plus, exponent: safeExponent, significand: 1)
    }

    /// The pieces both results need, for a finite x and b > 0: x = xs · 2^k,
    /// √(x² + b) = (root + rootError) · 2^k.
    @inline(__always)
    func root(_ x: Scalar) -> (xs: Scalar, root: Scalar, rootError: Scalar, k: Scalar.Exponent) {
        var xs = x
        var bs = b
        var k: Scalar.Exponent = 0
        let m = Swift.max(abs(x), sqrtB)
        if !(m > safeLow && m < safeHigh) {
            k = m.exponent
            xs = PiecewiseArithmetic.scaled(x, by: -k)
            bs = PiecewiseArithmetic.scaled(b, by: -2 * k)
        }
        let square = xs * xs
        let squareError = (-square).addingProduct(xs, xs)
        let (sum, sumError) = PiecewiseArithmetic.twoSum(square, bs)
        let root = sum.squareRoot()
        let residual = sum.addingProduct(-root, root)  // exact for a correctly rounded root
        let rootError = (residual + (sumError + squareError)) / (2 * root)
        return (xs, root, rootError, k)
    }

    /// f and f' of a finite x when b > 0.
    @inline(__always)
    func finite(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let (xs, root, rootError, k) = root(x)
        if xs >= 0 {
            let (sum, sumError) = PiecewiseArithmetic.twoSum(xs, root)
            let value = PiecewiseArithmetic.scaled((sum + (sumError + rootError)) * 0.5, by: k)
            // f' = 1/2 + (x/√(x² + b))/2, the quotient corrected by its exact remainder.
            let q = xs / root
            let qCorrection = (xs.addingProduct(-q, root) - q * rootError) / root
            return (value, Scalar(0.5).addingProduct(0.5, q) + 0.5 * qCorrection)
        }
        // D = √(x² + b) − x: two positive terms.
        let (d, dTwoSumError) = PiecewiseArithmetic.twoSum(root, -xs)
        let dError = dTwoSumError + rootError
        let q = b / d
        let qCorrection = (b.addingProduct(-q, d) - q * dError) / d
        let value = PiecewiseArithmetic.scaled((q + qCorrection) * 0.5, by: -k)
        // f' = b / (2 · √(x² + b) · D).
        let p = root * d
        let pError = (-p).addingProduct(root, d) + root * dError + rootError * d
        let r = b / p
        let rCorrection = (b.addingProduct(-r, p) - r * pError) / p
        let derivative = PiecewiseArithmetic.scaled((r + rCorrection) * 0.5, by: -2 * k)
        return (value, derivative)
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if x.isNaN { return (x, x) }
        if x.isInfinite { return x > 0 ? (x, 1) : (0, 0) }
        if b == 0 {
            // relu, with the derivative ½ at 0 (the limit as b → 0).
            if x > 0 { return (x, 1) }
            return x < 0 ? (0, 0) : (0, 0.5)
        }
        return finite(x)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar { valueAndDerivative(x).value }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar { valueAndDerivative(x).derivative }
}

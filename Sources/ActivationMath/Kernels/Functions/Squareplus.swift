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
/// - √(x² + b) is carried as a pair (root, error): x² exactly (TwoProduct), the sum by TwoSum and
///   the square root corrected by its exact residual, so each result is rounded about once.
///   Quotients use one reciprocal and an exact remainder instead of repeated divisions, and no
///   fma calls (a libm call on baseline x86-64): values and gradients together take about 16 ns.
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

    /// The pieces both results need, for a finite x and b > 0: x = xs · 2^k, b = bs · 2^2k,
    /// √(x² + b) = (root + rootError) · 2^k, and 1/root.
    @inline(__always)
    func root(_ x: Scalar) -> (
        xs: Scalar, bs: Scalar, root: Scalar, rootError: Scalar, inverseRoot: Scalar,
        k: Scalar.Exponent
    ) {
        var xs = x
        var bs = b
        var k: Scalar.Exponent = 0
        let m = Swift.max(abs(x), sqrtB)
        if !(m > safeLow && m < safeHigh) {
            k = m.exponent
            xs = PiecewiseArithmetic.scaled(x, by: -k)
            bs = PiecewiseArithmetic.scaled(b, by: -2 * k)
        }
        let (square, squareError) = PiecewiseArithmetic.twoProduct(xs, xs)
        let (sum, sumError) = PiecewiseArithmetic.twoSum(square, bs)
        let root = sum.squareRoot()
        let inverseRoot = 1 / root
        // sum − root² exactly: root² as an exact pair, the leading difference exact (Sterbenz).
        let (rootSquare, rootSquareError) = PiecewiseArithmetic.twoProduct(root, root)
        let residual = (sum - rootSquare) - rootSquareError
        let rootError = (residual + (sumError + squareError)) * (0.5 * inverseRoot)
        return (xs, bs, root, rootError, inverseRoot, k)
    }

    /// n/d for a pair d + dError, as (q, correction): q from a reciprocal, corrected by the
    /// remainder n − q·d formed exactly, so that q + correction is the quotient to about one
    /// rounding. No division: the reciprocal is the caller's.
    @inline(__always)
    static func quotient(
        _ n: Scalar, _ d: Scalar, _ dError: Scalar, inverse: Scalar
    ) -> (Scalar, Scalar) {
        let q = n * inverse
        let (qd, qdError) = PiecewiseArithmetic.twoProduct(q, d)
        let remainder = ((n - qd) - qdError) - q * dError
        return (q, remainder * inverse)
    }

    /// f and f' of a finite x when b > 0.
    @inline(__always)
    func finite(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let (xs, bs, root, rootError, inverseRoot, k) = root(x)
        if xs >= 0 {
            let (sum, sumError) = PiecewiseArithmetic.twoSum(xs, root)
            let value = PiecewiseArithmetic.scaled((sum + (sumError + rootError)) * 0.5, by: k)
            // f' = 1/2 + (x/√(x² + b))/2.
            let (q, correction) = Self.quotient(xs, root, rootError, inverse: inverseRoot)
            return (value, (0.5 + 0.5 * q) + 0.5 * correction)
        }
        // D = √(x² + b) − x: two positive terms.
        let (d, dTwoSumError) = PiecewiseArithmetic.twoSum(root, -xs)
        let dError = dTwoSumError + rootError
        let inverseD = 1 / d
        // The numerator: bs (at most 4) when the scale grows (k ≤ 0; b itself may be subnormal),
        // b · 2^−k when it shrinks (bs may have underflowed; b · 2^−k stays below 2^615, which
        // keeps the exact products' splits finite). f = b / (2D), f' = b / (2 · √(x² + b) · D).
        let shrunk = k > 0
        let numerator = shrunk ? PiecewiseArithmetic.scaled(b, by: -k) : bs
        let (q, qCorrection) = Self.quotient(numerator, d, dError, inverse: inverseD)
        let value = PiecewiseArithmetic.scaled((q + qCorrection) * 0.5, by: shrunk ? 0 : k)
        let (p, pTwoProductError) = PiecewiseArithmetic.twoProduct(root, d)
        let pError = pTwoProductError + root * dError + rootError * d
        let (r, rCorrection) = Self.quotient(numerator, p, pError, inverse: inverseRoot * inverseD)
        let derivative = PiecewiseArithmetic.scaled((r + rCorrection) * 0.5, by: shrunk ? -k : 0)
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

/// Error-free transformations shared by the piecewise kernels.
///
/// The piecewise functions are mostly exact (a comparison and a copy), but a few add a constant
/// before dividing or squaring ((x + 3)/6, ((x + 1)/2)², x/(1 + |x|)). Each of those loses up to
/// a whole ulp per operation when written naively; carrying the rounding error of the addition
/// (TwoSum) and of the product (FMA) keeps the results correctly rounded in all but rare cases.
/// The helpers live in a namespace so that they cannot collide with other modules' helpers.
enum PiecewiseArithmetic {
    /// a + b as an unevaluated pair (sum, error) with sum = fl(a + b) exactly (Knuth's TwoSum).
    @inline(__always)
    static func twoSum<T: ActivationReal>(_ a: T, _ b: T) -> (sum: T, error: T) {
        let s = a + b
        let bb = s - a
        let error = (a - (s - bb)) + (b - bb)
        return (s, error)
    }

    /// (hi + lo) / 6, rounded once in effect: the quotient of hi is corrected by its exact
    /// remainder (an FMA) plus lo.
    @inline(__always)
    static func divideBySix<T: ActivationReal>(_ hi: T, _ lo: T) -> T {
        let q = hi / 6
        let exactRemainder = hi.addingProduct(-q, 6)  // hi - 6q, exact by the FMA
        return q + (exactRemainder + lo) / 6
    }

    /// v · 2^k, rounded once even when the result is subnormal (no overflow of intermediate powers).
    @inline(__always)
    static func scaled<T: ActivationReal>(_ v: T, by k: T.Exponent) -> T {
        if k == 0 || v == 0 || !v.isFinite { return v }
        return T(sign: v.sign, exponent: v.exponent + k, significand: v.significand)
    }

    /// alpha · x for the negative side of the leaky family, with 0 · (−inf) taken as its limit
    /// (a zero signed like alpha · x for finite x) instead of NaN.
    @inline(__always)
    static func leakyProduct<T: ActivationReal>(_ alpha: T, _ x: T) -> T {
        if alpha == 0 && x.isInfinite { return alpha * T(signOf: x, magnitudeOf: 0) }
        return alpha * x
    }
}

import RealModule

/// Error-free transformations and the first-order corrections built on them.
///
/// Goals, in order: (1) a function whose argument is a rounded product (β·x, α·x, x/√2, x²/2)
/// must not inherit that rounding amplified: e^(βx) turns a half-ulp error of βx into |βx| half
/// ulps of the result; (2) results that land in the subnormal range keep every bit they can;
/// (3) speed. An FMA gives the rounding error of a product exactly, so the exact argument is
/// carried as `hi + lo` and the function is corrected to first order, f(hi + lo) ≈ f(hi) + lo·f'(hi).
///
/// The helpers are generic so that the kernels can be, but their constants (the hi/lo splits,
/// 2^-512) are exact for Double only: the engine evaluates both dtypes through the Double
/// instantiation, and a Float instantiation is not accurate to these bounds.
package enum ErrorFree {
    /// a·b = hi + lo exactly (barring overflow and underflow); lo is 0 when hi is not finite.
    @inline(__always)
    static func product<T: ActivationReal>(_ a: T, _ b: T) -> (hi: T, lo: T) {
        let hi = a * b
        guard hi.isFinite else { return (hi, 0) }
        return (hi, (-hi).addingProduct(a, b))
    }

    /// a + b = hi + lo exactly (Knuth's two-sum, no condition on the magnitudes).
    @inline(__always)
    static func sum<T: ActivationReal>(_ a: T, _ b: T) -> (hi: T, lo: T) {
        let hi = a + b
        guard hi.isFinite else { return (hi, 0) }
        let bVirtual = hi - a
        let aVirtual = hi - bVirtual
        return (hi, (a - aVirtual) + (b - bVirtual))
    }

    /// (ahi + alo)·(bhi + blo) as a double-length pair, to about 2^-104 relative.
    @inline(__always)
    static func product<T: ActivationReal>(_ a: (hi: T, lo: T), _ b: (hi: T, lo: T)) -> (hi: T, lo: T) {
        let (p, e) = product(a.hi, b.hi)
        guard p.isFinite else { return (p, 0) }
        let lo = e + (a.hi * b.lo + a.lo * b.hi)
        let hi = p + lo
        return (hi, lo - (hi - p))
    }

    /// m·e^a without losing the bits that a subnormal e^a would drop.
    ///
    /// For a ≥ -700 this is m·exp(a). Below, e^a is computed as e^(a + 1024·ln2hi) · 2^-1024 ·
    /// e^(1024·(ln2 - ln2hi)): the shifted argument is exact (ln2hi has 52 bits, so 1024·ln2hi
    /// and a share a 2^-43 grid and the sum fits in 53 bits), the product with m is formed in
    /// the normal range, and the result is rounded once when it is scaled down. `m` must be
    /// moderate (|m| < 2^300); for a < -1500 the result is a zero with the sign of m.
    @inline(__always)
    static func expTimes<T: ActivationReal>(_ a: T, _ m: T) -> T {
        if a >= -700 { return m * T.exp(a) }
        if !(a >= -1500) { return a.isNaN ? a : m * 0 }
        let shifted = a + T(Constants.ln2Hi52) * 1024
        let scaled = T.exp(shifted) * (m * T(Constants.expShiftCorrection))
        return scaled * T(Constants.twoToMinus512) * T(Constants.twoToMinus512)
    }
}

/// Intrinsic constants as exact reals split into a double `hi` and the remainder `lo`
/// (computed with mpmath at 60 digits).
enum Constants {
    static let invSqrt2 = (hi: 0.7071067811865476, lo: -4.833646656726457e-17)
    static let twoOverSqrtPi = (hi: 1.1283791670955126, lo: 1.533545961316588e-17)
    static let invSqrt2Pi = (hi: 0.3989422804014327, lo: -2.49232720227773e-17)
    /// 2·√(2/π), the slope of the tanh-form gelu's sigmoid argument 2u.
    static let twoSqrt2OverPi = (hi: 1.5957691216057308, lo: -9.96930880911092e-17)
    /// 0.044715 as the exact decimal.
    static let geluCubic = (hi: 0.044715, lo: 2.1960211427085595e-18)
    static let piOver4 = (hi: 0.7853981633974483, lo: 3.061616997868383e-17)
    static let halfPi = (hi: 1.5707963267948966, lo: 6.123233995736766e-17)
    /// ln 2 rounded to 52 bits, and e^(1024·(ln2 - ln2Hi52)).
    static let ln2Hi52 = 0.6931471805599454
    static let expShiftCorrection = 0.9999999999999101
    static let twoToMinus512 = 0x1p-512
}

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

    /// a · b as an unevaluated pair (product, error), exactly (Dekker's TwoProduct with
    /// Veltkamp's split).
    ///
    /// Written with multiplications and additions only: on the baseline x86-64 target Swift's
    /// `addingProduct` is a call into libm's fma, several times slower than these dozen
    /// operations and a barrier to vectorisation. Exact when |a|, |b| < 2^995 (the split must not
    /// overflow) and the error term stays above the subnormal range; callers guarantee both or
    /// accept an error far below the last bit of their result.
    @inline(__always)
    static func twoProduct<T: ActivationReal>(_ a: T, _ b: T) -> (product: T, error: T) {
        let p = a * b
        let (aHigh, aLow) = split(a)
        let (bHigh, bLow) = split(b)
        let error = ((aHigh * bHigh - p) + aHigh * bLow + aLow * bHigh) + aLow * bLow
        return (p, error)
    }

    /// Veltkamp's split of a into a high half and a low half of about p/2 bits each.
    /// ``twoProduct(_:_:)`` for arguments far from overflow and underflow (|a|, |b| below 2^500
    /// and a·b zero or above 2^-900): one FMA where the build has it, where both are exact and so
    /// agree bit for bit.
    @inline(__always)
    static func twoProductModerate<T: ActivationReal>(_ a: T, _ b: T) -> (product: T, error: T) {
        #if ACTIVATION_FMA
        let p = a * b
        return (p, (-p).addingProduct(a, b))
        #else
        return twoProduct(a, b)
        #endif
    }

    @inline(__always)
    static func split<T: ActivationReal>(_ a: T) -> (high: T, low: T) {
        // 2^27 + 1 for float64, 2^12 + 1 for float32; an integer conversion the optimiser folds.
        let splitter = T((1 << ((T.significandBitCount + 2) / 2)) + 1)
        let c = splitter * a
        let high = c - (c - a)
        return (high, a - high)
    }

    /// (hi + lo) / 6, rounded once in effect: an approximate quotient q = hi · (1/6) corrected
    /// by the exact remainder hi − 6q (6q = 4q + 2q exactly by TwoSum, and hi − fl(6q) is exact
    /// by Sterbenz's lemma) plus lo. No division and no fma call.
    @inline(__always)
    static func divideBySix<T: ActivationReal>(_ hi: T, _ lo: T) -> T {
        let sixth = 1 / T(6)
        let q = hi * sixth
        // hi - 6q is representable (q is within an ulp of hi/6), so either way it is exact.
        #if ACTIVATION_FMA
        let remainder = hi.addingProduct(-6, q)
        #else
        let (sixQ, sixQError) = twoSum(4 * q, 2 * q)
        let remainder = (hi - sixQ) - sixQError
        #endif
        return q + (remainder + lo) * sixth
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

extension BinaryFloatingPoint {
    /// The same as `isNaN`, written as `self != self`. In a vectorised loop this is one unordered
    /// compare per vector, where `isNaN` becomes integer masking and 64-bit integer compares:
    /// that costs the relu family half its speed.
    @inline(__always)
    var isNaNCompare: Bool { self != self }
}

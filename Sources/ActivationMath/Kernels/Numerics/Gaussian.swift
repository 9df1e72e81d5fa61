import RealModule

/// The standard normal density and distribution function for gelu, with the rounding of their
/// arguments carried.
///
/// φ(x) = e^(-x²/2)/√(2π): x² is split exactly into h + l, so e^(-x²/2) = e^(-h/2)·(1 - l/2);
/// without this a half-ulp error of x² is amplified x²/2-fold (≈ 400 half-ulps at x = -28).
/// Φ(x) = ½·erfc(-x/√2): the product x·(1/√2) is split the same way and erfc is corrected to
/// first order, erfc(z + δ) ≈ erfc(z) - δ·(2/√π)e^(-z²). Φ is never formed as ½(1 + erf),
/// which loses the whole negative tail.
enum Gaussian {
    /// m·φ(x), m moderate, accurate even where φ(x) alone would be subnormal.
    @inline(__always)
    static func densityTimes<T: ActivationReal>(_ x: T, _ m: T) -> T {
        let (h, l) = ErrorFree.product(x, x)
        guard h.isFinite else { return m * 0 }
        let c = T(Constants.invSqrt2Pi.hi)
        let cm = (m * c).addingProduct(m, T(Constants.invSqrt2Pi.lo))
        return ErrorFree.expTimes(-h / 2, cm.addingProduct(cm, -l / 2))
    }

    /// Φ(x) for -20 ≤ x ≤ 40 (erfc's argument correction included).
    @inline(__always)
    static func distribution<T: ActivationReal>(_ x: T) -> T {
        distribution(x, gauss: T.exp(-(x * x) / 2))
    }

    /// Φ(x) given `gauss` = exp(-(x·x)/2) (x·x rounded), which callers share with φ(x). The
    /// correction term needs erfc's slope (2/√π)e^(-z²), z = x/√2, only to a few digits, and
    /// e^(-x²/2) is that to 16.
    @inline(__always)
    static func distribution<T: ActivationReal>(_ x: T, gauss: T) -> T {
        let (p, e0) = ErrorFree.product(x, T(Constants.invSqrt2.hi))
        let e = e0.addingProduct(x, T(Constants.invSqrt2.lo))  // x/√2 = p + e
        let erfc = T.erfc(-p)
        let slope = T(Constants.twoOverSqrtPi.hi) * gauss
        return erfc.addingProduct(e, slope) / 2
    }

    /// m·φ(x) given `gauss` = exp(-(x·x)/2), for x·x/2 ≤ 700: the same bits as
    /// ``densityTimes(_:_:)`` there.
    @inline(__always)
    static func densityTimes<T: ActivationReal>(_ x: T, _ m: T, gauss: T) -> T {
        let (_, l) = ErrorFree.product(x, x)
        let c = T(Constants.invSqrt2Pi.hi)
        let cm = (m * c).addingProduct(m, T(Constants.invSqrt2Pi.lo))
        return cm.addingProduct(cm, -l / 2) * gauss
    }

    /// Σ (-1)^k (2k-1)!!/x^(2k), k = 0…11: the asymptotic series with Φ(x) = φ(x)/|x|·S(x).
    /// For x ≤ -20 the twelfth term is below 2^-60, so the truncation error is negligible.
    @inline(__always)
    static func millsSeries<T: ActivationReal>(_ x: T) -> T {
        let u = 1 / (x * x)
        var s: T = 0
        for k in stride(from: 11, through: 1, by: -1) {
            // s ← 1 - (2k-1)·u·s, Horner form of the alternating double-factorial series.
            s = (1 as T).addingProduct(-T(2 * k - 1) * u, s)
        }
        return s
    }
}

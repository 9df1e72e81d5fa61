import RealModule

/// The GLU family's float32 fast path: act(h) and act'(h) in plain double with a rigorous
/// relative error bound each (u = 2^-53; the C library's e^x taken as 4u, glibc being within
/// 0.51 ulp). A product with the linear half and the upstream gradient, one more rounding, then
/// lands within a few dozen double ulps of the exact result, which decides its float32 rounding
/// unless it lies that close to a float32 midpoint (about once in 2^22 results):
/// ``GatedKernels`` delivers it through ``SoftmaxFast/decided(_:_:bound:_:)``, and recomputes
/// the pair in double length otherwise. A float32 result is then the correctly rounded one,
/// exactly what the double-length path gives, at the cost of one exponential and a division.
///
/// With e = e^-|h| (4u), D = 1 + e (3u), 1/D (4u):
/// - σ(h) = 1/D (4u) or e/D (9u); σ'(h) = e/D² (14u): stated as 2^-49 and 2^-48.
/// - swish: h·σ(h) (10u); swish'(h) = N/D² with N = 1 + e + h·e (h ≥ 0, positive terms, 7u),
///   or e·N/D² with N = (1 + h) + e (h < 0), which cancels next to swish's minimum at
///   h ≈ −1.278: N's absolute error u·(1 + |h| + 4e) + u·|N| is carried into the bound.
/// - gelu (geglu's exact form), |h| ≤ 20: G = e^(-h²/2) from h² exactly, e^(-hh/2)·(1 − hl/2)
///   (6u). For |h| < 1, Φ = ½ + (1/√π)·z·(1 − z²·Q(z²)), z = h/√2, with ``GatedGaussian``'s
///   series Q in double: ½·erf within 8u, Φ ≥ 0.158 within 18u. For |h| ≥ 1 the tail
///   T = ½·erfcx(z)·G (``Erfcx``, 2e-18, z's rounding carried to first order): 9u; Φ = T or
///   1 − T (T ≤ 0.16). Both stated as 2^-48. gelu' = Φ + h·φ, φ = G/√(2π) (9u), its absolute
///   error carried into the bound (the sum cancels by at most 1.7 outside [-1.2, -0.3]); inside,
///   ``RootSeries/gelu`` in double length (3e-18), rounded once: 2^-50.
enum GatedSingle {
    /// act, act', and their relative error bounds.
    typealias Result = (a: Double, da: Double, aError: Double, daError: Double)

    /// Below e^-600 the products may leave float32's range anyway; the double-length path decides.
    static let largest = 600.0

    @inline(__always)
    static func sigmoid(_ h: Double, derivative: Bool) -> Result? {
        guard abs(h) <= largest else { return nil }
        let e = Double.exp(-abs(h))
        let inverse = 1 / (1 + e)
        let ei = e * inverse
        let a = h >= 0 ? inverse : ei
        return (a, derivative ? ei * inverse : 0, 0x1p-49, 0x1p-48)
    }

    @inline(__always)
    static func swish(_ h: Double, derivative: Bool) -> Result? {
        guard abs(h) <= largest, abs(h) >= GatedFast.smallest else { return nil }
        let e = Double.exp(-abs(h))
        let inverse = 1 / (1 + e)
        let i2 = inverse * inverse
        let a = h * (h >= 0 ? inverse : e * inverse)
        guard derivative else { return (a, 0, 0x1p-49, 0) }
        if h >= 0 {
            let n = (1 + e) + h * e
            return (a, n * i2, 0x1p-49, 0x1p-48)
        }
        let n = (1 + h) + e
        let nError = (1 + abs(h) + 4 * e) * 0x1p-53 / abs(n) + 0x1p-53
        return (a, e * n * i2, 0x1p-49, 0x1p-48 + nError)
    }

    @inline(__always)
    static func gelu(_ h: Double, derivative: Bool) -> Result? {
        let a = abs(h)
        guard a <= 20, a >= GatedFast.smallest else { return nil }
        var gauss = 0.0
        if a >= 1 || derivative {
            let (hh, hl) = ErrorFree.twoProduct(h, h)
            let v = Double.exp(-hh / 2)
            gauss = v - v * (hl / 2)  // e^(-(hh + hl)/2), (hl/2)² below 2^-100
        }
        let phi: Double
        if a < 1 {
            let z = h * Constants.invSqrt2.hi
            let w = z * z
            var q = 0.0
            for c in GatedGaussian.erfSeries.reversed() { q = c.addingProduct(w, q) }
            let half = (Constants.twoOverSqrtPi.hi / 2) * z * (1 - w * q)
            phi = 0.5 + half
        } else {
            let zh = a * Constants.invSqrt2.hi
            let zl = (-zh).addingProduct(a, Constants.invSqrt2.hi) + a * Constants.invSqrt2.lo
            let (r, rl) = Erfcx.evaluate(zh)
            // erfcx(zh + zl) = erfcx(zh) + zl·(2z·erfcx − 2/√π) to first order.
            let erfcx = r + (rl + zl * (2 * zh * r - Constants.twoOverSqrtPi.hi))
            let t = 0.5 * erfcx * gauss
            phi = h < 0 ? t : 1 - t
        }
        let value = h * phi
        guard derivative else { return (value, 0, 0x1p-48, 0) }
        if RootSeries.gelu.contains(h) {
            let f = RootSeries.gelu.doubleLength(h, c1: RootSeries.geluC1, c2: RootSeries.geluC2)
            return (value, f.hi, 0x1p-48, 0x1p-50)
        }
        let hd = h * (gauss * Constants.invSqrt2Pi.hi)  // h·φ within 9u
        let d = phi + hd
        let dError = (abs(phi) * 0x1p-48 + abs(hd) * 0x1p-49) / abs(d) + 0x1p-53
        return (value, d, 0x1p-48, dError)
    }
}

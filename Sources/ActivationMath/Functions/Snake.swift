import RealModule

/// snake(x) = x + sin²(alpha·x)/alpha (Ziyin et al. 2020), alpha > 0 and learnable.
///
/// A periodic activation with a linear trend, introduced so that networks can extrapolate
/// periodic signals; BigVGAN and other audio models use it with one learnable alpha per
/// channel. Smooth and monotonic (f' = 1 + sin(2αx) ≥ 0), unbounded on both sides (it grows like
/// x); its derivative touches 0 at every αx = -π/4 + kπ.
///
/// - Formula: u = αx is a rounded product; sin(u) would carry its error δ as δ·cos(u), which is
///   ~|u|·2^-53 absolute, so u is split exactly into uh + ul (FMA) and
///   sin(u) = sin(uh)cos(ul) + cos(uh)sin(ul) (first order when |ul| < 2^-27).
/// - Derivative: 1 + sin(2u), and where sin 2u < -1/2 the same as 2·sin²(u + π/4) with the sum
///   carried in double length (|u| < 2^20), so the double zeros of f' at u = -π/4 + kπ keep their
///   relative accuracy (1 + sin would lose it all there). For |u| ≥ 2^20 the reduction of u
///   modulo 2π inside sin is only as good as a double, and f' is accurate to ~2e-16 absolute:
///   near its zeros that is many ulps (measured: up to 2404 ulp at x = -4e81).
/// - Partial: ∂f/∂α = (u·sin 2u - sin²u)/α². For |u| < 1/2 it is x²·G(u²), G = 1 - t + 2t²/9 - …
///   (Taylor, 10 terms, truncation < 1e-19), which avoids the cancellation of the two terms;
///   beyond, the difference is formed in double length. Its zeros (tan u = 2u, u = kπ) are
///   met to an absolute, not relative, accuracy of about ulp(x²).
/// - Special values: NaN → NaN. At ±inf, sin²(αx) has no limit; math-conventions §5 makes the
///   result NaN there, and we apply it to the value too (although x + sin²(αx)/α itself tends to
///   ±inf), to f' and to ∂f/∂α, which oscillate without a limit. When αx overflows for finite x (alpha > 1, |x| near the
///   largest double) the value is x and the derivative and partial are NaN. snake(±0) = +0
///   by the formula (x + 0).
public struct Snake<Scalar: ActivationReal>: ElementwiseKernel {
    // Stored as Double (Sendable, unlike a generic Scalar); the conversion is free for Double.
    let alphaValue: Double
    var alpha: Scalar { Scalar(alphaValue) }

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        alphaValue = parameters.optionalNumber("alpha") ?? 1
    }

    /// (sin, cos) of hi + lo.
    @inline(__always)
    static func sinCos(_ hi: Scalar, _ lo: Scalar) -> (Scalar, Scalar) {
        let s = Scalar.sin(hi)
        let c = Scalar.cos(hi)
        if abs(lo) < 0x1p-27 {
            return (s.addingProduct(c, lo), c.addingProduct(-s, lo))
        }
        let sl = Scalar.sin(lo)
        let cl = Scalar.cos(lo)
        return ((s * cl).addingProduct(c, sl), (c * cl).addingProduct(-s, sl))
    }

    /// sin²(uh + ul) in double length. Where sin² > 1/4 (cos 2u < 1/2) it is (1 - cos 2u)/2,
    /// which does not double sin's rounding error and whose subtraction cannot cancel; elsewhere
    /// the square of sin(uh) + ul·cos(uh).
    @inline(__always)
    static func sinSquared(_ uh: Scalar, _ ul: Scalar) -> (hi: Scalar, lo: Scalar) {
        guard abs(uh) < 0x1p20 else {
            let s = sinCos(uh, ul).0
            return ErrorFree.product(s, s)
        }
        let c2 = Scalar.cos(2 * uh)
        if c2 < 0.5 {
            let (d, dl) = ErrorFree.sum(1, -c2)
            return (d / 2, (dl + 2 * ul * Scalar.sin(2 * uh)) / 2)
        }
        let s = (hi: Scalar.sin(uh), lo: ul * Scalar.cos(uh))
        return ErrorFree.product(s, s)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x.isInfinite { return .nan }
        let (uh, ul) = ErrorFree.product(alpha, x)
        if !uh.isFinite { return x }
        let (s2, s2l) = Self.sinSquared(uh, ul)
        // s²/α in double length, then x + s²/α rounded once.
        let q = s2 / alpha
        let ql = (s2.addingProduct(-q, alpha) + s2l) / alpha
        let (v, vl) = ErrorFree.sum(x, q)
        return v + (vl + ql)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        let (uh, ul) = ErrorFree.product(alpha, x)
        if !uh.isFinite { return x.isNaN ? x : .nan }
        if abs(uh) < 0x1p20 {
            let s2 = Scalar.sin(2 * uh)
            let c2 = Scalar.cos(2 * uh)
            // 1 + sin 2u cancels only where sin 2u is near -1; elsewhere it is exact at 0.
            if s2 > -0.5 { return 1 + s2.addingProduct(2 * ul, c2) }
            let (a, al) = ErrorFree.sum(uh, Scalar(Constants.piOver4.hi))
            let lo = al + (ul + Scalar(Constants.piOver4.lo))
            let s = Scalar.sin(a).addingProduct(Scalar.cos(a), lo)
            return 2 * (s * s)
        }
        let (s, c) = Self.sinCos(uh, ul)
        return (1 as Scalar).addingProduct(2 * s, c)
    }

    /// (∂f/∂α, 0).
    @inline(__always)
    public func parameterPartials(_ x: Scalar) -> (Scalar, Scalar) {
        let (uh, ul) = ErrorFree.product(alpha, x)
        if !uh.isFinite { return (x.isNaN ? x : .nan, 0) }
        if abs(uh) < 0.5 {
            let t = uh * uh
            var acc: Scalar = 0
            for c in Self.partialSeries.reversed() { acc = Scalar(c).addingProduct(acc, t) }
            // G = 1 + t·acc = 1 - t + …, the last step in double length; u²/α² = x² exactly.
            let tp = ErrorFree.product(t, acc)
            let g = ErrorFree.sum(1, tp.hi)
            let p = ErrorFree.product(ErrorFree.product(x, x), (g.hi, g.lo + tp.lo))
            return (p.hi, 0)
        }
        // (x·sin 2u - sin²u/α)/α, each term in double length; written with x rather than u so
        // that no intermediate exceeds the result by a factor α.
        let sin2u: (hi: Scalar, lo: Scalar)
        if abs(uh) < 0x1p20 {
            sin2u = (Scalar.sin(2 * uh), 2 * ul * Scalar.cos(2 * uh))
        } else {
            let (s, c) = Self.sinCos(uh, ul)
            sin2u = ErrorFree.product((2 * s, 0), (c, 0))
        }
        let a = ErrorFree.product((x, 0), sin2u)
        let (s2, s2l) = Self.sinSquared(uh, ul)
        let q = s2 / alpha
        let ql = (s2.addingProduct(-q, alpha) + s2l) / alpha
        let (d, dl) = ErrorFree.sum(a.hi, -q)
        return (LogisticParts.quotient(d, dl + (a.lo - ql), alpha, 0), 0)
    }

    /// G(t) - 1 divided by t: the coefficients of t^1… of G(t) = (u sin 2u - sin²u)/u², t = u².
    static var partialSeries: [Double] {
        [-1.0, 0.2222222222222222, -0.022222222222222223, 0.0012698412698412698,
         -4.7031158142269256e-05, 1.2215885231758248e-06, -2.3492086984150476e-08,
         3.4803091828371076e-10, -4.094481391573068e-12]
    }
}

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
/// - Derivative: 1 + sin(2u), and where sin 2u < -1/2 the same as 2·sin²(u + π/4), the argument
///   reduced by a four-piece π/4 to 2^-130 absolute (|u| < 2^20, ``shiftedSquare(_:_:)``), so the
///   double zeros of f' at u = -π/4 + kπ keep their relative accuracy (1 + sin would lose it
///   all there; a two-piece π/4 left tens to thousands of ulp right next to them). For |u| ≥ 2^20 both parts of u are
///   reduced exactly modulo π/2 (``HalfPiReduction``), and f' and the partial are formed from
///   the remainder: combining sin and cos of uh and ul would leave ~1e-16 absolute error.
/// - Partial: ∂f/∂α = (u·sin 2u - sin²u)/α². For |u| < 0.85 it is x²·G(u²), G = 1 - t + 2t²/9 - …
///   (Taylor, 12 terms, truncation < 1.1e-19), which avoids the cancellation of the two terms;
///   beyond, the difference is formed in double length, and within 0.6 of a root of
///   2u·cos u - sin u (tan u = 2u, |u| < 200) the exact form of ``SnakeRoots`` replaces it. Beyond
///   |u| = 200 those zeros are met to an absolute accuracy of about ulp(x²) only.
/// - Special values: NaN → NaN. At ±inf the value is ±inf, its limit (sin²(αx)/α stays in
///   [0, 1/α] while x grows without bound); f' and ∂f/∂α oscillate without a limit, so they are
///   NaN there. When αx overflows for finite x (alpha > 1, |x| near the
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
        let (s2, c2) = Trig.sinCos(2 * uh)
        return sinSquared(uh, ul, sin2: s2, cos2: c2)
    }

    /// sin²(uh + ul) for |uh| < 2^20, given sin 2uh and cos 2uh.
    @inline(__always)
    static func sinSquared(_ uh: Scalar, _ ul: Scalar, sin2: Scalar, cos2: Scalar) -> (hi: Scalar, lo: Scalar) {
        if cos2 < 0.5 {
            let (d, dl) = ErrorFree.sum(1, -cos2)
            return (d / 2, (dl + 2 * ul * sin2) / 2)
        }
        let (sinU, cosU) = Trig.sinCos(uh)
        return sinSquared(ul, sinU: sinU, cosU: cosU)
    }

    /// sin²(uh + ul) as the square of sin(uh) + ul·cos(uh), given sin uh and cos uh.
    @inline(__always)
    static func sinSquared(_ ul: Scalar, sinU: Scalar, cosU: Scalar) -> (hi: Scalar, lo: Scalar) {
        let s = (hi: sinU, lo: ul * cosU)
        return ErrorFree.product(s, s)
    }

    /// x + s²/α with s² in double length, rounded once.
    @inline(__always)
    func finish(_ x: Scalar, _ square: (hi: Scalar, lo: Scalar)) -> Scalar {
        let q = square.hi / alpha
        let ql = (square.hi.addingProduct(-q, alpha) + square.lo) / alpha
        let (v, vl) = ErrorFree.sum(x, q)
        return v + (vl + ql)
    }

    /// f' for |uh| < 2^20, given sin 2uh and cos 2uh.
    @inline(__always)
    static func derivative(_ uh: Scalar, _ ul: Scalar, sin2 s2: Scalar, cos2 c2: Scalar) -> Scalar {
        // 1 + sin 2u cancels only where sin 2u is near -1; elsewhere it is exact at 0.
        if s2 > -0.5 { return 1 + s2.addingProduct(2 * ul, c2) }
        return shiftedSquare(uh, ul)
    }

    /// 2·sin²(u + π/4) for u = uh + ul, |uh| < 2^20: next to the zeros of f' (u + π/4 = kπ) this
    /// square is all there is, and its argument must be known to far more than u's own 106
    /// bits' worth of absolute error would suggest. With n = round((u + π/4)/(π/2)) and
    /// K = 2n − 1, ρ = u + π/4 − n·π/2 = u − K·π/4 is formed from exact products and TwoSums
    /// (error K·3.7e-49 < 2^-130, where the nearest double comes to a zero within about 2^-62),
    /// and f' = 2·sin²ρ (n even) or 2·cos²ρ (n odd), from Trig's kernels in double length,
    /// squared in double length and rounded once.
    @inline(__always)
    static func shiftedSquare(_ uh: Scalar, _ ul: Scalar) -> Scalar {
        let n = (uh * Scalar(Trig.invPio2) + 0.5).rounded(.toNearestOrEven)
        let k = 2 * n - 1
        // π/4 in four pieces (32, 32, 28 and 53 bits; 3.7e-49 left): K·Q₁, K·Q₂ and K·Q₃ are
        // exact for |K| < 2^21.
        let (s1, e1) = ErrorFree.sum(uh, -k * Scalar(0x1.921fb54400000p-1))
        let (s2, e2) = ErrorFree.sum(s1, -k * Scalar(0x1.0b4611a600000p-35))
        let (s3, e3) = ErrorFree.sum(s2, -k * Scalar(0x1.3198a2e000000p-70))
        let rest = ((e1 + e2) + e3) + (ul - k * Scalar(0x1.b839a252049c1p-105))
        let (rh, rl) = ErrorFree.sum(s3, rest)
        let odd = n - 2 * (n / 2).rounded(.down) != 0
        let pair = odd ? Trig.kernelCosPair(rh, rl) : Trig.kernelSinPair(rh, rl)
        return 2 * ErrorFree.product(pair, pair).hi
    }

    /// Shares sin 2u and cos 2u between value and derivative (bit for bit the separate results).
    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let (uh, ul) = ErrorFree.product(alpha, x)
        guard x.isFinite, abs(uh) < 0x1p20 else { return (value(x), derivative(x)) }
        let (s2, c2) = Trig.sinCos(2 * uh)
        return (finish(x, Self.sinSquared(uh, ul, sin2: s2, cos2: c2)),
                Self.derivative(uh, ul, sin2: s2, cos2: c2))
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        let (uh, ul) = ErrorFree.product(alpha, x)
        if !uh.isFinite { return x }  // ±inf (the limit), NaN, or αx overflowing: f(x) = x then
        return finish(x, Self.sinSquared(uh, ul))
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        let (uh, ul) = ErrorFree.product(alpha, x)
        if !uh.isFinite { return x.isNaN ? x : .nan }
        if abs(uh) < 0x1p20 {
            let (s2, c2) = Trig.sinCos(2 * uh)
            return Self.derivative(uh, ul, sin2: s2, cos2: c2)
        }
        // 2 sin²(u + π/4) = 2 sin²(qπ/2 + θ), θ = r + π/4 ∈ [0, π/2], from the exact reduction;
        // sin θ and cos θ from Trig's kernels in double length (on π/2 − θ above π/4), the
        // square in double length, rounded once (the C library's sin and cos and a plain
        // square left 3 ulp).
        let (q, rh, rl) = HalfPiReduction.reduce(Double(uh), Double(ul))
        let (t, tl) = ErrorFree.sum(rh, Constants.piOver4.hi)
        let theta = (hi: t, lo: tl + (rl + Constants.piOver4.lo))
        let sine: (hi: Double, lo: Double), cosine: (hi: Double, lo: Double)
        if theta.hi <= Constants.piOver4.hi {
            (sine, cosine) = (Trig.kernelSinPair(theta.hi, theta.lo), Trig.kernelCosPair(theta.hi, theta.lo))
        } else {
            let (p, pl) = ErrorFree.sum(Constants.halfPi.hi, -theta.hi)
            let phi = (hi: p, lo: pl + (Constants.halfPi.lo - theta.lo))
            (sine, cosine) = (Trig.kernelCosPair(phi.hi, phi.lo), Trig.kernelSinPair(phi.hi, phi.lo))
        }
        let v = q & 1 == 0 ? sine : cosine
        return Scalar(2 * ErrorFree.product(v, v).hi)
    }

    /// (∂f/∂α, 0).
    @inline(__always)
    public func parameterPartials(_ x: Scalar) -> (Scalar, Scalar) {
        let (uh, ul) = ErrorFree.product(alpha, x)
        if !uh.isFinite { return (x.isNaN ? x : .nan, 0) }
        if abs(uh) < 0.85 { return (Self.seriesPartial(x, uh, ul), 0) }
        if let partial = rootPartial(uh, ul) { return (partial, 0) }
        // (x·sin 2u - sin²u/α)/α, each term in double length; written with x rather than u so
        // that no intermediate exceeds the result by a factor α.
        if abs(uh) < 0x1p20 {
            let (s2, c2) = Trig.sinCos(2 * uh)
            return (differencePartial(x, sin2u: (s2, 2 * ul * c2), square: Self.sinSquared(uh, ul)), 0)
        }
        // sin 2u = ±sin 2r and sin²u = sin²r or cos²r, from the exact reduction u = qπ/2 + r.
        let (q, rh, rl) = HalfPiReduction.reduce(Double(uh), Double(ul))
        let sign: Double = q & 1 == 0 ? 1 : -1
        let s2r = Double.sin(2 * rh).addingProduct(2 * rl, Double.cos(2 * rh))
        let sr = Double.sin(rh).addingProduct(rl, Double.cos(rh))
        let cr = Double.cos(rh).addingProduct(-rl, Double.sin(rh))
        let w = q & 1 == 0 ? sr : cr
        let square = ErrorFree.product(w, w)
        return (differencePartial(
            x, sin2u: (Scalar(sign * s2r), 0), square: (Scalar(square.hi), Scalar(square.lo))), 0)
    }

    /// The common case in one pass: sin 2u and cos 2u, and sin²u, computed once and shared by
    /// the value, the derivative and ∂f/∂α (bit for bit the separate results).
    @inline(__always)
    public func valueDerivativeAndPartials(
        _ x: Scalar
    ) -> (value: Scalar, derivative: Scalar, partials: (Scalar, Scalar)) {
        let (uh, ul) = ErrorFree.product(alpha, x)
        guard x.isFinite, abs(uh) < 0x1p20 else {
            let (y, dy) = valueAndDerivative(x)
            return (y, dy, parameterPartials(x))
        }
        let (s2, c2) = Trig.sinCos(2 * uh)
        // sin uh and cos uh serve sin²u (where cos 2u ≥ 1/2) and the partial next to its roots:
        // computed once when either needs them.
        let h = abs(uh) < 0.85 ? nil : Self.rootH(uh, ul)
        var (sinU, cosU): (Scalar, Scalar) = (0, 0)
        if c2 >= 0.5 || h != nil { (sinU, cosU) = Trig.sinCos(uh) }
        let square = c2 < 0.5
            ? Self.sinSquared(uh, ul, sin2: s2, cos2: c2)
            : Self.sinSquared(ul, sinU: sinU, cosU: cosU)
        let partial: Scalar
        if abs(uh) < 0.85 {
            partial = Self.seriesPartial(x, uh, ul)
        } else if let h {
            partial = rootPartial(uh, ul, h: h, sinU: sinU, cosU: cosU)
        } else {
            partial = differencePartial(x, sin2u: (s2, 2 * ul * c2), square: square)
        }
        return (finish(x, square), Self.derivative(uh, ul, sin2: s2, cos2: c2), (partial, 0))
    }

    /// ∂f/∂α for |u| < 0.85: x²·G(u²), G = (1 - t) + t²·(2/9 - t/45 + …), t = u² in double
    /// length; u²/α² = x² exactly.
    @inline(__always)
    static func seriesPartial(_ x: Scalar, _ uh: Scalar, _ ul: Scalar) -> Scalar {
        let t = ErrorFree.product((uh, ul), (uh, ul))
        var acc: Scalar = 0
        for c in PolynomialCoefficients.snakePartial.reversed() {
            acc = Scalar(c).addingProduct(acc, t.hi)
        }
        let (oneMinusT, lo) = ErrorFree.sum(1, -t.hi)
        let g = ErrorFree.sum(oneMinusT, (t.hi * t.hi) * acc)
        return ErrorFree.product(ErrorFree.product(x, x), (g.hi, g.lo + (lo - t.lo))).hi
    }

    /// ∂f/∂α = sin u·h(u)/α² next to the roots of h (``SnakeRoots``), else nil.
    @inline(__always)
    func rootPartial(_ uh: Scalar, _ ul: Scalar) -> Scalar? {
        guard let h = Self.rootH(uh, ul) else { return nil }
        let (sinU, cosU) = Trig.sinCos(uh)
        return rootPartial(uh, ul, h: h, sinU: sinU, cosU: cosU)
    }

    /// h(u) of ``SnakeRoots`` with u's sign, within 0.6 of a root, else nil.
    @inline(__always)
    static func rootH(_ uh: Scalar, _ ul: Scalar) -> Scalar? {
        let sign: Scalar = uh < 0 ? -1 : 1
        return SnakeRoots.h(abs(uh), sign * ul).map { sign * $0 }
    }

    /// sin u·h(u)/α² given h (signed, from ``rootH(_:_:)``), sin uh and cos uh.
    @inline(__always)
    func rootPartial(_ uh: Scalar, _ ul: Scalar, h: Scalar, sinU: Scalar, cosU: Scalar) -> Scalar {
        // sin u = sin(uh) + ul·cos(uh) in double length, times h, over α², rounded once.
        let n = ErrorFree.product((sinU, ul * cosU), (h, 0))
        let (aa, aal) = ErrorFree.product(alpha, alpha)
        return LogisticParts.quotient(n.hi, n.lo, aa, aal)
    }

    /// ∂f/∂α = (x·sin 2u - sin²u/α)/α from sin 2u and sin²u in double length, rounded once.
    @inline(__always)
    func differencePartial(_ x: Scalar, sin2u: (hi: Scalar, lo: Scalar), square: (hi: Scalar, lo: Scalar)) -> Scalar {
        let a = ErrorFree.product((x, 0), sin2u)
        let q = square.hi / alpha
        let ql = (square.hi.addingProduct(-q, alpha) + square.lo) / alpha
        let (d, dl) = ErrorFree.sum(a.hi, -q)
        return LogisticParts.quotient(d, dl + (a.lo - ql), alpha, 0)
    }
}

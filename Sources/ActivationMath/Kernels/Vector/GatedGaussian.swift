import RealModule

/// Φ(x), φ(x) and gelu'(x) = Φ(x) + x·φ(x) as ``ScaledDouble`` values to about 2^-55, for
/// geglu's exact form.
///
/// - φ(x) = e^(-x²/2)/√(2π): x² exactly (TwoProduct), the exponential by ``ExpDoubleDouble``
///   (scaled: it stays exact where e^(-x²/2) is subnormal or far below), 1/√(2π) in double-double.
/// - Φ(x): for |x| < 1, ½ + ½·erf(x/√2) with erf(z) = (2/√π)·z·(1 − z²·Q(z²)), Q's 16 terms in
///   double (z²·Q ≤ 1/6, so Q's rounding costs 2^-55.6); for |x| ≥ 1 the tail T(a) = ½·erfc(a/√2),
///   a = |x|, is ½·erfcx(z)·e^(-z²) (``Erfcx``, 2e-18, its argument's rounding carried) up to
///   a = 20 and φ(a)·S(a)/a beyond, with the asymptotic series S = 1 − u·S₁, u = 1/a², S₁ in
///   double (so S to 2^-60, ``millsRatio(_:)``); then Φ = T(a) for x ≤ -1 and 1 − T(a) for x ≥ 1.
/// - Beyond a = 74, e^(-a²/2) < 2^-3950 and Φ(−a), φ(±a) are taken as 0: every product with
///   factors below 2^2048·a is below the smallest subnormal.
/// - gelu' near its root (x in [-1.2, -0.3]) comes from ``RootSeries/gelu`` (3e-18), where the sum
///   cancels; elsewhere the cancellation is at most a factor 1.7 (x ≤ -1.2) or none.
enum GatedGaussian {
    /// Q(w) = Σₙ (−1)^(n+1)·w^(n−1)/(n!(2n+1)), n = 1…17.
    static let erfSeries: [Double] = [
        0.3333333333333333, -0.1, 0.023809523809523808, -0.004629629629629629, 0.0007575757575757576,
        -0.00010683760683760684, 1.3227513227513228e-05, -1.4589169000933706e-06, 1.4503852223150468e-07,
        -1.3122532963802806e-08, 1.0892221037148573e-09, -8.35070279514724e-11, 5.9477940136376354e-12,
        -3.9554295164585257e-13, 2.466827010264457e-14, -1.4483264643598138e-15, 8.032735012415773e-17,
    ]

    /// e^(-x²/2) as a scaled double-double (zero when |x| > 74).
    @inline(__always)
    static func gauss(_ x: Double) -> ScaledDouble {
        guard abs(x) <= 74 else { return .zero }
        let (h, l) = ErrorFree.twoProduct(x, x)
        let e = ExpDoubleDouble.exp(-h / 2, -l / 2)
        return ScaledDouble(hi: e.hi, lo: e.lo, scale: e.scale)
    }

    /// φ(x).
    @inline(__always)
    static func density(_ x: Double) -> ScaledDouble {
        gauss(x) * ScaledDouble(hi: Constants.invSqrt2Pi.hi, lo: Constants.invSqrt2Pi.lo, scale: 0)
    }

    /// S(a)/a for a > 20, with S = 1 − u·S₁ the asymptotic series of Φ(−a) = φ(a)·S(a)/a.
    static func millsRatio(_ a: Double) -> DoubleDouble {
        let inverse = 1 / a
        let (p1, e1) = ErrorFree.twoProduct(inverse, a)
        let inverseLow = ((1 - p1) - e1) * inverse  // 1/a in double-double
        let u = inverse * inverse  // 1/a² to 2^-52: u·S₁ ≤ 1/400, so 2^-60 in S
        var s1 = 0.0
        for k in stride(from: 11, through: 2, by: -1) {
            s1 = (1 as Double).addingProduct(-Double(2 * k - 1) * u, s1)
        }
        let (p, pe) = ErrorFree.twoProduct(u, s1)
        var s = DoubleDouble(1)
        s.add(-p)
        s.add(-pe)
        let r = ErrorFree.product((s.hi, s.lo), (inverse, inverseLow))
        return DoubleDouble(r.hi, r.lo)
    }

    /// ½·erfc(a/√2) for a ≥ 1.
    static func tail(_ a: Double) -> ScaledDouble {
        if a > 74 { return .zero }
        if a > 20 {
            let m = millsRatio(a)
            return density(a) * ScaledDouble(hi: m.hi, lo: m.lo, scale: 0)
        }
        let r = halfErfcx(a)
        return gauss(a) * ScaledDouble(hi: r.hi, lo: r.lo, scale: 0)
    }

    /// Φ(x) for |x| < 1: ½ + ½·erf(x/√2), in double-double.
    @inline(__always)
    static func centralDistribution(_ x: Double) -> DoubleDouble {
        let (zh, z0) = ErrorFree.twoProduct(x, Constants.invSqrt2.hi)
        let zl = z0 + x * Constants.invSqrt2.lo
        let w = zh * zh
        var q = 0.0
        for c in erfSeries.reversed() { q = c.addingProduct(w, q) }
        // P = 1 − z²·Q, with z² in double length.
        let (w2, w2e) = ErrorFree.twoProduct(zh, zh)
        let wq = ErrorFree.product((w2, w2e + 2 * zh * zl), (q, 0))
        var p = DoubleDouble(1)
        p.add(-wq.hi)
        p.add(-wq.lo)
        // ½·erf = (1/√π)·z·P; Φ = ½ + ½·erf.
        let half = ErrorFree.product(ErrorFree.product((zh, zl), (p.hi, p.lo)),
                                     (Constants.twoOverSqrtPi.hi / 2, Constants.twoOverSqrtPi.lo / 2))
        var phi = DoubleDouble(0.5)
        phi.add(half.hi)
        phi.add(half.lo)
        return phi
    }

    /// ½·erfcx(a/√2) for 1 ≤ a ≤ 20, the argument's rounding carried (erfcx' = 2z·erfcx − 2/√π):
    /// times e^(-a²/2) it is the tail ½·erfc(a/√2).
    @inline(__always)
    static func halfErfcx(_ a: Double) -> DoubleDouble {
        let (zh, z0) = ErrorFree.twoProduct(a, Constants.invSqrt2.hi)
        let zl = z0 + a * Constants.invSqrt2.lo
        var (r, rl) = Erfcx.evaluate(zh)
        rl += zl * (2 * zh * r - Constants.twoOverSqrtPi.hi)
        return DoubleDouble(r / 2, rl / 2)
    }

    /// Φ(x) for finite x.
    static func distribution(_ x: Double) -> ScaledDouble {
        if abs(x) < 1 {
            let phi = centralDistribution(x)
            return ScaledDouble(hi: phi.hi, lo: phi.lo, scale: 0)
        }
        let t = tail(abs(x))
        if x < 0 { return t }
        // 1 − T, T ≤ 0.16.
        let th = t.hi == 0 ? 0 : Certified.scale(t.hi, t.scale), tl = t.hi == 0 ? 0 : Certified.scale(t.lo, t.scale)
        var phi = DoubleDouble(1)
        phi.add(-th)
        phi.add(-tl)
        return ScaledDouble(hi: phi.hi, lo: phi.lo, scale: 0)
    }

    /// gelu'(x) near its root (``RootSeries/doubleLength(_:c1:c2:)``).
    static func rootSeries(_ x: Double) -> ScaledDouble {
        let f = RootSeries.gelu.doubleLength(x, c1: RootSeries.geluC1, c2: RootSeries.geluC2)
        return f.hi == 0 ? .zero : ScaledDouble(hi: f.hi, lo: f.lo, scale: 0)
    }

    /// gelu'(x) = Φ(x) + x·φ(x) for finite x.
    static func geluDerivative(_ x: Double) -> ScaledDouble {
        if RootSeries.gelu.contains(x) { return rootSeries(x) }
        if x < -74 { return .zero }
        if x < -20 {
            // Φ(x) + x·φ(x) = φ(a)·(S/a − a), a = −x: no cancellation.
            let a = -x
            var m = millsRatio(a)
            m.add(-a)
            return density(a) * ScaledDouble(hi: m.hi, lo: m.lo, scale: 0)
        }
        let phi = distribution(x)
        let xd = density(x) * ScaledDouble(x)
        // Both scaled by at most a few powers of two here (|x| ≤ 74, x ≥ -20): add unscaled.
        var s = DoubleDouble(Certified.scale(phi.hi, phi.scale))
        s.add(Certified.scale(phi.lo, phi.scale))
        if xd.hi != 0 {
            s.add(Certified.scale(xd.hi, xd.scale))
            s.add(Certified.scale(xd.lo, xd.scale))
        }
        return s.hi == 0 ? .zero : ScaledDouble(hi: s.hi, lo: s.lo, scale: 0)
    }
}

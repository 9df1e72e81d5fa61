import RealModule

/// sin and cos of one argument from one argument reduction, inline (no libm call), for snake,
/// which needs sin and cos of u, of 2u and of u + π/4 for every element.
///
/// The reduction and the polynomials are fdlibm's (Sun Microsystems, 1993; the same as
/// FreeBSD's and musl's): x = n·π/2 + (y₀ + y₁) with π/2 in three pieces of 33 bits, good to
/// 151 bits, which is exact enough for |x| < 2^19·π/2 (n·pio2_1 is exact while n < 2^20); then
/// degree-13 and degree-14 polynomials on [-π/4, π/4] (relative error below 4e-18, checked with
/// mpmath) that take the tail y₁ into account. Each result is within about 0.6 ulp of the true
/// value; beyond the reduction's range the C library's sin and cos are used. The reduction
/// always runs all three steps (fdlibm skips the later ones when the first is good enough), so
/// the code has no data-dependent branch. Constants are exact for Double only, like
/// ``ErrorFree``'s.
enum Trig {
    static let invPio2 = 6.36619772367581382433e-01
    static let pio2_1 = 1.57079632673412561417e+00
    static let pio2_1t = 6.07710050650619224932e-11
    static let pio2_2 = 6.07710050630396597660e-11
    static let pio2_2t = 2.02226624879595063154e-21
    static let pio2_3 = 2.02226624871116645580e-21
    static let pio2_3t = 8.47842766036889956997e-32

    static let s1 = -1.66666666666666324348e-01
    static let s2 = 8.33333333332248946124e-03
    static let s3 = -1.98412698298579493134e-04
    static let s4 = 2.75573137070700676789e-06
    static let s5 = -2.50507602534068634195e-08
    static let s6 = 1.58969099521155010221e-10

    static let c1 = 4.16666666666666019037e-02
    static let c2 = -1.38888888888741095749e-03
    static let c3 = 2.48015872894767294178e-05
    static let c4 = -2.75573143513906633035e-07
    static let c5 = 2.08757232129817482790e-09
    static let c6 = -1.13596475577881948265e-11

    /// Below this magnitude the reduction is exact enough: 2^19·π/2.
    static let reductionLimit = 823_549.6

    /// (sin x, cos x).
    @inline(__always)
    static func sinCos<T: ActivationReal>(_ x: T) -> (sin: T, cos: T) {
        let (s, c) = sinCosPairs(x)
        return (s.hi, c.hi)
    }

    /// (sin x, cos x), each as hi + lo: the kernels' last addition is kept exact, so the pair
    /// carries only the polynomial's and the correction term's error (about 0.2 ulp of hi).
    @inline(__always)
    static func sinCosPairs<T: ActivationReal>(_ x: T) -> (sin: (hi: T, lo: T), cos: (hi: T, lo: T)) {
        guard abs(x) < T(reductionLimit) else { return ((T.sin(x), 0), (T.cos(x), 0)) }
        let n = (x * T(invPio2)).rounded(.toNearestOrEven)
        // Three Cody-Waite steps; r - w carries the reduced argument to 151 bits.
        var r = x - n * T(pio2_1)
        var w = n * T(pio2_1t)
        var t = r
        w = n * T(pio2_2)
        r = t - w
        w = n * T(pio2_2t) - ((t - r) - w)
        t = r
        w = n * T(pio2_3)
        r = t - w
        w = n * T(pio2_3t) - ((t - r) - w)
        let y0 = r - w
        let y1 = (r - y0) - w
        let s = kernelSinPair(y0, y1)
        let c = kernelCosPair(y0, y1)
        // n mod 4 picks the quadrant: (s, c), (c, -s), (-s, -c), (-c, s). Computed in floating
        // point (exact for |n| < 2^52): a generic Int(n) is a slow library call.
        let quadrant = n - 4 * (n / 4).rounded(.down)
        let swap = quadrant == 1 || quadrant == 3
        let sinValue = swap ? c : s
        let cosValue = swap ? s : c
        let sinResult = quadrant >= 2 ? (hi: -sinValue.hi, lo: -sinValue.lo) : sinValue
        let cosResult = quadrant == 1 || quadrant == 2 ? (hi: -cosValue.hi, lo: -cosValue.lo) : cosValue
        // ±0 reduces with n = ±0 and x - n·pio2_1 = +0: keep sin(-0) = -0.
        return (x == 0 ? (x, 0) : sinResult, cosResult)
    }

    /// sin(x + y) as hi + lo for |x| ≤ π/4 (fdlibm's __kernel_sin, its final x - w split).
    @inline(__always)
    static func kernelSinPair<T: ActivationReal>(_ x: T, _ y: T) -> (hi: T, lo: T) {
        let z = x * x
        let v = z * x
        let r = T(s2) + z * (T(s3) + z * (T(s4) + z * (T(s5) + z * T(s6))))
        let w = (z * (y / 2 - v * r) - y) - v * T(s1)
        let hi = x - w
        return (hi, (x - hi) - w)  // exact: |w| < |x|
    }

    /// cos(x + y) as hi + lo for |x| ≤ π/4 (fdlibm's __kernel_cos, its final a - w split).
    @inline(__always)
    static func kernelCosPair<T: ActivationReal>(_ x: T, _ y: T) -> (hi: T, lo: T) {
        let z = x * x
        let r = z * (T(c1) + z * (T(c2) + z * (T(c3) + z * (T(c4) + z * (T(c5) + z * T(c6))))))
        // 1 - z/2 would lose bits once z/2 nears 1/4 (|x| ≥ 0.3): split off qx, x²/32 or
        // 0.28125 with its low bits cleared, as fdlibm does.
        let ax = abs(x)
        let quarter = Double(bitPattern: (Double(ax).bitPattern & 0xFFFF_FFFF_0000_0000) &- 0x0020_0000_0000_0000)
        let qx: T = ax < 0.3 ? 0 : (ax > 0.78125 ? 0.28125 : T(quarter))
        let hz = z / 2 - qx
        let a = 1 - qx
        let w = hz - (z * r - x * y)
        let hi = a - w
        return (hi, (a - hi) - w)  // exact: |w| < a
    }
}

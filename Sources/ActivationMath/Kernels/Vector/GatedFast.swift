/// The GLU family's fast path: act(h) and act'(h) as unscaled double-doubles for moderate h,
/// with ``ExpMedium`` (2^-68) instead of the scaled ``ExpDoubleDouble``; nil outside the range
/// where every intermediate is a normal number far from the subnormal range (|t| ≤ 680 for the
/// logistic argument, |x| ≤ 20 for the Gaussian), where ``GatedKernels`` takes the scaled path.
/// Same formulas and error budget as ``GatedNumerics`` and ``GatedGaussian`` (relative error of
/// act and act' below 2^-55), so the products, rounded once, are within one ulp.
enum GatedFast {
    /// The least |h| for swish, gelu and gelu_tanh here: h·σ(h) and h·Φ(h) are about h/2, and
    /// below 2^-1000 or so their double-length form (and its low part sooner) reaches the
    /// subnormal range and loses bits, which a large l or g then carries into a normal
    /// result (swish(2^-1040)·2^500 was 2^18 ulps off). The scaled path takes these.
    static let smallest = 0x1p-900

    /// A product far enough from overflow and underflow that hi + lo is exact and its rounding
    /// is hi's (and its float32 rounding that of hi and lo's sign).
    @inline(__always)
    static func moderate(_ v: Double) -> Bool {
        let m = abs(v)
        return m >= 0x1p-960 && m <= 0x1p1020
    }

    /// A renormalised double-double (|lo| ≤ ulp(hi)/2) rounded to the target.
    @inline(__always)
    static func round(_ v: (hi: Double, lo: Double), _ target: Certified.Target) -> Double {
        if target == .float64 { return v.hi }
        let f = Float(v.hi)
        let down = Double(f)
        // A float32 midpoint (in the normal range: the bit below float32's last set and nothing
        // under it; below it, tested against the neighbours): lo decides, or ties to even.
        if abs(v.hi) >= 0x1p-126 && v.hi.bitPattern & 0x1FFF_FFFF != 0x1000_0000 { return down }
        guard v.lo != 0, v.hi != down else { return down }
        let other = Double(v.hi > down ? f.nextUp : f.nextDown)
        guard v.hi == (down + other) / 2 else { return down }
        return (v.lo > 0) == (other > down) ? other : down
    }

    /// e = e^-|t|, D = 1 + e and 1/D for t = th + tl, |th| ≤ 680.
    @inline(__always)
    static func logistic(_ th: Double, _ tl: Double) -> (e: DoubleDouble, inverse: DoubleDouble) {
        let e = ExpMedium.exp(-abs(th), th >= 0 ? -tl : tl)
        return logistic(e: DoubleDouble(e.hi, e.lo))
    }

    /// The same from e = e^-|t| computed beforehand (``exponentials(_:hi:lo:count:)``).
    @inline(__always)
    static func logistic(e: DoubleDouble) -> (e: DoubleDouble, inverse: DoubleDouble) {
        let (d, dl) = ErrorFree.twoSum(1, e.hi)
        let inverse = DoubleDouble(d, dl + e.lo).reciprocal
        return (e, inverse)
    }

    /// e^-|h| as ``logistic(_:_:)`` takes it for t = h, for `count` inputs, four SIMD lanes at a
    /// time (the same bits as the scalar ``ExpMedium``), into hi and lo; inputs beyond |h| = 680
    /// (where the fast path does not apply) get e^-680.
    static func exponentials(
        _ h: UnsafePointer<Double>, hi: UnsafeMutablePointer<Double>, lo: UnsafeMutablePointer<Double>, count: Int
    ) {
        ExpDoubleDouble.table.withUnsafeBufferPointer { table in
            var j = 0
            while j + 4 <= count {
                var a = SIMD4<Double>(), b = SIMD4<Double>()
                for lane in 0..<4 {
                    let v = h[j + lane]
                    a[lane] = abs(v) <= 680 ? -abs(v) : -680
                    b[lane] = v >= 0 ? -0.0 : 0.0
                }
                let e = ExpMedium.exp(a, b, table: table)
                for lane in 0..<4 {
                    hi[j + lane] = e.hi[lane]
                    lo[j + lane] = e.lo[lane]
                }
                j += 4
            }
            while j < count {
                let v = h[j]
                let e = ExpMedium.exp(abs(v) <= 680 ? -abs(v) : -680, v >= 0 ? -0.0 : 0.0)
                hi[j] = e.hi
                lo[j] = e.lo
                j += 1
            }
        }
    }

    @inline(__always)
    static func times(_ a: DoubleDouble, _ b: DoubleDouble) -> DoubleDouble {
        let p = ErrorFree.product((a.hi, a.lo), (b.hi, b.lo))
        return DoubleDouble(p.hi, p.lo)
    }

    /// σ(t) and, for a numerator N, N·σ'(t)/(e) pieces: σ = 1/D (t ≥ 0) or e/D.
    @inline(__always)
    static func sigma(_ t: Double, _ e: DoubleDouble, _ inverse: DoubleDouble) -> DoubleDouble {
        t >= 0 ? inverse : times(e, inverse)
    }

    /// σ(t)·(1 + q·σ(-t)): N/D² with N = 1 + e + q·e (t ≥ 0), e·(1 + q + e)/D² (t < 0).
    @inline(__always)
    static func gatedDerivative(_ t: Double, _ q: DoubleDouble, _ e: DoubleDouble, _ inverse: DoubleDouble) -> DoubleDouble {
        let i2 = inverse.squared
        if t >= 0 {
            var n = DoubleDouble(1)
            n.add(e)
            let qe = times(q, e)
            n.add(qe.hi)
            n.add(qe.lo)
            return times(n, i2)
        }
        let (a, al) = ErrorFree.twoSum(1, q.hi)
        var n = DoubleDouble(a)
        n.add(al + q.lo)
        n.add(e)
        return times(times(e, n), i2)
    }

    @inline(__always)
    static func sigmoid(_ h: Double, derivative: Bool, e given: DoubleDouble? = nil) -> (DoubleDouble, DoubleDouble)? {
        guard abs(h) <= 680 else { return nil }
        let (e, inverse) = given.map { logistic(e: $0) } ?? logistic(h, 0)
        let s = sigma(h, e, inverse)
        return (s, derivative ? times(e, inverse.squared) : DoubleDouble(0))
    }

    @inline(__always)
    static func swish(_ h: Double, derivative: Bool, e given: DoubleDouble? = nil) -> (DoubleDouble, DoubleDouble)? {
        guard abs(h) <= 680, abs(h) >= smallest else { return nil }
        let (e, inverse) = given.map { logistic(e: $0) } ?? logistic(h, 0)
        let value = times(DoubleDouble(h), sigma(h, e, inverse))
        return (value, derivative ? gatedDerivative(h, DoubleDouble(h), e, inverse) : DoubleDouble(0))
    }

    @inline(__always)
    static func geluTanh(_ h: Double, derivative: Bool) -> (DoubleDouble, DoubleDouble)? {
        guard abs(h) <= 20, abs(h) >= smallest else { return nil }
        let (v, q) = GatedKernels.tanhArguments(h)
        let (e, inverse) = logistic(v.hi, v.lo)
        let value = times(DoubleDouble(h), sigma(v.hi, e, inverse))
        guard derivative else { return (value, DoubleDouble(0)) }
        if RootSeries.geluTanh.contains(h) {
            let f = RootSeries.geluTanh.doubleLength(h, c1: RootSeries.geluTanhC1, c2: RootSeries.geluTanhC2)
            return (value, DoubleDouble(f.hi, f.lo))
        }
        return (value, gatedDerivative(v.hi, DoubleDouble(q.hi, q.lo), e, inverse))
    }

    @inline(__always)
    static func gelu(_ h: Double, derivative: Bool) -> (DoubleDouble, DoubleDouble)? {
        guard abs(h) <= 20, abs(h) >= smallest else { return nil }
        let central = abs(h) < 1
        var gauss = DoubleDouble(0)
        if !central || derivative {
            let (hh, hl) = ErrorFree.twoProduct(h, h)
            let g = ExpMedium.exp(-hh / 2, -hl / 2)
            gauss = DoubleDouble(g.hi, g.lo)
        }
        var phi: DoubleDouble
        if central {
            phi = GatedGaussian.centralDistribution(h)
        } else {
            let t = times(GatedGaussian.halfErfcx(abs(h)), gauss)
            if h < 0 {
                phi = t
            } else {
                phi = DoubleDouble(1)
                phi.add(-t.hi)
                phi.add(-t.lo)
            }
        }
        let value = times(DoubleDouble(h), phi)
        guard derivative else { return (value, DoubleDouble(0)) }
        if RootSeries.gelu.contains(h) {
            let f = RootSeries.gelu.doubleLength(h, c1: RootSeries.geluC1, c2: RootSeries.geluC2)
            return (value, DoubleDouble(f.hi, f.lo))
        }
        // Φ + h·φ, φ = e^(-h²/2)/√(2π).
        let density = times(gauss, DoubleDouble(Constants.invSqrt2Pi.hi, Constants.invSqrt2Pi.lo))
        let hd = times(DoubleDouble(h), density)
        var d = phi
        d.add(hd.hi)
        d.add(hd.lo)
        return (value, d)
    }
}

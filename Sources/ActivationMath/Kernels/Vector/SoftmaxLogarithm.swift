import RealModule

/// log_softmax's log D and (xᵢ − m) − log D, where D = 1 + R may exceed 1 by a subnormal R or
/// less, and xᵢ − m may be as small as that R.
enum SoftmaxLogarithm {
    /// log D as (hi + lo)·2^scale. For R < 2^-30 the series R − R²/2 + R³/3 in R's own units
    /// (truncation below 2^-120 relative, whatever R's magnitude); otherwise L₀ = log1p(R) and,
    /// when the exponentials are double-double, L = L₀ + (D·e^-L₀ − 1), one Newton step
    /// (quadratic: L₀'s 2^-52 becomes 2^-104).
    static func logarithm(_ e: SoftmaxKernel.Exponentials) -> (hi: Double, lo: Double, scale: Int) {
        let (rh, rl, k) = e.rest
        if rh == 0 { return (0, 0, 0) }
        if Int(rh.exponent) + k < -30 {
            // R = (rh + rl)·2^k; R²/2 and R³/3 carry the extra factors 2^k and 2^2k.
            var s = DoubleDouble(rh)
            s.add(rl)
            let (sq, sqe) = ErrorFree.twoProduct(rh, rh)
            s.add(-Certified.scale(sq / 2, k))
            s.add(Certified.scale(-sqe / 2 - rh * rl, k) + Certified.scale(rh * sq / 3, 2 * k))
            return (s.hi, s.lo, k)
        }
        let d = e.sum
        let l0 = Double.log(onePlus: rh + rl)
        guard e.precise else { return (l0, 0, 0) }
        let ex = ExpDoubleDouble.exp(-l0, 0)  // e^-L₀ = (hi + lo)·2^scale, L₀ ≤ log(n) < 1500
        // D·e^-L₀ − 1, with D·e^-L₀ within 2^-51 of 1.
        let eh = Certified.scale(ex.hi, ex.scale), el = Certified.scale(ex.lo, ex.scale)
        let (p, pe) = ErrorFree.twoProduct(d.hi, eh)
        let correction = (p - 1) + (pe + d.hi * el + d.lo * eh)
        var result = DoubleDouble(l0)
        result.add(correction)
        return (result.hi, result.lo, 0)
    }

    /// (a + b) − L rounded once, L = (hi + lo)·2^scale ≥ 0: directly when L is not far below 1;
    /// when it is, L is either negligible beside a (below 2^-110 of it) or comparable, and then
    /// the sum is formed in the units of L.
    @inline(__always)
    static func difference(
        _ a: Double, _ b: Double, _ log: (hi: Double, lo: Double, scale: Int), _ target: Certified.Target
    ) -> Double {
        guard a.isFinite else { return a }  // −inf, or x − m overflowing to −inf
        let magnitude = log.hi == 0 ? Int.min / 2 : Int(log.hi.exponent) + log.scale
        if log.scale >= -900 || (a != 0 && magnitude < Int(a.exponent) - 110) {
            // a and −L do not cancel (a ≤ 0 ≤ L). b − L is split exactly into s₁ + t₁, so the
            // value is a + s₁ + t with t tiny; when a tiny L is all that keeps a + b off a
            // rounding tie, ``Certified/round(_:_:_:_:)`` sees it.
            let lh = Certified.scale(log.hi, log.scale), ll = Certified.scale(log.lo, log.scale)
            let (s1, t1) = ErrorFree.twoSum(b, -lh)
            let (h, e) = ErrorFree.twoSum(a, s1)
            return Certified.round(h, e, t1 - ll, target)
        }
        // |a| < 2^(magnitude + 111): everything in units of 2^(magnitude − 60).
        let unit = magnitude - 60
        var r = DoubleDouble(Certified.scale(a, -unit))
        r.add(Certified.scale(b, -unit))
        r.add(-Certified.scale(log.hi, log.scale - unit))
        r.add(-Certified.scale(log.lo, log.scale - unit))
        return Certified.round(r.hi, r.lo, unit, target)
    }
}

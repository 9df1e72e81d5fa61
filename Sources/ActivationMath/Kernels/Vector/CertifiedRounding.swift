/// Rounding a double-double scaled by a power of two exactly once, and deciding whether a result
/// known to within an error bound is close enough to be delivered (Ziv's strategy: if not, the
/// caller recomputes it more precisely). For the softmax family (``SoftmaxGradient``).
package enum Certified {
    /// The dtype the results are delivered in.
    package enum Target: Sendable {
        case float32, float64

        /// Significand bits p and the exponent of the smallest normal number.
        var precision: Int { self == .float32 ? 24 : 53 }
        var minimumExponent: Int { self == .float32 ? -126 : -1022 }
    }

    /// x·2^s in one or two exact steps when the result is normal (the intermediate stays between
    /// x and the result); rounded (possibly twice, within one subnormal ulp) when it is subnormal.
    @inline(__always)
    static func scale(_ x: Double, _ s: Int) -> Double {
        if s >= -1022 && s <= 1023 { return x * power(s) }
        if s < -1022 {
            let first = Swift.max(s, -2044) + 1022
            return (x * power(-1022)) * power(Swift.max(first, -1022))
        }
        return (x * power(1023)) * power(Swift.min(s - 1023, 1023))
    }

    /// 2^s for −1022 ≤ s ≤ 1023.
    @inline(__always)
    static func power(_ s: Int) -> Double {
        Double(bitPattern: UInt64(s + 1023) << 52)
    }

    /// (hi + lo)·2^s correctly rounded to double (hi may be 0; a pair with |lo| above ulp(hi) is
    /// renormalised where it matters).
    ///
    /// A normal result is hi + lo rounded once and scaled exactly. A subnormal one is hi scaled
    /// and rounded once, then moved by one unit when the exact remainder (hi − result) with lo
    /// passes half a unit, ties to even.
    @inline(__always)
    static func round(_ hi: Double, _ lo: Double, _ s: Int) -> Double {
        let v = hi + lo
        // The common case: s within the double range and the result normal, so the scaling is exact.
        if s >= -1022 && s <= 1023 {
            let r = v * power(s)
            if abs(r) >= 0x1p-1022 && abs(r) <= .greatestFiniteMagnitude { return r }
        }
        return roundSlowly(hi, lo, s)
    }

    static func roundSlowly(_ h0: Double, _ l0: Double, _ s: Int) -> Double {
        // Renormalised first: a pair whose lo exceeds ulp(hi) (a cancellation's leftover next to
        // a larger low part) would otherwise lose lo below the subnormal spacing.
        let (hi, lo) = h0.isFinite && l0.isFinite ? ErrorFree.twoSum(h0, l0) : (h0, l0)
        guard hi != 0 else { return lo == 0 ? hi : scale(lo, s) }
        let v = hi + lo
        let e = Int(v.exponent) + s
        if e >= -1022 {
            if e > 1023 { return v > 0 ? .infinity : -.infinity }
            return scaleExactly(v, s)
        }
        if e < -1080 { return v > 0 ? 0 : -0.0 }  // below 2^-1079: rounds to zero
        // t = hi·2^(s+60) is normal (exponent ≥ −1021), exact; r = t·2^-60 rounds once.
        let t = scaleExactly(hi, s + 60)
        var r = t * 0x1p-60
        // d = t − r·2^60 is exact (both on t's grid, |d| ≤ half a unit); so are d ∓ half. lo
        // (|lo| < half of t's ulp) only decides where d sits exactly on a midpoint.
        let d = t - r * 0x1p60
        let half = 0x1p-1015  // half of 2^-1074, times 2^60
        let unit = Double.leastNonzeroMagnitude
        let odd = r.bitPattern & 1 == 1
        let above = d - half, below = d + half
        if above > 0 || (above == 0 && (lo > 0 || (lo == 0 && odd))) {
            r += unit
        } else if below < 0 || (below == 0 && (lo < 0 || (lo == 0 && odd))) {
            r -= unit
        }
        return r
    }

    /// (hi + lo)·2^s correctly rounded to the target, as a double (exactly a float32 value for
    /// float32): rounding to double first and then to float32 would round twice, wrongly when the
    /// double lands on a float32 midpoint, so there the exact remainder's sign decides.
    @inline(__always)
    static func round(_ hi: Double, _ lo: Double, _ s: Int, _ target: Target) -> Double {
        let v = round(hi, lo, s)
        guard target == .float32 else { return v }
        let f = Float(v)
        let down = Double(f)
        // A float32 midpoint has the bit below float32's last set and nothing under it (in the
        // float32 normal range; below it, the test is done the long way).
        if abs(v) >= 0x1p-126 && v.bitPattern & 0x1FFF_FFFF != 0x1000_0000 { return down }
        return roundFloat32Midpoint(hi, lo, s, v)
    }

    /// (h + e + t)·2^s rounded to the target, for h = RN(h + e) and |t| small beside e (or e
    /// zero): the third part decides a tie that h + e sits on exactly. Where the scaling is not
    /// exact for all three parts, t joins e first.
    @inline(__always)
    static func round(_ h: Double, _ e: Double, _ t: Double, _ s: Int, _ target: Target) -> Double {
        if s == 0 { return round(h, e, t, target) }
        if s >= -1022 && s <= 1023 {
            let p = power(s)
            let hp = h * p
            if abs(hp) >= 0x1p-960 && abs(hp) <= 0x1p1020 { return round(hp, e * p, t * p, target) }
        }
        return round(h, e + t, s, target)
    }

    /// (h + e + t) rounded to the target: ``round(_:_:_:_:_:)`` at scale 1.
    @inline(__always)
    static func round(_ h: Double, _ e: Double, _ t: Double, _ target: Target) -> Double {
        let (e2, t2) = ErrorFree.twoSum(e, t)
        let (v, error) = ErrorFree.twoSum(h, e2)  // value = v + error + t2, exactly up to t's rounding
        guard v.isFinite else { return v }
        let tieBreaker = error != 0 ? error : t2
        if target == .float64 {
            // A tie needs error to be half a spacing: a power of two (no significand bits).
            guard error != 0, t2 != 0, error.significandBitPattern == 0 else { return v }
            // v is RN(h + e2); it is wrong only when error is exactly half the gap towards it
            // and t2 points the same way.
            let neighbour = error > 0 ? v.nextUp : v.nextDown
            let gap = neighbour - v
            return (2 * error == gap && (t2 > 0) == (error > 0)) ? neighbour : v
        }
        let f = Float(v)
        let down = Double(f)
        if abs(v) >= 0x1p-126 && v.bitPattern & 0x1FFF_FFFF != 0x1000_0000 { return down }
        guard v == down ? false : v == (down + Double(v > down ? f.nextUp : f.nextDown)) / 2 else { return down }
        if tieBreaker == 0 { return down }
        let other = Double(v > down ? f.nextUp : f.nextDown)
        return (tieBreaker > 0) == (other > down) ? other : down
    }

    static func roundFloat32Midpoint(_ h0: Double, _ l0: Double, _ s: Int, _ v: Double) -> Double {
        guard v.isFinite else { return v }
        let (hi, lo) = ErrorFree.twoSum(h0, l0)
        let f = Float(v)
        let down = Double(f), other = Double(v > down ? f.nextUp : f.nextDown)
        guard v == (down + other) / 2, abs(v) < 0x1p120 else { return down }
        // v is a float32 midpoint: the sign of (hi + lo)·2^s − v picks the side.
        let w = scaleExactly(v, -s)
        let residual = (hi - w) + lo
        if residual == 0 { return down }
        return (residual > 0) == (other > down) ? other : down
    }

    /// The correct rounding of a value known to lie within `bound` of hi + lo (|lo| ≤ ulp(hi)),
    /// when every value in that interval rounds the same way; nil when a rounding boundary of the
    /// target (a midpoint between two of its numbers) is inside it. For exact-by-construction
    /// results computed fast in double-length and recomputed exactly only when this says nil.
    package static func roundedIfDetermined(_ hi: Double, _ lo: Double, bound: Double, _ target: Target) -> Double? {
        let r = round(hi, lo, 0, target)
        guard r.isFinite, hi.isFinite, bound.isFinite else { return nil }
        let (d0, de) = ErrorFree.twoSum(hi, -r)  // hi − r, exactly
        let d = d0 + (de + lo)  // the distance from r, to far below the neighbours' spacing
        let up: Double, down: Double
        if target == .float32 {
            let f = Float(r)
            up = Double(f.nextUp) - r
            down = r - Double(f.nextDown)
        } else {
            up = r.nextUp - r
            down = r - r.nextDown
        }
        return (d + bound < up / 2 && d - bound > -down / 2) ? r : nil
    }

    /// x·2^s where the result and every intermediate are normal (steps of at most 1000).
    @inline(__always)
    static func scaleExactly(_ x: Double, _ s: Int) -> Double {
        var r = x
        var left = s
        while left > 1000 { r *= 0x1p1000; left -= 1000 }
        while left < -1000 { r *= 0x1p-1000; left += 1000 }
        return r * power(left)
    }

    /// (n.hi + n.lo)/(d.hi + d.lo) as a double-double, to about 2^-104 relative.
    @inline(__always)
    package static func quotient(_ n: (hi: Double, lo: Double), _ d: DoubleDouble) -> (hi: Double, lo: Double) {
        let q = n.hi / d.hi
        guard q.isFinite, q != 0 else { return (q, 0) }
        let (pq, eq) = ErrorFree.twoProduct(q, d.hi)
        let r = ((n.hi - pq) - eq) + (n.lo - q * d.lo)  // n.hi − q·d.hi exactly
        let q2 = r / d.hi
        let hi = q + q2
        return (hi, q2 - (hi - q))
    }

    /// Whether a result R·2^s (R > 0, or 0) known to within Er·2^s is within 1/16 ulp of the
    /// target's spacing at its magnitude (the smallest subnormal's spacing below the normal
    /// range): then rounding it to the nearest target value errs by less than 0.57 ulp.
    @inline(__always)
    static func holds(_ r: Double, error: Double, scale s: Int, _ target: Target) -> Bool {
        guard error.isFinite, r.isFinite else { return false }
        let p = target.precision
        // Exponents from the bits: exact for normal numbers; a subnormal r takes the slow
        // `exponent`, a subnormal error is over-estimated (−1023), which is safe.
        let rBits = Int((r.bitPattern >> 52) & 0x7FF)
        let magnitude = rBits != 0 ? rBits - 1023 : (r == 0 ? Int.min / 2 : Int(r.exponent))
        let errorExponent = Int((error.bitPattern >> 52) & 0x7FF) - 1023
        let unit = Swift.max(magnitude + s - (p - 1), target.minimumExponent - (p - 1))
        return error == 0 || errorExponent + 1 + s <= unit - 4
    }

    /// The same test with every magnitude given as a base-2 logarithm (for ``WideFloat`` values,
    /// whose exponents leave the double range).
    static func holds(log2Result: Double, log2Error: Double, _ target: Target) -> Bool {
        if log2Error == -.infinity { return true }
        let p = Double(target.precision)
        let unit = Swift.max((log2Result.rounded(.down)) - (p - 1), Double(target.minimumExponent) - (p - 1))
        return log2Error + 1 <= unit - 4
    }
}

/// Dragonbox: the same shortest decimal as ``BinaryToDecimal/shortest(_:)-(UInt64)``, with one
/// product instead of three.
///
/// Junekey Jeon, "Dragonbox: A New Floating-Point Binary-to-Decimal Conversion Algorithm"
/// (2020) refines Schubfach: instead of scaling v and both ends of its rounding
/// interval, it scales only the upper end, z, by a power of ten chosen so that the interval
/// is between 10^κ and 10^(κ+1) units wide (κ = 2 for doubles, 1 for floats); the width δ is
/// then read off the power's top bits. Dividing z by 10^(κ+1) either lands in the interval
/// (r < δ: the quotient is a shortest candidate, one digit short of the usual length) or
/// not, in which case the answer is 10·quotient plus the distance to the middle, rounded, in
/// units of 10^κ. The exact ties and edges (r = δ, r = 0 with an integral z, and a distance
/// divisible by 10^κ) need one more product for a parity; they are rare and go through
/// `exactly(…)`, which follows the paper's steps branch by branch.
///
/// Written so that the common case has no branch on the data: both candidates are computed
/// and one is selected with a mask. Powers of two (the interval shorter below) are left to
/// Schubfach, as the paper itself treats them "like Schubfach".
///
/// The cache of powers is the paper's: 10^k normalized and rounded up, which is the
/// ``PowersOfTen`` row (rounded down) plus one, except where the row is exact.
extension BinaryToDecimal {
    /// The paper's cache for 10^k as (high, low) words, rounded up. Rows 10^0 ... 10^55 are
    /// exact in 128 bits (5^55 < 2^128).
    @inline(__always)
    static func cache128(_ k: Int) -> (high: UInt64, low: UInt64) {
        let row = 2 &* (k &- PowersOfTen.minExponent)
        let (high, low) = PowersOfTen.table.withUnsafeBufferPointer { ($0[row], $0[row &+ 1]) }
        let (roundedLow, carry) = low.addingReportingOverflow(k >= 0 && k <= 55 ? 0 : 1)
        return (high &+ (carry ? 1 : 0), roundedLow)
    }

    /// The double's shortest decimal; `bits` finite and non-zero, sign ignored.
    @inline(__always)
    static func shortestDouble(_ bits: UInt64) -> (digits: UInt64, exponent: Int) {
        let fraction = bits & (1 << 52 - 1)
        let biased = Int(truncatingIfNeeded: bits >> 52) & 0x7FF
        if fraction == 0 && biased != 0 { return shortest(bits) }
        let twoFc = (biased != 0 ? fraction | 1 << 52 : fraction) << 1
        let e = biased != 0 ? biased &- 1075 : -1074
        let minusK = floorLog10Pow2(e) &- 2
        let cache = cache128(0 &- minusK)
        let beta = e &+ floorLog2Pow10(0 &- minusK)  // 1...4
        let delta = cache.high &>> UInt64(63 &- beta)
        let u = (twoFc | 1) &<< UInt64(beta)
        // z: the high 64 bits of the 192-bit product u·cache.
        let (productHigh, productMiddle) = u.multipliedFullWidth(by: cache.high)
        let (_, carry) = productMiddle.addingReportingOverflow(u.multipliedFullWidth(by: cache.low).high)
        let z = productHigh &+ (carry ? 1 : 0)
        let quotient = z / 1000
        let r = z &- quotient &* 1000
        // The common case, as 0/1 arithmetic (a select written with `?:` on computed values, or
        // `&&`, becomes a branch, and r < δ is a coin toss).
        let inside: UInt64 = r < delta ? 1 : 0
        let distance = r &- delta >> 1 &+ 50
        let product = distance &* 656  // ⌊distance/100⌋ = product >> 16 below 1000; divisible when the low 16 bits < 656
        let divisible: UInt64 = product & 0xFFFF < 656 ? 1 : 0
        let edge = (r == delta ? 1 : 0) | (r == 0 ? 1 : 0) | divisible & (inside ^ 1)
        if edge != 0 { return exactly(bits) }
        // Inside: the quotient, one digit shorter, returned times ten so that every normal double
        // comes with 16 or 17 digits and the text needs one scaling step fewer.
        let digits = quotient &* 10 &+ (product >> 16) & (inside &- 1)
        return (digits, minusK &+ 2)
    }

    /// The paper's compute_mul_parity for doubles: the parity of the integer part of
    /// x·2^e·10^k (scaled as z is), and whether it is an integer.
    @inline(__always)
    static func productParity(_ x: UInt64, _ cache: (high: UInt64, low: UInt64), beta: Int) -> (odd: Bool, integer: Bool) {
        let high = x &* cache.high &+ x.multipliedFullWidth(by: cache.low).high
        let low = x &* cache.low
        let odd = (high &>> UInt64(64 &- beta)) & 1 != 0
        let integer = (high &<< UInt64(beta)) | (low &>> UInt64(64 &- beta)) == 0
        return (odd, integer)
    }

    /// The paper's algorithm for doubles step by step, for the rare edges of the fast path.
    @inline(never)
    static func exactly(_ bits: UInt64) -> (digits: UInt64, exponent: Int) {
        let fraction = bits & (1 << 52 - 1)
        let biased = Int(truncatingIfNeeded: bits >> 52) & 0x7FF
        let twoFc = (biased != 0 ? fraction | 1 << 52 : fraction) << 1
        let e = biased != 0 ? biased &- 1075 : -1074
        let minusK = floorLog10Pow2(e) &- 2
        let cache = cache128(0 &- minusK)
        let beta = e &+ floorLog2Pow10(0 &- minusK)
        let delta = cache.high &>> UInt64(63 &- beta)
        let u = (twoFc | 1) &<< UInt64(beta)
        let (productHigh, productMiddle) = u.multipliedFullWidth(by: cache.high)
        let (productLow, carry) = productMiddle.addingReportingOverflow(u.multipliedFullWidth(by: cache.low).high)
        let z = productHigh &+ (carry ? 1 : 0)
        let zIsInteger = productLow == 0
        var quotient = z / 1000
        var r = z &- quotient &* 1000
        // Ties read back to the even significand, so an even one's interval is closed.
        let closed = fraction & 1 == 0
        var inside: Bool
        if r < delta {
            // The upper end itself, an integer, is outside an open interval: one less.
            if r == 0 && zIsInteger && !closed {
                quotient &-= 1
                r = 1000
                inside = false
            } else {
                inside = true
            }
        } else if r > delta {
            inside = false
        } else {
            // r = δ: whether the lower end is inside decides, by its fractional part.
            let x = productParity(twoFc &- 1, cache, beta: beta)
            inside = x.odd || (x.integer && closed)
        }
        if inside { return (quotient, minusK &+ 3) }
        var digits = quotient &* 10
        var distance = r &- delta / 2 &+ 50
        let approximateParity = (distance ^ 50) & 1 != 0
        let product = distance &* 656
        let divisible = product & 0xFFFF < 656
        distance = product >> 16
        digits &+= distance
        if divisible {
            // Rounding the middle: the exact parity decides between two candidates, and on an
            // exact tie the even one.
            let y = productParity(twoFc, cache, beta: beta)
            if y.odd != approximateParity {
                digits &-= 1
            } else if digits & 1 != 0 && y.integer {
                digits &-= 1
            }
        }
        return (digits, minusK &+ 2)
    }
}

extension BinaryToDecimal {
    /// The float32 cache: 10^k normalized to 64 bits and rounded up; exact for 10^0 ... 10^27.
    @inline(__always)
    static func cache64(_ k: Int) -> UInt64 {
        let high = PowersOfTen.table.withUnsafeBufferPointer { $0[2 &* (k &- PowersOfTen.minExponent)] }
        return high &+ (k >= 0 && k <= 27 ? 0 : 1)
    }

    /// The float's shortest decimal (κ = 1): as ``shortestDouble(_:)`` with 64-bit products.
    @inline(__always)
    static func shortestFloat(_ bits: UInt32) -> (digits: UInt64, exponent: Int) {
        let fraction = UInt64(bits & (1 << 23 - 1))
        let biased = Int(bits >> 23) & 0xFF
        if fraction == 0 && biased != 0 { return shortest(bits) }
        let twoFc = (biased != 0 ? fraction | 1 << 23 : fraction) << 1
        // The cache for 10^k, δ, -k and the shift amounts, loaded by exponent
        // (BinaryToDecimal+FloatRows.swift).
        let (cache, meta) = floatRow(biased)
        let delta = floatDelta(meta)
        // z: the integer part of u·cache / 2^64 with u = (2fc + 1)·2^β, from the high word of
        // (u·2^32)·cache; the row's low byte is β + 32.
        let z = ((twoFc | 1) &<< meta).multipliedFullWidth(by: cache).high >> 32
        let quotient = z / 100
        let r = z &- quotient &* 100
        let inside: UInt64 = r < delta ? 1 : 0
        let distance = r &- delta >> 1 &+ 5
        let product = distance &* 6554  // ⌊distance/10⌋ = product >> 16 below 100; divisible when the low 16 bits < 6554
        let divisible: UInt64 = product & 0xFFFF < 6554 ? 1 : 0
        let edge = (r == delta ? 1 : 0) | (r == 0 ? 1 : 0)
        if edge != 0 { return exactly(bits) }
        // A distance divisible by 10 (one float in ten, too many for a branch): the paper's
        // parity step, as in `exactly`, computed for every float and applied by a mask. The
        // middle's exact parity (of the integer part of 2fc·2^e·10^-minusK) against the
        // approximate one: one less when they differ, or on an exact tie with an odd candidate.
        // (productParity(_:_:beta:) with one shift: by 32 - β, the row's third byte; the bit
        // 64 - β it reads is then bit 32.)
        let parityBits = (twoFc &* cache) &>> (meta >> 16)
        let odd = parityBits >> 32 & 1
        let integer: UInt64 = parityBits & 0xFFFF_FFFF == 0 ? 1 : 0
        let candidate = quotient &* 10 &+ product >> 16
        let mismatch = odd ^ (distance ^ 5) & 1
        let down = divisible & (mismatch | (mismatch ^ 1) & candidate & integer)
        // Inside: the quotient times ten, as for doubles (7 to 9 digits for normal floats).
        let digits = quotient &* 10 &+ (product >> 16 &- down) & (inside &- 1)
        return (digits, floatMinusK(meta) &+ 1)
    }

    @inline(__always)
    static func productParity(_ x: UInt64, _ cache: UInt64, beta: Int) -> (odd: Bool, integer: Bool) {
        let r = x &* cache
        return ((r &>> UInt64(64 &- beta)) & 1 != 0, (r &>> UInt64(32 &- beta)) & 0xFFFF_FFFF == 0)
    }

    /// The paper's algorithm for floats step by step, for the rare edges of the fast path.
    @inline(never)
    static func exactly(_ bits: UInt32) -> (digits: UInt64, exponent: Int) {
        let fraction = UInt64(bits & (1 << 23 - 1))
        let biased = Int(bits >> 23) & 0xFF
        let twoFc = (biased != 0 ? fraction | 1 << 23 : fraction) << 1
        let (cache, meta) = floatRow(biased)
        let beta = floatBeta(meta)
        let minusK = floatMinusK(meta)
        let delta = cache &>> UInt64(63 &- beta)
        let u = (twoFc | 1) &<< UInt64(beta)
        let product96 = (u << 32).multipliedFullWidth(by: cache).high
        let z = product96 >> 32
        let zIsInteger = product96 & 0xFFFF_FFFF == 0
        var quotient = z / 100
        var r = z &- quotient &* 100
        let closed = fraction & 1 == 0
        var inside: Bool
        if r < delta {
            if r == 0 && zIsInteger && !closed {
                quotient &-= 1
                r = 100
                inside = false
            } else {
                inside = true
            }
        } else if r > delta {
            inside = false
        } else {
            let x = productParity(twoFc &- 1, cache, beta: beta)
            inside = x.odd || (x.integer && closed)
        }
        if inside { return (quotient, minusK &+ 2) }
        var digits = quotient &* 10
        var distance = r &- delta / 2 &+ 5
        let approximateParity = (distance ^ 5) & 1 != 0
        let product = distance &* 6554
        let divisible = product & 0xFFFF < 6554
        distance = product >> 16
        digits &+= distance
        if divisible {
            let y = productParity(twoFc, cache, beta: beta)
            if y.odd != approximateParity {
                digits &-= 1
            } else if digits & 1 != 0 && y.integer {
                digits &-= 1
            }
        }
        return (digits, minusK &+ 1)
    }
}

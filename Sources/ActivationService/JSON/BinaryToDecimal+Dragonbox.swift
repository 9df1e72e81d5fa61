/// Dragonbox for floats: the same shortest decimal as ``BinaryToDecimal/shortest(_:)-(UInt32)``,
/// with one product instead of three. (Doubles go through Żmij, BinaryToDecimal+Zmij.swift.)
///
/// Junekey Jeon, "Dragonbox: A New Floating-Point Binary-to-Decimal Conversion Algorithm"
/// (2020) refines Schubfach: instead of scaling v and both ends of its rounding
/// interval, it scales only the upper end, z, by a power of ten chosen so that the interval
/// is between 10^κ and 10^(κ+1) units wide (κ = 1 for floats); the width δ is
/// then read off the power's top bits. Dividing z by 10^(κ+1) either lands in the interval
/// (r < δ: the quotient is a shortest candidate, one digit short of the usual length) or
/// not, in which case the answer is 10·quotient plus the distance to the middle, rounded, in
/// units of 10^κ. The exact ties and edges (r = δ, r = 0 with an integral z, and a distance
/// divisible by 10^κ) need one more product for a parity; the rare ones go through
/// `exactly(…)`, which follows the paper's steps branch by branch.
///
/// Written so that the common case has no branch on the data: both candidates are computed
/// and one is selected with a mask. Powers of two (the interval shorter below) are left to
/// Schubfach, as the paper itself treats them "like Schubfach".
///
/// The cache of powers is the paper's: 10^k normalized and rounded up, which is the
/// ``PowersOfTen`` row (rounded down) plus one, except where the row is exact.
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

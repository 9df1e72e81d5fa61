/// A binary float to the shortest decimal that reads back to it.
///
/// Goals, in order: (1) the decimal is one of the shortest that round to the float again, and
/// among those the closest to it (an exact tie goes to the even last digit): the digits
/// `description` prints, for every finite float; (2) no division, no loop and no allocation,
/// because the service writes up to millions of numbers per second.
///
/// What the writer calls: Żmij for doubles (``shortestDouble(_:)``, in
/// BinaryToDecimal+Zmij.swift) and Dragonbox for floats (``shortestFloat(_:)``, in
/// BinaryToDecimal+Dragonbox.swift); both hand the powers of two, whose rounding interval is
/// shorter below, to Schubfach here, as their authors do. Schubfach is also kept whole for
/// doubles and floats as the reference the tests hold the other two to.
///
/// Schubfach is Raffaello Giulietti's, "The Schubfach way to render doubles" (2020, revised
/// 2021; the algorithm behind `Double.toString` since JDK 19). In short, for v = c·2^q with its
/// rounding interval R (the reals that round to v; closed when c is even, since a tie reads
/// back to the even significand): pick k with 10^k ≤ 2^q < 10^(k+1), so that R is less than
/// 10 units of 10^k wide. Then at most one multiple of 10·10^k lies in R; if one does it is
/// the shortest answer (its trailing zeros go at printing). Otherwise the answer is s or s+1
/// units of 10^k, where s = ⌊v·10^-k⌋, whichever lies in R, the closer if both do. All it
/// needs are v, and R's two ends, times 10^-k, to two fraction bits and one sticky bit: the
/// function `rop` computes them from a 126-bit approximation g of 10^-k, and the paper proves
/// the result exact for every double (for float32, one 63-bit word of g suffices).
///
/// The paper's names are kept (c, q, k, h, g, cb, vb, s, t, out...), so its proofs can be
/// followed line by line. g is not a table of its own: it is ⌊T/4⌋ + 1, where T is the
/// 128-bit row of ``PowersOfTen`` for 10^-k (rounded down; T/4 is the paper's β), so the reader
/// and the writer share one table.
enum BinaryToDecimal {
    /// ⌊log10(2^e)⌋ for |e| ≤ 1,200: 661971961083 is ⌊log10(2)·2^41⌋ (checked exactly for
    /// every e in range when the constant was derived, and by the tests through `Double`).
    @inline(__always)
    static func floorLog10Pow2(_ e: Int) -> Int { (e &* 661_971_961_083) >> 41 }

    /// ⌊log10(3/4·2^e)⌋: -274743187321 is ⌊log10(3/4)·2^41⌋.
    @inline(__always)
    static func floorLog10ThreeQuartersPow2(_ e: Int) -> Int { (e &* 661_971_961_083 &- 274_743_187_321) >> 41 }

    /// ⌊log2(10^e)⌋ for |e| ≤ 400: 913124641741 is ⌊log2(10)·2^38⌋.
    @inline(__always)
    static func floorLog2Pow10(_ e: Int) -> Int { (e &* 913_124_641_741) >> 38 }

    /// The paper's g for 10^-k as two 63-bit halves, g = g1·2^63 + g0, with g = ⌊β⌋ + 1 and
    /// 2^125 ≤ β < 2^126. Rounding T down then shifting is still ⌊β⌋: ⌊⌊x⌋/4⌋ = ⌊x/4⌋.
    @inline(__always)
    static func g(_ k: Int) -> (g1: UInt64, g0: UInt64) {
        let row = 2 &* (0 &- k &- PowersOfTen.minExponent)
        let (high, low) = PowersOfTen.table.withUnsafeBufferPointer { ($0[row], $0[row &+ 1]) }
        let g = (UInt128(high) << 64 | UInt128(low)) >> 2 &+ 1
        return (UInt64(truncatingIfNeeded: g >> 63), UInt64(truncatingIfNeeded: g) & (1 << 63 - 1))
    }

    /// The paper's r'_o(cp·g·2^-127): the product's integer part, its lowest bit set when the
    /// product is not an integer (the sticky bit). g0·cp contributes only its high word: the
    /// paper shows the low word cannot change either part.
    @inline(__always)
    static func roundToOdd(_ g1: UInt64, _ g0: UInt64, _ cp: UInt64) -> UInt64 {
        let x1 = g0.multipliedFullWidth(by: cp).high
        let (y1, y0) = g1.multipliedFullWidth(by: cp)
        let z = y0 >> 1 &+ x1
        let integer = y1 &+ z >> 63
        let mask: UInt64 = 1 << 63 - 1
        return integer | (z & mask &+ mask) >> 63
    }

    /// The shortest decimal `digits × 10^exponent` of the double with these bits, which must be
    /// finite and non-zero (the sign bit is ignored). `digits` has at most 17 digits and may
    /// end in zeros.
    @inline(__always)
    static func shortest(_ bits: UInt64) -> (digits: UInt64, exponent: Int) {
        let fraction = bits & (1 << 52 - 1)
        let biased = Int(truncatingIfNeeded: bits >> 52) & 0x7FF
        // v = c·2^q; a subnormal has the least exponent and no implicit bit.
        let c = biased != 0 ? fraction | 1 << 52 : fraction
        let q = biased != 0 ? biased &- 1075 : -1074
        let out = c & 1
        let cb = c << 2
        let cbr = cb &+ 2
        let cbl: UInt64
        let k: Int
        if c != 1 << 52 || q == -1074 {
            cbl = cb &- 2
            k = floorLog10Pow2(q)
        } else {
            // A power of two: the gap below is half the gap above.
            cbl = cb &- 1
            k = floorLog10ThreeQuartersPow2(q)
        }
        let h = q &+ floorLog2Pow10(0 &- k) &+ 2
        let (g1, g0) = g(k)
        let vb = roundToOdd(g1, g0, cb &<< h)
        let vbl = roundToOdd(g1, g0, cbl &<< h)
        let vbr = roundToOdd(g1, g0, cbr &<< h)
        return choose(vb: vb, vbl: vbl, vbr: vbr, out: out, k: k)
    }

    /// The paper's choice among the candidates, from 4·v, 4·vl and 4·vr times 10^-k (each
    /// with its sticky bit) and whether R is open (`out`, an odd significand): one digit fewer
    /// (sp10 or tp10) if exactly one lies in R; else s or t = s + 1, whichever lies in R; the
    /// closer if both do, the even on a tie.
    ///
    /// Every candidate and test is computed and the answer is selected without a branch: for
    /// random floats each test goes either way, and a mispredicted branch costs more than all
    /// the arithmetic here.
    ///
    /// One digit fewer is tried whenever s has two or more. (The paper, serving Java, asks for
    /// s ≥ 100 and widens tiny subnormals to two digits, because Java prints at least two:
    /// 4.9E-324. Swift prints the shortest, 5e-324. Below 10, s and s + 1 are as short as a
    /// multiple of 10 could be.)
    @inline(__always)
    static func choose(vb: UInt64, vbl: UInt64, vbr: UInt64, out: UInt64, k: Int) -> (digits: UInt64, exponent: Int) {
        let s = vb >> 2
        // sp10 = 10·⌊s/10⌋; 115292150460684698·2^4 / 2^64 is 1/10 closely enough for s < 2^60.
        let sp10 = 10 &* s.multipliedFullWidth(by: 115_292_150_460_684_698 << 4).high
        let tp10 = sp10 &+ 10
        // The tests as 0 or 1, combined with arithmetic: the compiler turns `||`, `&&` and
        // most selects of computed values into branches.
        let upin: UInt64 = vbl &+ out <= sp10 << 2 ? 1 : 0
        let wpin: UInt64 = tp10 << 2 &+ out <= vbr ? 1 : 0
        let t = s &+ 1
        let uin: UInt64 = vbl &+ out <= s << 2 ? 1 : 0
        let win: UInt64 = t << 2 &+ out <= vbr ? 1 : 0
        // Both s and t in R: vb - 4s - 2 compares v with their midpoint; t when above, or on
        // it with s odd.
        let cmp = Int64(bitPattern: vb &- (s &+ t) << 1)
        let above: UInt64 = cmp > 0 ? 1 : 0
        let on: UInt64 = cmp == 0 ? 1 : 0
        let closerIsT = above | on & s & 1
        let onlyOne = uin ^ win
        let one = s &+ (onlyOne & (uin ^ 1) | (onlyOne ^ 1) & closerIsT)
        let shorter: UInt64 = (s >= 10 ? 1 : 0) & (upin ^ wpin)
        let mask = 0 &- shorter
        let digits = (sp10 &+ 10 &* (upin ^ 1)) & mask | one & ~mask
        return (digits, k)
    }

    /// The same for float32: `digits` has at most 9 digits. One 64-bit product per bound:
    /// g is the high 63 bits of the double's g, plus one (the paper's appendix).
    @inline(__always)
    static func shortest(_ bits: UInt32) -> (digits: UInt64, exponent: Int) {
        let fraction = UInt64(bits & (1 << 23 - 1))
        let biased = Int(bits >> 23) & 0xFF
        let c = biased != 0 ? fraction | 1 << 23 : fraction
        let q = biased != 0 ? biased &- 150 : -149
        let out = c & 1
        let cb = c << 2
        let cbr = cb &+ 2
        let cbl: UInt64
        let k: Int
        if c != 1 << 23 || q == -149 {
            cbl = cb &- 2
            k = floorLog10Pow2(q)
        } else {
            cbl = cb &- 1
            k = floorLog10ThreeQuartersPow2(q)
        }
        let h = q &+ floorLog2Pow10(0 &- k) &+ 33
        let g = Self.g(k).g1 &+ 1
        func roundToOdd(_ cp: UInt64) -> UInt64 {
            let x1 = g.multipliedFullWidth(by: cp).high
            let mask: UInt64 = 1 << 32 - 1
            return x1 >> 31 | (x1 & mask &+ mask) >> 32
        }
        let vb = roundToOdd(cb &<< h)
        let vbl = roundToOdd(cbl &<< h)
        let vbr = roundToOdd(cbr &<< h)
        return choose(vb: vb, vbl: vbl, vbr: vbr, out: out, k: k)
    }
}

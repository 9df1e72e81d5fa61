import CDecimalText

/// The text of a finite, non-zero float: the shortest digits that read back to it
/// (``BinaryToDecimal``: Żmij for doubles, Dragonbox for floats, Schubfach for powers of two), laid out byte for byte
/// as Swift's `description` lays them out.
///
/// `description`'s layout, for the digits d1 d2 ... dn of the decimal and the exponent E of its
/// first digit (v = d1.d2...dn × 10^E), as the standard library's FloatingPointToString.swift
/// chooses it:
/// - `d1.d2...dne±XX` (just `d1e±XX` for one digit; the exponent has at least two digits) when
///   E < -4, or when |v| > 2^53 (2^24 for Float): past that point not every integer is
///   representable, and `9007199254740994.0` would claim a precision the type does not have;
/// - `0.000d1...dn` for -4 ≤ E < 0;
/// - `d1...d(E+1).d(E+2)...dn` when digits remain after the point;
/// - `d1...dn00.0` otherwise: an integral value keeps a `.0`, so every float on the wire
///   looks like one.
///
/// The digits are made eight at a time in a 64-bit word, and the layout writes whole words
/// and then overwrites what it must: `out` needs 33 bytes of room (up to 25 are kept, the
/// rest is scratch), which ``JSONWriter/bytesPerNumber`` reserves.
enum FloatText {
    static let tenToThe16: UInt64 = 10_000_000_000_000_000

    /// A number's text before it is laid out: the digits, the exponent of the first, the form,
    /// the sign. Made apart from the writing so that the array writer
    /// can make two numbers' digits side by side (``JSONWriter/writeTwoNumbers(_:_:to:)``):
    /// each number is one long chain of dependent steps, and two chains in one stretch of code
    /// keep the processor busy where one leaves it waiting.
    ///
    /// A double's digits stay one 17-digit integer until the layout: for the texts of
    /// [0.0001, 10) (nearly every activation's answer) CDecimalText splits and places all
    /// sixteen after the first in vector registers; the other forms split them in words.
    struct Digits {
        /// Exactly 17 digits: 10^16 ≤ significand < 10^17, trailing zeros for shorter ones.
        var significand: UInt64
        var exponent: Int
        var exponential: Bool
        var sign: Int
    }

    /// Writes `value` (finite, non-zero) and returns the byte count.
    @inline(__always)
    static func write(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        emit(digits(value), to: out)
    }

    /// A float's digits: the first in `first` and the next eight in the word `w1`, their count;
    /// a float's text never needs a second word, so its layout
    /// (``layout(_:first:_:count:exponent:exponential:)``) has one word to place.
    struct FloatDigits {
        var first: UInt64
        var w1: UInt64
        var count: Int
        var exponent: Int
        var exponential: Bool
        var sign: Int
    }

    /// Writes `value` (finite, non-zero) and returns the byte count.
    @inline(__always)
    static func write(_ value: Float, to out: UnsafeMutablePointer<UInt8>) -> Int {
        emit(digits(value), to: out)
    }

    /// Lays out a float's digits at `out` (33 bytes of room) and returns the byte count.
    @inline(__always)
    static func emit(_ d: FloatDigits, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = 0x2D  // '-', overwritten by the first digit when positive
        return d.sign &+ layout(out + d.sign, first: d.first, d.w1, count: d.count,
                                exponent: d.exponent, exponential: d.exponential)
    }

    /// Lays out `d` at `out` (33 bytes of room) and returns the byte count.
    @inline(__always)
    static func emit(_ d: Digits, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = 0x2D  // '-', overwritten by the first digit when positive
        // e in -4 ... 0 (never exponential there): 0.000ddd... or d.ddd..., one test.
        if UInt(bitPattern: d.exponent &+ 4) <= 4 {
            return d.sign &+ Int(decimal_text_fraction17(out + d.sign, d.significand, Int64(d.exponent)))
        }
        return d.sign &+ layout(out + d.sign, significand: d.significand, exponent: d.exponent,
                                exponential: d.exponential)
    }

    /// `a`, a comma and `b` at `out` (66 bytes of room), both with first-digit exponents in
    /// -4 ... 0; returns the byte count. One stretch of code for both (CDecimalText): the
    /// processor overlaps two numbers' chains only as far as its window of instructions reaches.
    @inline(__always)
    static func emitPair(_ a: Digits, _ b: Digits, to out: UnsafeMutablePointer<UInt8>) -> Int {
        Int(decimal_text_pair17(out, a.significand, Int64(a.exponent), UInt32(truncatingIfNeeded: a.sign),
                                b.significand, Int64(b.exponent), UInt32(truncatingIfNeeded: b.sign)))
    }

    /// The other forms (|v| ≥ 10, or exponential): the 17 digits split into the first and two
    /// words of eight, then ``layout(_:first:_:_:count:exponent:exponential:)``.
    @inline(__always)
    static func layout(_ out: UnsafeMutablePointer<UInt8>, significand f: UInt64, exponent e: Int, exponential: Bool) -> Int {
        // The first digit and four groups of four, each a division of f by a constant, all
        // side by side rather than one after the other: the quarters of the two words of eight
        // are ready after one multiplication and one subtraction.
        let first = f / tenToThe16
        let q12 = f / 1_000_000_000_000
        let q8 = f / 100_000_000
        let q4 = f / 10_000
        let w1 = digits(halves: pack(q12 &- first &* 10_000, q8 &- q12 &* 10_000))
        let w2 = digits(halves: pack(q4 &- q8 &* 10_000, f &- q4 &* 10_000))
        // The zeros at the end are the zero bytes at the top of the words (last digit highest).
        let trailingZeros = w2 == 0 ? 8 &+ w1.leadingZeroBitCount >> 3 : w2.leadingZeroBitCount >> 3
        return layout(out, first: first, w1, w2, count: 17 &- trailingZeros, exponent: e, exponential: exponential)
    }

    /// The digits of `value` (finite, non-zero).
    @inline(__always)
    static func digits(_ value: Double) -> Digits {
        BinaryToDecimal.doubleRows.withUnsafeBufferPointer { digits(value, rows: $0.baseAddress!) }
    }

    /// The digits of `value` (finite, non-zero), with the storage of the writer's table for
    /// doubles given (``BinaryToDecimal/shortestDouble(_:rows:)``).
    @inline(__always)
    static func digits(_ value: Double, rows: UnsafePointer<UInt64>) -> Digits {
        let bits = value.bitPattern
        let magnitude = bits & (1 << 63 - 1)
        let sign = Int(truncatingIfNeeded: bits >> 63)
        // Exactly 17 digits, so the first digit sits at a fixed place, and e the exponent of
        // that first digit.
        let (f, e) = BinaryToDecimal.shortestDouble17(magnitude, rows: rows)
        let exponential = e < -4 || magnitude > (0x1p53 as Double).bitPattern
        return Digits(significand: f, exponent: e, exponential: exponential, sign: sign)
    }

    /// The digits of `value` (finite, non-zero).
    @inline(__always)
    static func digits(_ value: Float) -> FloatDigits {
        let bits = value.bitPattern
        let magnitude = bits & (1 << 31 - 1)
        let sign = Int(bits >> 31)
        var (f, e) = BinaryToDecimal.shortestFloat(magnitude)
        // Nine digits, the most a float32 needs; normal floats come with 7 to 9.
        // Both tests on f at once, then one multiplication by 1, 10 or 100.
        e &+= 8
        let below9: UInt64 = f < 100_000_000 ? 1 : 0
        let below8: UInt64 = f < 10_000_000 ? 1 : 0
        f &*= 1 &+ 9 &* below9 &+ 90 &* below8
        e &-= Int(below9 &+ below8)
        while f < 100_000_000 {
            f &*= 10
            e &-= 1
        }
        // f < 10^9 < 2^30: the divisions by 10^8 and 10^4 as 64-bit multiply-and-shift, side by
        // side. Exact: with m = ⌈2^s/d⌉, ⌊f·m/2^s⌋ = ⌊f/d⌋ for every f < 2^N when m·d - 2^s ≤
        // 2^(s-N) (the error f·(m·d - 2^s)/(d·2^s) stays below 1/d); the tests check the bounds.
        let first = (f &* 1_441_151_881) >> 57
        // (2^44/10^4 rounded up, below 2^31, so it is the multiplication's immediate operand.)
        let q4 = (f &* 1_759_218_605) >> 44
        let w1 = digits(halves: pack(q4 &- first &* 10_000, f &- q4 &* 10_000))
        // The zero bytes at the top of w1, 8 when it is 0, without a test for 0: no digit byte
        // has its top bit set, so (w1 << 1 | 1) has one leading zero fewer, and is never 0.
        let trailingZeros = ((w1 << 1 | 1).leadingZeroBitCount &+ 1) >> 3
        // e < -4 or |v| > 2^24, as one sign test (the magnitudes' difference fits in 32 bits).
        let exponential = (e &+ 4 | Int(Int32(bitPattern: (0x1p24 as Float).bitPattern &- magnitude))) < 0
        return FloatDigits(first: first, w1: w1, count: 9 &- trailingZeros, exponent: e,
                           exponential: exponential, sign: sign)
    }

    /// The eight decimal digits of `n` < 10^8, one per byte, first digit in the lowest byte
    /// (so a little-endian store writes them in reading order), as values 0...9.
    ///
    /// Splitting in lanes: n into two halves of four digits in 32-bit lanes, each of those into
    /// two pairs in 16-bit lanes, each pair into two digits in bytes. Each split divides every
    /// lane at once by a multiply and shift: 10486/2^20 is 1/100 closely enough below 10^4,
    /// 103/2^10 is 1/10 below 100, and the masks drop what spills from the lane above.
    ///
    /// Each step is one multiply for the quotients and one for "the rest moved up a lane, the
    /// quotient kept": x << 16 + q·(1 - 100·2^16) is q | (x - 100·q) << 16 in every lane at once
    /// (each lane's result is non-negative, so nothing borrows across lanes), which saves a
    /// shift and an or on the chain from the number to its text.
    @inline(__always)
    static func digits(of n: UInt64) -> UInt64 {
        let upper = (n &* 0xD1B7_1759) >> 45  // n / 10^4, exact for n < 2^32
        return digits(halves: pack(upper, n &- upper &* 10_000))
    }

    /// Two numbers below 10^4 in the 32-bit lanes of a word, `upper` in the low one.
    @inline(__always)
    static func pack(_ upper: UInt64, _ lower: UInt64) -> UInt64 { upper | lower << 32 }

    /// ``digits(of:)`` from its halves: the four digits of each 32-bit lane, low lane first.
    @inline(__always)
    static func digits(halves: UInt64) -> UInt64 {
        let hundreds = (halves &* 10_486) >> 20 & 0x0000_007F_0000_007F
        let pairs = halves << 16 &+ hundreds &* (1 &- 100 << 16)
        let tens = (pairs &* 103) >> 10 & 0x000F_000F_000F_000F
        return pairs << 8 &+ tens &* (1 &- 10 << 8)
    }

    /// Lays out the digits: `first` (1...9) then the bytes of `w1` and `w2` (digit values),
    /// `count` of the 17 significant, `exponent` that of the first digit. Returns the length.
    @inline(__always)
    static func layout(
        _ out: UnsafeMutablePointer<UInt8>, first: UInt64, _ w1: UInt64, _ w2: UInt64,
        count n: Int, exponent e: Int, exponential: Bool
    ) -> Int {
        let raw = UnsafeMutableRawPointer(out)
        let zeros: UInt64 = 0x3030_3030_3030_3030  // ASCII '0' in every byte: digit | zeros is its character
        let d1 = UInt8(truncatingIfNeeded: first) | 0x30
        let a1 = w1 | zeros
        let a2 = w2 | zeros
        if exponential {
            out[0] = d1
            out[1] = 0x2E
            raw.storeBytes(of: a1, toByteOffset: 2, as: UInt64.self)
            raw.storeBytes(of: a2, toByteOffset: 10, as: UInt64.self)
            let i = n > 1 ? n &+ 1 : 1
            return i &+ exponentText(e, to: raw + i)
        }
        if e <= 0 {
            // "0.000" and the digits, or for e = 0 the first digit and the point before the
            // rest: one set of stores over "0.000000" for both, at places chosen without a
            // branch, since |v| < 1 or not is as random as the values.
            raw.storeBytes(of: 0x3030_3030_3030_2E30, as: UInt64.self)  // "0.000000", little-endian
            out[(1 &- e) & e >> 63] = d1  // at 1 - e, or at 0 when e = 0
            out[1] = 0x2E
            raw.storeBytes(of: a1, toByteOffset: 2 &- e, as: UInt64.self)
            raw.storeBytes(of: a2, toByteOffset: 10 &- e, as: UInt64.self)
            // 1 - e + n bytes, and 1.0 keeps a zero after the point: three at least.
            return max(1 &- e &+ n, 3)
        }
        out[0] = d1
        if e >= n &- 1 {
            // Integral: the 17 digits already end in the zeros it needs, then ".0".
            raw.storeBytes(of: a1, toByteOffset: 1, as: UInt64.self)
            raw.storeBytes(of: a2, toByteOffset: 9, as: UInt64.self)
            out[e &+ 1] = 0x2E
            out[e &+ 2] = 0x30
            return e &+ 3
        }
        // A point after e + 1 digits: the digits up to it, then the rest shifted one place on,
        // moved in registers (shifts of whole bytes) rather than through memory. Masking shifts
        // (&>>): the amounts are in 8...56, and Swift's checked `>>` would test for more.
        raw.storeBytes(of: a1, toByteOffset: 1, as: UInt64.self)
        if e < 8 {
            let shift = UInt64(e &* 8)
            raw.storeBytes(of: a1 &>> shift | a2 &<< (64 &- shift), toByteOffset: e &+ 2, as: UInt64.self)
            raw.storeBytes(of: a2 &>> shift, toByteOffset: e &+ 10, as: UInt64.self)
        } else {
            raw.storeBytes(of: a2, toByteOffset: 9, as: UInt64.self)
            raw.storeBytes(of: a2 &>> UInt64((e &- 8) &* 8), toByteOffset: e &+ 2, as: UInt64.self)
        }
        out[e &+ 1] = 0x2E
        return n &+ 1
    }

    /// A float's layout: `first` then the eight digit bytes of `w1`, `count` of the nine
    /// significant, `exponent` that of the first digit. Returns the length.
    ///
    /// Short of the exponential form, a float's exponent is -4 ... 7 (|v| ≤ 2^24), and its
    /// nine digits fit two overlapping word stores, so every case is one set of stores at
    /// places computed without a branch: whether |v| < 1 is as random as the values, and a
    /// mispredicted branch costs more than these few instructions. Over "0.000000":
    /// - the first digit and the next seven at p (1 - e for e < 0, else 0);
    /// - the digits after the point, shifted down by e bytes for e ≥ 0 (the bytes shifted in
    ///   become '0', so an integral value ends ".0"), at 2 + |e|;
    /// - the point at 1 + max(e, 0).
    /// Length: 1 + |e| + n when e < 0; n + 1, or e + 3 for an integral value, when e ≥ 0.
    @inline(__always)
    static func layout(
        _ out: UnsafeMutablePointer<UInt8>, first: UInt64, _ w1: UInt64, count n: Int, exponent e: Int,
        exponential: Bool
    ) -> Int {
        let raw = UnsafeMutableRawPointer(out)
        let zeros: UInt64 = 0x3030_3030_3030_3030
        let d1 = first | 0x30
        let a1 = w1 | zeros
        if exponential {
            out[0] = UInt8(truncatingIfNeeded: d1)
            out[1] = 0x2E
            raw.storeBytes(of: a1, toByteOffset: 2, as: UInt64.self)
            let i = n > 1 ? n &+ 1 : 1
            return i &+ exponentText(e, to: raw + i)
        }
        let below = e >> 63  // all ones when e < 0
        let minusE = (0 &- e) & below  // max(-e, 0)
        let t = e &+ minusE  // max(e, 0)
        raw.storeBytes(of: 0x3030_3030_3030_2E30, as: UInt64.self)  // "0.000000", little-endian
        raw.storeBytes(of: d1 | a1 << 8, toByteOffset: (1 &+ minusE) & below, as: UInt64.self)
        raw.storeBytes(of: a1 &>> UInt64(truncatingIfNeeded: t &* 8) | zeros, toByteOffset: 2 &+ t &+ minusE, as: UInt64.self)
        out[1 &+ t] = 0x2E
        return max(n &+ 1 &+ minusE, e &+ 3)
    }

    /// `e+XX`, `e-XX` or `e±XXX` at `out` (8 bytes of room); returns the length.
    @inline(__always)
    static func exponentText(_ e: Int, to out: UnsafeMutableRawPointer) -> Int {
        let sign: UInt64 = e < 0 ? 0x2D : 0x2B
        let x = UInt64(truncatingIfNeeded: e < 0 ? 0 &- e : e)
        if x < 100 {
            let tens = x / 10
            let text = 0x65 | sign << 8 | (tens | 0x30) << 16 | (x &- tens &* 10 | 0x30) << 24
            out.storeBytes(of: UInt32(truncatingIfNeeded: text), as: UInt32.self)
            return 4
        }
        let hundreds = x / 100
        let tens = (x &- hundreds &* 100) / 10
        let ones = x &- hundreds &* 100 &- tens &* 10
        let text = 0x65 | sign << 8 | (hundreds | 0x30) << 16 | (tens | 0x30) << 24 | (ones | 0x30) << 32
        out.storeBytes(of: text, as: UInt64.self)
        return 5
    }
}

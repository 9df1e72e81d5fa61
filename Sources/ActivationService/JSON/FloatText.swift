/// The text of a finite, non-zero float: the shortest digits that read back to it
/// (``BinaryToDecimal``: Dragonbox, and Schubfach for powers of two), laid out byte for byte
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

    /// Writes `value` (finite, non-zero) and returns the byte count.
    @inline(__always)
    static func write(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let bits = value.bitPattern
        let magnitude = bits & (1 << 63 - 1)
        let sign = bits == magnitude ? 0 : 1
        out[0] = 0x2D  // '-', overwritten by the first digit when positive
        var (f, e) = BinaryToDecimal.shortestDouble(magnitude)
        // Scale the digits to exactly 17, so the first digit sits at a fixed place; e is then
        // the exponent of that first digit. Normal doubles come with 15 to 17 digits, scaled
        // here without a branch (how many is as random as the values); only subnormals loop.
        // (Multiplying by 1 + 9·b rather than selecting: the compiler branches on selects.)
        e &+= 16
        for _ in 0..<2 {
            let b: UInt64 = f < tenToThe16 ? 1 : 0
            f &*= 1 &+ 9 &* b
            e &-= Int(b)
        }
        while f < tenToThe16 {
            f &*= 10
            e &-= 1
        }
        // The first digit and two groups of eight, split along two paths rather than one chain.
        let first = f / tenToThe16
        let upper = f / 100_000_000
        let low = f &- upper &* 100_000_000
        let high = upper &- first &* 100_000_000
        let w1 = digits(of: high)
        let w2 = digits(of: low)
        // The zeros at the end are the zero bytes at the top of the words (last digit highest).
        let trailingZeros = low == 0 ? 8 &+ w1.leadingZeroBitCount >> 3 : w2.leadingZeroBitCount >> 3
        let exponential = e < -4 || magnitude > (0x1p53 as Double).bitPattern
        return sign &+ layout(out + sign, first: first, w1, w2, count: 17 &- trailingZeros,
                              exponent: e, exponential: exponential)
    }

    /// Writes `value` (finite, non-zero) and returns the byte count.
    @inline(__always)
    static func write(_ value: Float, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let bits = value.bitPattern
        let magnitude = bits & (1 << 31 - 1)
        let sign = bits == magnitude ? 0 : 1
        out[0] = 0x2D
        var (f, e) = BinaryToDecimal.shortestFloat(magnitude)
        // Nine digits, the most a float32 needs; normal floats come with 6 to 9.
        e &+= 8
        for _ in 0..<3 {
            let b: UInt64 = f < 100_000_000 ? 1 : 0
            f &*= 1 &+ 9 &* b
            e &-= Int(b)
        }
        while f < 100_000_000 {
            f &*= 10
            e &-= 1
        }
        let first = f / 100_000_000
        let w1 = digits(of: f &- first &* 100_000_000)
        let trailingZeros = w1 == 0 ? 8 : w1.leadingZeroBitCount >> 3
        let exponential = e < -4 || magnitude > (0x1p24 as Float).bitPattern
        return sign &+ layout(out + sign, first: first, w1, 0, count: 9 &- trailingZeros,
                              exponent: e, exponential: exponential)
    }

    /// The eight decimal digits of `n` < 10^8, one per byte, first digit in the lowest byte
    /// (so a little-endian store writes them in reading order), as values 0...9.
    ///
    /// Splitting in lanes: n into two halves of four digits in 32-bit lanes, each of those into
    /// two pairs in 16-bit lanes, each pair into two digits in bytes. Each split divides every
    /// lane at once by a multiply and shift: 10486/2^20 is 1/100 closely enough below 10^4,
    /// 103/2^10 is 1/10 below 100, and the masks drop what spills from the lane above.
    @inline(__always)
    static func digits(of n: UInt64) -> UInt64 {
        let upper = n / 10_000
        let halves = upper | (n &- upper &* 10_000) << 32
        let hundreds = (halves &* 10_486) >> 20 & 0x0000_007F_0000_007F
        let pairs = hundreds | (halves &- hundreds &* 100) << 16
        let tens = (pairs &* 103) >> 10 & 0x000F_000F_000F_000F
        return tens | (pairs &- tens &* 10) << 8
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

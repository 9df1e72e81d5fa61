#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decimal text to the correctly rounded binary float, without allocating.
///
/// Goals, in order: (1) the result is always the correctly rounded value of the decimal text
/// (what `strtod`/`strtof` return), never off by one ulp; (2) the common case, up to 19
/// significant digits, costs a few multiplications, because the service's request bodies are
/// mostly numbers.
///
/// Three tiers:
/// - Clinger's fast path: a significand of at most 2^53 and a power of ten of at most 22 are
///   both exact doubles, so one IEEE multiplication or division rounds once, correctly.
/// - Eisel-Lemire (Lemire, "Number Parsing at a Gigabyte per Second", 2021; the formulation of
///   Go's strconv): a 64x128-bit product with a truncated power of ten; it declines the rare
///   inputs whose rounding the 128 bits cannot decide, and subnormal or overflowing results.
/// - `strtod`/`strtof` on a NUL-terminated copy of the text for everything declined or longer
///   than 19 significant digits.
///
/// The numeric-array loop calls the first two tiers directly (``CommonNumber``, with a
/// binary32 Clinger path for float32 arrays) and falls back to this whole ladder through
/// `readNumber`.
enum DecimalToBinary {
    /// Exact powers of ten for Clinger's fast path (10^22 is the largest exact double).
    static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The powers of ten that are exact floats (10^10 = 2^10·5^10, and 5^10 < 2^24).
    static let exactPowers32: [Float] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

    /// 10^s and -10^s at 2s and 2s + 1, s = 0...6: the divisors of the short decimals read whole
    /// (`decimal_short`), the sign on the divisor (division rounds symmetrically), so the
    /// sign costs no instruction of its own.
    static let signedPowers: [Double] = [1e0, -1e0, 1e1, -1e1, 1e2, -1e2, 1e3, -1e3, 1e4, -1e4, 1e5, -1e5, 1e6, -1e6]
    static let signedPowers32: [Float] = [1e0, -1e0, 1e1, -1e1, 1e2, -1e2, 1e3, -1e3, 1e4, -1e4, 1e5, -1e5, 1e6, -1e6]

    /// The double nearest `significand * 10^exponent`, or nil when neither fast tier can prove
    /// its rounding (the caller then uses ``strtodSpan``).
    @inline(__always)
    static func fastDouble(significand w: UInt64, exponent q: Int, negative: Bool) -> Double? {
        if w == 0 { return negative ? -0.0 : 0.0 }
        if w <= 1 << 53 && q >= -22 && q <= 22 { return clinger(significand: w, exponent: q, negative: negative) }
        return eiselLemire(significand: w, exponent: q, negative: negative)
    }

    /// Clinger's fast path: `w` ≤ 2^53 and |q| ≤ 22, so one correctly rounded operation.
    @inline(__always)
    static func clinger(significand w: UInt64, exponent q: Int, negative: Bool) -> Double {
        // Signed before the operation, which rounds symmetrically: the sign costs an `or`
        // rather than a branch on a coin toss. (w ≤ 2^53 converts as a signed integer: one
        // instruction where an unsigned conversion takes several.)
        let d = Double(bitPattern: Double(Int64(bitPattern: w)).bitPattern | UInt64(negative ? 1 : 0) << 63)
        return exactPowers.withUnsafeBufferPointer { q < 0 ? d / $0[0 &- q] : d * $0[q] }
    }

    /// Clinger's fast path in binary32: `w` ≤ 2^24 and |q| ≤ 10, so `Float(w)` and 10^|q| are
    /// exact floats and one float32 division or multiplication rounds once, correctly: the
    /// float32 nearest the decimal, as `strtof` gives (no detour through a double).
    @inline(__always)
    static func clinger32(significand w: UInt64, exponent q: Int, negative: Bool) -> Float {
        let f = Float(bitPattern: Float(Int32(truncatingIfNeeded: w)).bitPattern | UInt32(negative ? 1 : 0) << 31)
        return exactPowers32.withUnsafeBufferPointer { q < 0 ? f / $0[0 &- q] : f * $0[q] }
    }

    /// Eisel-Lemire for binary64; `w` is non-zero. Returns nil where the 128-bit product
    /// cannot decide the rounding, or the result is subnormal or infinite.
    @inline(__always)
    static func eiselLemire(significand w: UInt64, exponent q: Int, negative: Bool) -> Double? {
        guard q >= PowersOfTen.minExponent && q <= PowersOfTen.maxExponent else { return nil }
        let clz = w.leadingZeroBitCount
        let man = w << UInt64(clz)
        // 217706 / 2^16 is log2(10) closely enough that the shift is floor(q * log2(10)) over
        // the table's range; 1023 is the exponent bias.
        var retExp2 = UInt64(bitPattern: Int64((217706 * q) >> 16 + 64 + 1023)) &- UInt64(clz)
        let row = 2 * (q - PowersOfTen.minExponent)
        let (hi, lo) = PowersOfTen.table.withUnsafeBufferPointer { ($0[row], $0[row + 1]) }
        var (xHi, xLo) = man.multipliedFullWidth(by: hi)
        // The product is only a lower bound (the power is truncated): when the 9 bits below
        // the kept ones are all ones, a carry from the next 64 bits could change the result,
        // so widen once. (Lemire also asks whether xLo + man carries; widening when it does not
        // only makes the product more precise, as fast_float does, and one test on xHi is one
        // well-predicted branch: it holds for 1 number in 512.)
        if xHi & 0x1FF == 0x1FF {
            let (yHi, yLo) = man.multipliedFullWidth(by: lo)
            var mergedHi = xHi
            let mergedLo = xLo &+ yHi
            if mergedLo < xLo { mergedHi &+= 1 }
            if mergedHi & 0x1FF == 0x1FF && mergedLo &+ 1 == 0 && yLo &+ man < man { return nil }
            xHi = mergedHi
            xLo = mergedLo
        }
        let msb = xHi >> 63
        var mantissa = xHi >> (msb + 9)
        retExp2 &-= 1 ^ msb
        // Exactly halfway in the product: the truncated power cannot break the tie.
        if xLo == 0 && xHi & 0x1FF == 0 && mantissa & 3 == 1 { return nil }
        mantissa &+= mantissa & 1
        mantissa >>= 1
        if mantissa >> 53 > 0 {
            mantissa >>= 1
            retExp2 &+= 1
        }
        // Zero or wrapped: subnormal; 0x7FF and above: overflow. Both go to strtod.
        if retExp2 &- 1 >= 0x7FF - 1 { return nil }
        var bits = retExp2 << 52 | mantissa & 0x000F_FFFF_FFFF_FFFF
        if negative { bits |= 1 << 63 }
        return Double(bitPattern: bits)
    }

    /// Eisel-Lemire for binary32, the same steps as ``eiselLemire(significand:exponent:negative:)``
    /// with a 24-bit significand: the float32 nearest `w`·10^`q` straight from the exact decimal,
    /// so a float32 request is rounded once (narrowing the nearest double would round twice).
    /// `w` is non-zero. Returns nil where the 128-bit product cannot decide the rounding, or the
    /// result is subnormal or infinite in float32.
    @inline(__always)
    static func eiselLemire32(significand w: UInt64, exponent q: Int, negative: Bool) -> Float? {
        // Past these the float32 is 0 or infinite whatever the 19 digits; the slow path says which.
        guard q >= -64 && q <= 38 else { return nil }
        let clz = w.leadingZeroBitCount
        let man = w << UInt64(clz)
        var retExp2 = UInt64(bitPattern: Int64((217706 * q) >> 16 + 64 + 127)) &- UInt64(clz)
        let row = 2 * (q - PowersOfTen.minExponent)
        let (hi, lo) = PowersOfTen.table.withUnsafeBufferPointer { ($0[row], $0[row + 1]) }
        var (xHi, xLo) = man.multipliedFullWidth(by: hi)
        // 38 bits below the 24 kept and the rounding bit (64 - 24 - 2): widen when they are all
        // ones (the next word could carry into them). Rare but for decimals that are a float
        // exactly, whose truncated product ends in ones.
        if xHi & (1 << 38 - 1) == 1 << 38 - 1 {
            let (yHi, yLo) = man.multipliedFullWidth(by: lo)
            var mergedHi = xHi
            let mergedLo = xLo &+ yHi
            if mergedLo < xLo { mergedHi &+= 1 }
            if mergedHi & (1 << 38 - 1) == 1 << 38 - 1 && mergedLo &+ 1 == 0 && yLo &+ man < man { return nil }
            xHi = mergedHi
            xLo = mergedLo
        }
        let msb = xHi >> 63
        var mantissa = xHi >> (msb + 38)
        retExp2 &-= 1 ^ msb
        // Exactly halfway in the product: the truncated power cannot break the tie.
        if xLo == 0 && xHi & (1 << 38 - 1) == 0 && mantissa & 3 == 1 { return nil }
        mantissa &+= mantissa & 1
        mantissa >>= 1
        if mantissa >> 24 > 0 {
            mantissa >>= 1
            retExp2 &+= 1
        }
        // Zero or wrapped: subnormal; 0xFF and above: overflow. Both go to strtof.
        if retExp2 &- 1 >= 0xFF - 1 { return nil }
        var bits = UInt32(truncatingIfNeeded: retExp2 << 23 | mantissa & 0x7F_FFFF)
        if negative { bits |= 1 << 31 }
        return Float(bitPattern: bits)
    }

    /// 5^0 ... 5^27, the powers of five below 2^63.
    static let powersOfFive: [UInt64] = [
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625,
        1220703125, 6103515625, 30517578125, 152587890625, 762939453125, 3814697265625,
        19073486328125, 95367431640625, 476837158203125, 2384185791015625, 11920928955078125,
        59604644775390625, 298023223876953125, 1490116119384765625, 7450580596923828125,
    ]

    /// What Eisel-Lemire declines most in float32 requests, exactly: a decimal that is a
    /// dyadic fraction, `w`·10^q = (w / 5^-q)·2^q with 5^-q dividing `w`
    /// (0.71692657470703125, the whole expansion of a float that `%.17g` or Python's `repr`
    /// print for floats with few significant bits: 0.3 % of the benchmark's float32 values,
    /// whose significand is too long for Clinger's path and which went to `strtof`). The
    /// quotient is rounded to float32 once and scaled by 2^q exactly (the result is at least
    /// 2^-27: normal). nil when q is not in -27...-1 or 5^-q does not divide `w` (a decimal
    /// that is no dyadic fraction, on which Eisel-Lemire declines only when it is within
    /// 2^-64 of a rounding boundary).
    @inline(never)
    static func float32Dyadic(significand w: UInt64, exponent q: Int, negative: Bool) -> Float? {
        guard q < 0 && q >= -27 else { return nil }
        let (m, r) = w.quotientAndRemainder(dividingBy: powersOfFive.withUnsafeBufferPointer { $0[0 &- q] })
        guard r == 0 else { return nil }
        let f = Float(m) * Float(sign: .plus, exponent: q, significand: 1)
        return negative ? -f : f
    }

    /// What Eisel-Lemire declines most in float32 requests: decimals that are a float exactly
    /// (0.71692657470703125, what `%.17g` prints for many floats). The truncated power makes
    /// such a product end in ones, which the 128 bits cannot round. Clinger's path rounds them
    /// once to a double, exactly when the decimal is exact; narrowing that double is the
    /// float32 nearest the decimal unless it may round twice (``mayRoundTwice(_:)``), which
    /// goes back to the slow path with the rest. Out of line: a few numbers in a thousand.
    @inline(never)
    static func float32ThroughClinger(significand w: UInt64, exponent q: Int, negative: Bool) -> Float? {
        guard w <= 1 << 53 && q >= -22 && q <= 22 else { return nil }
        let d = clinger(significand: w, exponent: q, negative: negative)
        let f = Float(d)
        guard !mayRoundTwice(d) && f.isFinite else { return nil }
        return f
    }

    /// `strtod` on `bytes[start..<end]`, which holds a complete JSON number.
    static func strtodSpan(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double {
        withCString(bytes, start, end) { strtod($0, nil) }
    }

    /// `strtof` on `bytes[start..<end]`: the float32 nearest the text itself, with no detour
    /// through a double (which could round twice).
    static func strtofSpan(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Float {
        withCString(bytes, start, end) { strtof($0, nil) }
    }

    /// Whether `Float(d)` may differ from the float32 nearest the decimal text that `d` was
    /// rounded from. Rounding twice goes wrong only when `d` lands exactly on a float32
    /// midpoint (its 29 low significand bits are 1 followed by 28 zeros), or when the float32
    /// result is subnormal, where midpoints sit elsewhere. Both are rare; those numbers are
    /// parsed again with `strtof`.
    @inline(__always)
    static func mayRoundTwice(_ d: Double) -> Bool {
        let bits = d.bitPattern
        let biased = (bits >> 52) & 0x7FF
        // Both tests computed and one chosen, with no branch, so a loop over doubles vectorizes.
        let subnormalAsFloat = bits << 1 != 0
        let onMidpoint = bits & 0x1FFF_FFFF == 0x1000_0000
        return biased < 1023 - 126 ? subnormalAsFloat : onMidpoint
    }

    /// Runs `body` on a NUL-terminated copy of `bytes[start..<end]` (on the stack when short).
    private static func withCString<R>(
        _ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
        _ body: (UnsafePointer<CChar>) -> R
    ) -> R {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: bytes + start, byteCount: length)
            base[length] = 0
            return body(base)
        }
    }
}

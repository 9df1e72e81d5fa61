import CDecimalDigits

/// The common number, read in one pass with few branches: what the numeric-array loop calls
/// for every element before anything else.
///
/// Goals, in order: (1) the same value as ``JSONScanner/readNumber()`` (the correctly rounded
/// double), the same errors, the same end; so (2) anything unusual is not handled here at
/// all: the function returns nil having consumed nothing, and the caller reads the number again
/// with `readNumber`, which knows every error message and every slow path; (3) the usual
/// number (a sign, up to 19 significant digits, a fraction, maybe an exponent) costs a few
/// dozen instructions.
///
/// The integer part is read a digit at a time (it is usually one digit), the fraction sixteen
/// bytes at a time (one vector test finds how many are digits, one multiply-add chain makes
/// their value: CDecimalDigits) and then a digit at a time, so a 17-digit number costs one
/// vector step and one or two digit steps; a fraction of at most eight digits (-3.123456) takes
/// its value from one eight-byte word instead, and a short decimal with no exponent (at most 15
/// digits) is rounded by Clinger's exact path (``CommonNumber``), the rest by Eisel-Lemire. The significand folds every digit with wrapping
/// arithmetic and the count comes from the positions at the end: up to 19 digits the fold is
/// exact (10^19 - 1 < 2^64); past 19 (or with leading zeros after the point that push the
/// count past 19) it declines, and `readNumber` truncates carefully. Near the end of the body,
/// where a chunk could read past it, it declines too (``commonNumberRoom``).
extension JSONScanner {
    /// Bytes a common number may take without a bounds check: the loads below stay within
    /// this many bytes of its first digit (a digit, the point, sixteen digits read at once and
    /// two bytes after them), and a number closer than that to the end of the body is left
    /// to readNumber.
    static let commonNumberRoom = 24

    @inline(__always)
    mutating func readCommonNumber() -> Double? { readCommonNumber(as: Double.self) }

    /// The same number rounded once, straight from its decimal, to `Number` (Double, or Float
    /// for a float32 array whose dtype came before it).
    @inline(__always)
    mutating func readCommonNumber<Number: CommonNumber>(as _: Number.Type) -> Number? {
        guard let (value, next) = Self.commonNumber(base, from: pos, end: end, as: Number.self) else { return nil }
        pos = next
        return value
    }

    /// ``readCommonNumber(as:)`` on `base[start..<end]`, returning the value and the position
    /// after the number: a function of its arguments alone, so the row loop can keep its
    /// cursor in a register (a stored `pos` is reloaded after every store through a pointer,
    /// which might alias it).
    @inline(__always)
    static func commonNumber<Number: CommonNumber>(
        _ base: UnsafePointer<UInt8>, from start: Int, end: Int, as _: Number.Type
    ) -> (Number, Int)? {
        // Room for the sign and the number: no load below needs a bounds test. Any byte may
        // be at `start`: what is not '-' or a digit fails the first digit's test.
        guard start &+ Self.commonNumberRoom < end else { return nil }
        let negative = base[start] == 0x2D
        let first = start &+ (negative ? 1 : 0)  // no branch: the sign is as random as the values
        // The integer part, a digit at a time: usually there is one.
        var w = UInt64(base[first] &- 0x30)
        guard w < 10 else { return nil }
        var p = first &+ 1
        var digit = base[p] &- 0x30
        if digit < 10 {
            // More digits after a leading zero: readNumber's error.
            guard w != 0 else { return nil }
            repeat {
                w = w &* 10 &+ UInt64(digit)
                p &+= 1
                guard p < end else { return nil }
                digit = base[p] &- 0x30
            } while digit < 10
            // Room for the point, sixteen digits and two bytes after them. (After one integer
            // digit there always is: the point is at most 2 bytes past `start`.)
            guard p &+ 19 <= end else { return nil }
        }
        var digits = p &- first
        var exponent = 0
        if base[p] == 0x2E {
            p &+= 1
            let fractionStart = p
            // Sixteen bytes at a time (CDecimalDigits: SSE2 on x86-64), and two more bytes
            // after them: 17 significant digits are the usual longest. (`p` + 18 ≤ `end`.)
            let run = decimal_digits_mask16(base + p)
            if run == 0xFFFF {
                // Sixteen digits or more: the usual %.17g text, a branch that stays predicted.
                w = decimal_digits_fold16(w, base + p)
                p &+= 16
                // A seventeenth digit or not is a coin toss (|x| < 1 or not, in %.17g text), so
                // it is taken without a branch.
                digit = base[p] &- 0x30
                let one = digit < 10
                w = one ? w &* 10 &+ UInt64(digit) : w
                p &+= one ? 1 : 0
                // An eighteenth digit (leading zeros, or a longer text) is rare: a branch is fine.
                // (`p` < end here: at most 17 bytes past the point's 18 of room.)
                if base[p] &- 0x30 < 10 {
                    repeat {
                        w = w &* 10 &+ UInt64(base[p] &- 0x30)
                        p &+= 1
                        guard p < end else { return nil }
                    } while base[p] &- 0x30 < 10
                }
            } else {
                // Fewer than sixteen: their count from the mask, their value from the sixteen
                // bytes that end with them (which start 16 - n bytes before the fraction: at
                // least 16 bytes into the body, where they always are but in a tiny body).
                // `p` stays below `end`.
                let n = UInt32(truncatingIfNeeded: (~run).trailingZeroBitCount)
                if n &- 1 < 8 {
                    // One to eight (-3.123456, 0.5): one word and three multiplications, from
                    // the bytes at the fraction, whose load waits for nothing.
                    w = decimal_digits_fold8(w, base + p, n)
                } else {
                    guard n != 0, fractionStart >= 16 else { return nil }
                    w = decimal_digits_fold(w, base + p, n)
                }
                p &+= Int(n)
                // The short decimal with no exponent (what most clients send): at most 15
                // digits (w < 10^15 < 2^53) over 10^n, n ≤ 15, is Clinger's exact domain, so
                // it ends here, and the 17-digit path below keeps its code as it was.
                if digits &+ Int(n) <= 15 && base[p] | 0x20 != 0x65,
                   let value = Number.shortDecimal(significand: w, fractionDigits: Int(n), negative: negative) {
                    return (value, p)
                }
            }
            let fractionDigits = p &- fractionStart
            exponent = 0 &- fractionDigits
            digits &+= fractionDigits
        }
        if base[p] | 0x20 == 0x65 {
            p &+= 1
            guard p < end else { return nil }
            var negativeExponent = false
            if base[p] == 0x2B || base[p] == 0x2D {
                negativeExponent = base[p] == 0x2D
                p &+= 1
            }
            let exponentStart = p
            var e = 0
            while p < end {
                let digit = base[p] &- 0x30
                if digit >= 10 { break }
                // Past 10^6 the value is 0 or out of range whatever the digits; the fast tiers
                // decline such exponents and readNumber gives the answer.
                if e < 1_000_000 { e = e &* 10 &+ Int(digit) }
                p &+= 1
            }
            guard p > exponentStart else { return nil }
            exponent &+= negativeExponent ? 0 &- e : e
        }
        // Zeros before the first significant digit were counted: `%.17g` writes 0.0023560940753668547,
        // 17 significant digits in 20 (one number in a few hundred). Only when the count is past
        // 19 are they looked for, off the common path.
        if digits > 19 { digits &-= leadingZeros(base, from: first, to: p) }
        // Eisel-Lemire for the rest: the short decimals Clinger's path takes have left above.
        guard digits <= 19, w != 0,
              let value = Number.eiselLemire(significand: w, exponent: exponent, negative: negative)
        else { return nil }
        return (value, p)
    }
}

extension JSONScanner {
    /// The zeros (and the point) before the first non-zero digit of the number text
    /// `base[first..<end]`, counted as digits by ``readCommonNumber(as:)``: the zeros only.
    @inline(never)
    static func leadingZeros(_ base: UnsafePointer<UInt8>, from first: Int, to end: Int) -> Int {
        var zeros = 0
        var p = first
        while p < end && (base[p] == 0x30 || base[p] == 0x2E) {
            if base[p] == 0x30 { zeros += 1 }
            p += 1
        }
        return zeros
    }
}

/// A float type the common-number reader rounds to: Clinger's exact path for short decimals,
/// Eisel-Lemire for the rest.
protocol CommonNumber {
    /// The value nearest `w`·10^-`n` (negated when `negative`), where `w` < 10^15 and n ≤ 15,
    /// when one exact operation gives it; nil otherwise (the caller goes on to Eisel-Lemire).
    static func shortDecimal(significand w: UInt64, fractionDigits n: Int, negative: Bool) -> Self?
    /// The value nearest `w` / ±10^scale for a short decimal read whole (`decimal_short`), where
    /// `divisor` = 2·scale + (1 when negative): `w` < 10^8 and exact in this type, scale ≤ 6,
    /// so one division rounds once, correctly (``DecimalToBinary/signedPowers``).
    static func eightDigitDecimal(significand w: UInt64, divisor: Int) -> Self
    static func eiselLemire(significand w: UInt64, exponent q: Int, negative: Bool) -> Self?
}

extension Double: CommonNumber {
    /// Always: w < 2^53 and 10^n ≤ 10^22 are exact doubles, so one IEEE division rounds
    /// once, correctly (0 included: a signed zero, as strtod gives).
    @inline(__always)
    static func shortDecimal(significand w: UInt64, fractionDigits n: Int, negative: Bool) -> Double? {
        DecimalToBinary.clinger(significand: w, exponent: 0 &- n, negative: negative)
    }

    @inline(__always)
    static func eightDigitDecimal(significand w: UInt64, divisor: Int) -> Double {
        let d = Double(Int64(bitPattern: w))
        return DecimalToBinary.signedPowers.withUnsafeBufferPointer { d / $0[divisor] }
    }

    @inline(__always)
    static func eiselLemire(significand w: UInt64, exponent q: Int, negative: Bool) -> Double? {
        DecimalToBinary.eiselLemire(significand: w, exponent: q, negative: negative)
    }
}

extension Float: CommonNumber {
    /// When w ≤ 2^24 and n ≤ 10, which are exact floats (10^10 = 2^10·5^10, 5^10 < 2^24): one
    /// float32 division, rounded once. (Clinger's double, narrowed, could round twice.) The
    /// service's six-decimal inputs (|x| < 16.777216) all pass.
    @inline(__always)
    static func shortDecimal(significand w: UInt64, fractionDigits n: Int, negative: Bool) -> Float? {
        guard w <= 1 << 24 && n <= 10 else { return nil }
        return DecimalToBinary.clinger32(significand: w, exponent: 0 &- n, negative: negative)
    }

    @inline(__always)
    static func eightDigitDecimal(significand w: UInt64, divisor: Int) -> Float {
        let f = Float(Int32(truncatingIfNeeded: w))
        return DecimalToBinary.signedPowers32.withUnsafeBufferPointer { f / $0[divisor] }
    }

    @inline(__always)
    static func eiselLemire(significand w: UInt64, exponent q: Int, negative: Bool) -> Float? {
        if let value = DecimalToBinary.eiselLemire32(significand: w, exponent: q, negative: negative) { return value }
        if let value = DecimalToBinary.float32Dyadic(significand: w, exponent: q, negative: negative) { return value }
        return DecimalToBinary.float32ThroughClinger(significand: w, exponent: q, negative: negative)
    }
}

import CDecimalDigits
import Foundation
import Testing
@testable import ActivationService

/// Short decimals (-3.123456, 0.5, 2.04: what most clients send), which the row loop reads with
/// the eight-byte fold and Clinger's exact path (binary64: significand ≤ 2^53, |q| ≤ 22;
/// binary32: significand ≤ 2^24, |q| ≤ 10), against the C library bit for bit: every length of
/// 1 to 17 significant digits, on both sides of each domain's edges.
@Suite struct JSONShortNumberTests {
    typealias S = JSONTestSupport
    typealias P = JSONNumberParsingTests

    /// `count` digits (the first non-zero), a point at a random place or none, maybe zeros
    /// after the point before them, maybe an exponent, maybe a minus: valid JSON numbers.
    static func randomText(digits count: Int, random: inout S.Generator) -> String {
        var digits = String(1 + random.below(9))
        for _ in 1..<count { digits.append(String(random.below(10))) }
        var text: String
        switch random.below(4) {
        case 0: text = digits  // an integer
        case 1: text = "0." + String(repeating: "0", count: random.below(8)) + digits  // leading zeros after the point
        default:
            let point = 1 + random.below(count)
            text = point == count ? digits + ".0" : String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        if random.below(3) == 0 {
            // Exponents around both fast paths' edges (|q| ≤ 10 for float32, ≤ 22 for float64).
            let e = random.below(61) - 30
            text += (random.below(2) == 0 ? "e" : "E") + (e >= 0 && random.below(2) == 0 ? "+" : "") + String(e)
        }
        return random.below(2) == 0 ? "-" + text : text
    }

    @Test func randomShortTextsOfEveryLength() throws {
        var random = S.Generator(seed: 0x5407)
        var texts: [String] = []
        for length in 1...17 {
            for _ in 0..<1_500 { texts.append(Self.randomText(digits: length, random: &random)) }
        }
        try P.expectAgreesWithLibc(texts)
    }

    @Test func theServicesTypicalNumbers() throws {
        // Python's repr of round(uniform(-6, 6), 6), as the load scripts' bodies hold: 1 to 8
        // significant digits, and an exponent below 1e-4.
        var random = S.Generator(seed: 0x6006)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let x = ((Double(random.next() >> 11) / Double(1 << 53) * 12 - 6) * 1e6).rounded() / 1e6
            texts.append(x.description)
        }
        texts += ["0.0", "-0.0", "1e-06", "-5e-06", "0.5", "2.04", "-3.123456", "5.999999", "-6.0", "0.000001"]
        try P.expectAgreesWithLibc(texts)
    }

    @Test func theEdgesOfBothExactDomains() throws {
        var texts: [String] = []
        // Significands at 2^24 and 2^53, either side, scaled by every exponent near the edges.
        for w in ["16777215", "16777216", "16777217", "16777218", "9007199254740991", "9007199254740992",
                  "9007199254740993", "9007199254740994", "1", "9", "99999999", "123456789012345"] {
            for e in [-23, -22, -21, -11, -10, -9, -1, 0, 1, 9, 10, 11, 21, 22, 23] {
                texts += ["\(w)e\(e)", "-\(w)e\(e)", "0.\(w)e\(e)"]
            }
        }
        // Float32 midpoints with few digits: between the floats from 2^24 up, the midpoints are
        // integers (odd multiples of half an ulp), 8 to 17 digits; ties go to even.
        var random = S.Generator(seed: 0x2424)
        for _ in 0..<3_000 {
            let biased = UInt32(127 + 24 + random.below(32))
            let f = Float(bitPattern: biased << 23 | UInt32(truncatingIfNeeded: random.next()) & 0x7F_FFFF)
            let midpoint = (UInt64(f) + UInt64(f.nextUp)) / 2
            let text = String(midpoint)
            let exponent = text.count - 1
            texts += [text, "-" + text, text + ".0", String(midpoint + 1), String(midpoint - 1),
                      String(text.prefix(1)) + "." + String(text.dropFirst()) + "e\(exponent)"]
            // The same digits as a fraction, where the tie is no longer exact.
            texts.append("0." + text)
        }
        // Double midpoints just past 2^53 (16 digits): Eisel-Lemire declines the exact tie.
        for k: UInt64 in [1, 3, 5, 7, 1001] { texts.append(String((1 << 53) + k)) }
        try P.expectAgreesWithLibc(texts)
    }

    @Test func theEightByteFoldIsTheDigitsValue() {
        var random = S.Generator(seed: 8)
        let stops: [UInt8] = [0x2C, 0x5D, 0x65, 0x45, 0x20, 0x2F, 0x3A, 0x00, 0xFF]
        for run in 1...8 {
            for stop in stops {
                for _ in 0..<50 {
                    let bytes = DecimalDigitsTests.buffer(run: run, stop: stop, random: &random)
                    let w = random.below(2) == 0 ? UInt64(random.below(10)) : random.next()
                    bytes.withUnsafeBufferPointer { b in
                        let p = b.baseAddress! + 16
                        #expect(decimal_digits_fold8(w, p, UInt32(run)) == decimal_digits_fold_portable(w, p, UInt32(run)),
                                "run \(run), stop \(stop)")
                    }
                }
            }
        }
        for digit: UInt8 in [0x30, 0x39] {
            let bytes = [UInt8](repeating: digit, count: 8) + [0x2C]
            bytes.withUnsafeBufferPointer { b in
                #expect(decimal_digits_fold8(0, b.baseAddress!, 8) == (digit == 0x39 ? 99_999_999 : 0))
                #expect(decimal_digits_fold8(7, b.baseAddress!, 1) == (digit == 0x39 ? 79 : 70))
            }
        }
    }
}

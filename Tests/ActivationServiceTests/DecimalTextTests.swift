import CDecimalText
import Testing
@testable import ActivationService

/// The writer's text for doubles in [0.0001, 10) (CDecimalText): the vector version the writer
/// uses and the portable definition, both against the text built here from the decimal digits
/// of the significand, for every value of every group of four digits, every exponent of the
/// form and every count of trailing zeros.
@Suite struct DecimalTextTests {
    typealias S = JSONTestSupport

    /// "0.000ddd" or "d.ddd" from the 17 digits of `f` and the first digit's exponent `e`.
    static func expected(_ f: UInt64, _ e: Int) -> String {
        var digits = String(f)
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        if e == 0 {
            let rest = digits.dropFirst()
            return "\(digits.first!)." + (rest.isEmpty ? "0" : rest)
        }
        return "0." + String(repeating: "0", count: -e - 1) + digits
    }

    /// Both versions' text for `f` and `e`, checked against `expected`.
    static func check(_ f: UInt64, _ e: Int) {
        let want = expected(f, e)
        for portable in [false, true] {
            var out = [UInt8](repeating: 0xAA, count: 40)
            let length = out.withUnsafeMutableBufferPointer { b in
                portable ? decimal_text_fraction17_portable(b.baseAddress!, f, Int64(e))
                    : decimal_text_fraction17(b.baseAddress!, f, Int64(e))
            }
            let text = String(decoding: out[0..<Int(length)], as: UTF8.self)
            #expect(text == want, "f \(f), e \(e), portable \(portable)")
        }
    }

    /// Both versions of the pair writer: a, a comma, b, each with its sign.
    static func checkPair(_ fa: UInt64, _ ea: Int, _ signA: UInt32, _ fb: UInt64, _ eb: Int, _ signB: UInt32) {
        let want = (signA == 1 ? "-" : "") + expected(fa, ea) + "," + (signB == 1 ? "-" : "") + expected(fb, eb)
        for portable in [false, true] {
            var out = [UInt8](repeating: 0xAA, count: 80)
            let length = out.withUnsafeMutableBufferPointer { b in
                portable ? decimal_text_pair17_portable(b.baseAddress!, fa, Int64(ea), signA, fb, Int64(eb), signB)
                    : decimal_text_pair17(b.baseAddress!, fa, Int64(ea), signA, fb, Int64(eb), signB)
            }
            #expect(String(decoding: out[0..<Int(length)], as: UTF8.self) == want, "portable \(portable)")
        }
    }

    @Test func pairsOfEveryExponentSignAndGroupValue() {
        var random = S.Generator(seed: 1318)
        for g: UInt64 in stride(from: 0, to: 10_000, by: 7) {
            let fa = 10_000_000_000_000_000 &+ g &* 1_000_100_010_001
            let fb = 99_999_999_999_999_999 &- (9_999 &- g) &* 1_000_100_010_001
            Self.checkPair(fa, -Int(g % 5), UInt32(g & 1), fb, -Int((g / 5) % 5), UInt32((g >> 1) & 1))
        }
        for _ in 0..<3_000 {
            let zeros = random.below(17)
            var scale: UInt64 = 1
            for _ in 0..<zeros { scale &*= 10 }
            let fa = (10_000_000_000_000_000 &+ random.next() % 90_000_000_000_000_000) / scale &* scale
            let fb = 10_000_000_000_000_000 &+ random.next() % 90_000_000_000_000_000
            Self.checkPair(fa, -random.below(5), UInt32(random.below(2)), fb, -random.below(5), UInt32(random.below(2)))
        }
    }

    @Test func theVectorVersionIsTheOneUsedOnX86() {
        #if arch(x86_64)
        #expect(DECIMAL_TEXT_HAS_SSE2 == 1)
        #endif
    }

    @Test func everyValueOfEveryGroupOfFour() {
        // f = 10^16 + g·(1 + 10^4 + 10^8 + 10^12): g in each of the four groups at once.
        for g: UInt64 in 0..<10_000 {
            let f = 10_000_000_000_000_000 &+ g &* 1_000_100_010_001
            Self.check(f, -Int(g % 5))
            // With a first digit of 9 and the groups' complement, for the other end of each lane.
            Self.check(99_999_999_999_999_999 &- g &* 1_000_100_010_001, -Int((g / 5) % 5))
        }
    }

    @Test func everyExponentAndCountOfTrailingZeros() {
        var random = S.Generator(seed: 1317)
        for zeros in 0...16 {
            var scale: UInt64 = 1
            for _ in 0..<zeros { scale &*= 10 }
            for _ in 0..<400 {
                // 17 digits, the last `zeros` of them zero (more by chance).
                let f = (10_000_000_000_000_000 &+ random.next() % 90_000_000_000_000_000) / scale &* scale
                for e in -4...0 { Self.check(f, e) }
            }
        }
        for e in -4...0 {
            for f: UInt64 in [10_000_000_000_000_000, 99_999_999_999_999_999, 50_000_000_000_000_000,
                              10_000_000_000_000_001, 19_000_000_000_000_000] {
                Self.check(f, e)
            }
        }
    }
}

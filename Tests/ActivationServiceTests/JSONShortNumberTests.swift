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

    /// The sixteen-byte short reader (`decimal_short`) against its byte-by-byte definition on
    /// every shape near its domain: a sign or not, 0 to 9 integer digits, a point or not, 0 to
    /// 9 fraction digits, every byte that may follow, random bytes after that; and when it
    /// accepts, its fields against the text itself.
    @Test func theSixteenByteShortReaderIsItsDefinition() {
        var random = S.Generator(seed: 0x516)
        let stops: [UInt8] = [0x2C, 0x5D, 0x7D, 0x20, 0x0A, 0x65, 0x45, 0x2E, 0x2D, 0x2B, 0x2F, 0x3A, 0x00, 0xFF, 0xAD, 0xB0]
        let signs: [[UInt8]] = [[], [0x2D], [0x2B], [0x2D, 0x2D], [0x2E], [0x2F]]
        var accepted = 0
        for sign in signs {
            for integerDigits in 0...9 {
                for point in [true, false] {
                    for fractionDigits in 0...9 {
                        for stop in stops {
                            for _ in 0..<6 {
                                var text = sign
                                for i in 0..<integerDigits {
                                    // Leading zeros now and then, as the first digit.
                                    text.append(0x30 + UInt8(i == 0 && random.below(4) == 0 ? 0 : random.below(10)))
                                }
                                if point { text.append(0x2E) }
                                for _ in 0..<fractionDigits { text.append(0x30 + UInt8(random.below(10))) }
                                text.append(stop)
                                var bytes = text + (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                                bytes = Array(bytes.prefix(32))
                                bytes.withUnsafeBufferPointer { b in
                                    let p = b.baseAddress!
                                    let fast = decimal_short(p)
                                    let slow = decimal_short_portable(p)
                                    let what = String(decoding: text, as: UTF8.self)
                                    #expect(fast.length == slow.length, "\(what)")
                                    guard fast.length != 0, fast.length == slow.length else { return }
                                    accepted += 1
                                    #expect(fast.significand == slow.significand && fast.divisor == slow.divisor, "\(what)")
                                    // The fields against the text: the number is all but the stop;
                                    // its digits padded with zeros to seven, over ±10^(7 - integer digits).
                                    // (An integer stopped by '.' goes on into the random bytes.)
                                    guard point || stop != 0x2E else { return }
                                    #expect(Int(fast.length) == text.count - 1, "\(what)")
                                    let number = String(decoding: text.dropLast(), as: UTF8.self)
                                    let digits = number.filter(\.isNumber)
                                    #expect(fast.significand == UInt64(digits + String(repeating: "0", count: 7 - digits.count)),
                                            "\(what)")
                                    #expect(Int(fast.divisor) == 2 * (7 - integerDigits) + (sign == [0x2D] ? 1 : 0), "\(what)")
                                }
                            }
                        }
                    }
                }
            }
        }
        // Every accepted shape: a sign or not, 1 to 7 integer digits and 1 to 6 fraction
        // digits with at most 7 in all, ended by any stop but '.', '-' or '/' ('e' and 'E'
        // included: the caller looks at the byte after the number).
        #expect(accepted > 1_000)
    }

    /// Random bytes drawn mostly from the number alphabet ('-', '.', '/', digits, 'e', ',',
    /// ' '), the vector reader against its definition: whatever the bytes, the same answer.
    @Test func theSixteenByteShortReaderOnRandomBytes() {
        var random = S.Generator(seed: 0xB17E5)
        let alphabet: [UInt8] = Array("-./0123456789".utf8) + Array("0123456789e,]  ".utf8)
        var accepted = 0
        for _ in 0..<200_000 {
            let bytes: [UInt8] = (0..<32).map { _ in
                random.below(8) == 0 ? UInt8(truncatingIfNeeded: random.next()) : alphabet[random.below(alphabet.count)]
            }
            bytes.withUnsafeBufferPointer { b in
                let fast = decimal_short(b.baseAddress!)
                let slow = decimal_short_portable(b.baseAddress!)
                #expect(fast.length == slow.length && (fast.length == 0
                        || (fast.significand == slow.significand && fast.divisor == slow.divisor)),
                        "\(String(decoding: bytes.prefix(16), as: UTF8.self))")
                if fast.length != 0 { accepted += 1 }
            }
        }
        #expect(accepted > 100)
    }

    /// Texts at the short reader's edges, through the whole reader, bit for bit against the C
    /// library; and what it must leave to the long way, still an error with today's message.
    @Test func theShortReadersEdges() throws {
        var texts: [String] = []
        for integer in ["0", "5", "9", "12", "999", "1234567", "6543210"] {
            for fraction in ["0", "5", "25", "999999", "000001", "123456", "1234567", "50", "9"] {
                texts += ["\(integer).\(fraction)", "-\(integer).\(fraction)", "\(integer).\(fraction)e1",
                          "\(integer).\(fraction)E-2", "\(integer).\(fraction)1"]
            }
        }
        texts += ["0.0", "-0.0", "0.000000", "-0.000001", "0.1", "0.3", "0.7", "5.000005", "1.5", "16.777217",
                  "9.999999", "-9.999999", "8388608.5", "1.2", "1.25", "33.554431"]
        try P.expectAgreesWithLibc(texts)
        // Each, as the row's last element before ']' and with whitespace after it.
        for text in ["-5.943997", "0.766463", "3.44192", "12.5", "0.0"] {
            let expected = strtod(text, nil)
            for body in ["{\"function\":\"relu\",\"inputs\":[1.5,\(text)]}",
                         "{\"function\":\"relu\",\"inputs\":[\(text) ,1.5]}",
                         "{\"function\":\"relu\",\"inputs\":[\(text)\n]}"] {
                guard case .single(let evaluation) = try ActivateRequestReader().read(Array(body.utf8)) else {
                    Issue.record("not a single evaluation")
                    continue
                }
                #expect(evaluation.input.storage.doubles.contains { $0.bitPattern == expected.bitPattern }, "\(body)")
            }
        }
        // Long rows of short decimals with every separator the row loop meets (a comma alone,
        // whitespace after it, before it, both), across its 128- and 256-value flushes, in
        // both types.
        var random = S.Generator(seed: 0x5E9)
        let separators = [",", ",", ",", ", ", ",\n  ", " ,", " , ", ",\t"]
        for dtype in ["float64", "float32"] {
            var numbers: [String] = []
            var body = "{\"function\":\"relu\",\"dtype\":\"\(dtype)\",\"inputs\":["
            for i in 0..<1_000 {
                let x = ((Double(random.next() >> 11) / Double(1 << 53) * 24 - 12) * 1e6).rounded() / 1e6
                numbers.append(x.description)
                if i > 0 { body += separators[random.below(separators.count)] }
                body += x.description
            }
            body += "]}"
            guard case .single(let evaluation) = try ActivateRequestReader().read(Array(body.utf8)) else {
                Issue.record("not a single evaluation")
                continue
            }
            if dtype == "float64" {
                #expect(S.doubles(evaluation.input)?.map(\.bitPattern) == numbers.map { strtod($0, nil).bitPattern })
            } else {
                #expect(S.floats(evaluation.input)?.map(\.bitPattern) == numbers.map { strtof($0, nil).bitPattern })
            }
        }
        // Not numbers, or not JSON's: rejected as before, whatever the short reader saw.
        for bad in ["01.5", "-01.5", "1.", "-1.", ".5", "-.5", "1.5.3", "1..5", "1.5-", "1.5/", "1/5", "--1.5", "+1.5",
                    "1.5e", "1.5e+", "00.0", "0.5x", "1.5:"] {
            let body = Array("{\"function\":\"relu\",\"inputs\":[0.25,\(bad),0.5,0.5,0.5,0.5]}".utf8)
            #expect(throws: ServiceError.self, "\(bad)") { try ActivateRequestReader().read(body) }
        }
    }
}

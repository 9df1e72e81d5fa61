import Foundation
import Testing
@testable import ActivationService

/// The numeric-array fast path (`readCommonNumber`, the row loop, float32 narrowing with the
/// doubtful numbers found again by position) against the C library, on the inputs where a fast
/// path goes wrong if it ever does.
@Suite struct JSONCommonNumberTests {
    typealias S = JSONTestSupport
    typealias P = JSONNumberParsingTests

    @Test func doubleMidpointsAndTheirNeighbours() throws {
        // Exact decimal expansions of the midpoints between adjacent doubles (ties: to even),
        // and texts a hair above and below: Eisel-Lemire must decline or round as strtod does.
        var random = S.Generator(seed: 64)
        var texts: [String] = []
        for _ in 0..<1_500 {
            let biased = UInt64(1023 - 70 + random.below(140))
            let d = Double(bitPattern: biased << 52 | random.next() >> 12)
            let (digits, exponent) = Self.exactMidpoint(above: d)
            texts += ["\(digits)e\(exponent)", "\(digits)1e\(exponent - 1)", "\(digits.dropLast())e\(exponent + 1)"]
        }
        try P.expectAgreesWithLibc(texts)
    }

    /// The midpoint between `d` (normal, positive) and the next double, exactly, as decimal
    /// digits and an exponent: (2c + 1)·2^(q-1) for d = c·2^q, with 2^-n written as 5^n·10^-n.
    static func exactMidpoint(above d: Double) -> (digits: String, exponent: Int) {
        let c = d.significandBitPattern | 1 << 52
        let q = Int(d.exponentBitPattern) - 1075
        var number = Array(String(2 * c + 1).utf8.reversed().map { $0 - 0x30 })  // least significant first
        func multiply(by factor: UInt8) {
            var carry: UInt8 = 0
            for i in number.indices {
                let product = number[i] * factor + carry
                number[i] = product % 10
                carry = product / 10
            }
            if carry > 0 { number.append(carry) }
        }
        let shift = q - 1
        for _ in 0..<abs(shift) { multiply(by: shift > 0 ? 2 : 5) }
        return (String(decoding: number.reversed().map { $0 + 0x30 }, as: UTF8.self), min(shift, 0))
    }

    @Test func longMantissasExtremesAndShortForms() throws {
        let texts = [
            // More than 19 digits, where truncation decides: the 20th digit and beyond.
            "1.00000000000000011102230246251565404236316680908203125", "1.0000000000000001110223024625156540423631668090820312",
            "1.00000000000000011102230246251565404236316680908203126", "9007199254740993.0000000000000000001",
            "123456789012345678901234567890e-10", "0.000000000000000000000000000000000000000000000001234567890123456789",
            // The largest finite and the smallest subnormal, and either side of their rounding edges.
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623158079e308", "-1.7976931348623157e308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "3e-324", "-5e-324",
            "2.2250738585072011e-308", "2.2250738585072014e-308", "2.225073858507201e-308",
            // Short and exact: integers, halves, zeros with exponents, capital E, signs.
            "0", "-0", "0.0", "1", "-1", "3", "0.5", "1.5", "2.5E3", "1e0", "1E-0", "-0.0e+10", "5e22", "9007199254740993",
        ]
        try P.expectAgreesWithLibc(texts)
    }

    @Test func everyLengthOfFractionAndInteger() throws {
        // Integer parts of 1 to 20 digits, fractions of 0 to 25, with and without an exponent:
        // each boundary of the two eight-digit steps and the single steps around them.
        var texts: [String] = []
        let digits = "7318530717958647692528676655900576839433879875021"
        for integer in 1...20 {
            for fraction in 0...25 {
                let i = String(digits.prefix(integer))
                let f = String(digits.dropFirst(integer).prefix(fraction))
                let text = fraction == 0 ? i : i + "." + f
                texts += [text, "-" + text, text + "e-3", "0." + (f.isEmpty ? "5" : f)]
            }
        }
        try P.expectAgreesWithLibc(texts)
    }

    @Test func numbersAtTheEndOfTheBodyAndWithSpaces() throws {
        // Within a few bytes of the end the fast path declines (a chunk would read past the
        // body); the general reader must give the same numbers.
        for text in ["0.12345678901234567", "-1.2345678901234567e-5", "7", "1e300"] {
            let body = #"{"function":"f","inputs":["# + text + "]}"
            #expect(try S.doubles(S.single(body).input) == [strtod(text, nil)], "\(text)")
        }
        let spaced = "{\"function\":\"f\",\"inputs\":[ 1.25 , -2.5e-3,\t3,\n0.1 ]}"
        #expect(try S.doubles(S.single(spaced).input) == [1.25, -2.5e-3, 3, 0.1])
    }

    @Test func zerosAfterThePointAreNotSignificantDigits() throws {
        // `%.17g` writes 0.0023560940753668547: 17 significant digits in 20. Up to 19
        // significant digits the fast path reads such numbers, past that it declines; either
        // way the value must be strtod's (and strtof's).
        var texts: [String] = []
        let digits = "7318530717958647692528676655900576839433879875021"
        for zeros in 0...12 {
            for count in [1, 2, 8, 9, 16, 17, 18, 19, 20, 21] {
                let text = "0." + String(repeating: "0", count: zeros) + digits.prefix(count)
                texts += [text, "-" + text, text + "e5", text + "e-30", "1" + text.dropFirst()]
            }
        }
        texts += ["0.0023560940753668547", "-0.00063671875977888703", "0.00000000000000000000", "0.0000000000000000000000001"]
        try P.expectAgreesWithLibc(texts)
    }

    @Test func float32IsReadOnceWhicheverSideOfInputsTheDtypeIs() throws {
        // "dtype" before "inputs": read straight into float32 (Eisel-Lemire for binary32,
        // Clinger's path for decimals that are a float exactly, strtof for the rest); after:
        // read as doubles and narrowed, the doubtful ones read again. Both must be strtof's.
        var random = S.Generator(seed: 3232)
        var texts: [String] = []
        for _ in 0..<3_000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()) & 0x7F7F_FFFF)
            let midpoint = (Double(f) + Double(f.nextUp)) / 2
            texts += [String(format: "%.17g", Double(f)), String(format: "%.9g", f), String(format: "%.17g", midpoint),
                      String(format: "%.40g", midpoint), "-" + String(format: "%.17g", Double(f)),
                      String(format: "%.25g", Double(f))]
            // A float with few significant bits, whose 17-digit text is exact.
            let short = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()) & 0x3FFF_F000 | 0x3C00_0000)
            texts.append(String(format: "%.17g", Double(short)))
        }
        texts += ["0.71692657470703125", "1.2384033203125", "0.5", "16777217", "3.4028235677973366e38",
                  "1e-46", "1.17549435e-38", "0.0023560940753668547", "7.038531e-26", "1.4e-45"]
        let finite = texts.filter { strtof($0, nil).isFinite }
        let list = finite.joined(separator: ",")
        let first = try #require(S.floats(S.single(#"{"function":"f","dtype":"float32","inputs":[\#(list)]}"#).input))
        let last = try #require(S.floats(S.single(#"{"function":"f","inputs":[\#(list)],"dtype":"float32"}"#).input))
        let libc = finite.map { strtof($0, nil).bitPattern }
        #expect(first.map(\.bitPattern) == libc)
        #expect(last.map(\.bitPattern) == libc)
        // A finite text past the largest float is out of range, found where it stands.
        S.expectError(#"{"function":"f","dtype":"float32","inputs":[[1,2],[3,4e38]]}"#, .invalidValue, status: 422,
                      path: "$.inputs[1][1]")
        S.expectError(#"{"function":"f","dtype":"float32","inputs":[[1,2],[3,400000000000000000000000000000000000000.0]]}"#,
                      .invalidValue, status: 422, path: "$.inputs[1][1]")
    }

    @Test func dyadicDecimalsAreRoundedOnceToFloat32() throws {
        // k / 2^e written out exactly (k·5^e digits, e after the point): the decimals that are
        // a float, or lie between floats on a binary fraction (ties included, when k has 25
        // significant bits and is odd), which Eisel-Lemire for binary32 declines and the
        // dyadic path rounds. Up to 19 digits they stay on the fast path; longer ones do not.
        var random = S.Generator(seed: 2727)
        var texts: [String] = []
        for _ in 0..<4_000 {
            let e = 1 + random.below(27)
            let bits = 1 + random.below(30)
            let k = UInt128(random.next() >> UInt64(64 - bits)) | 1
            let digits = String(k * (0..<e).reduce(UInt128(1)) { r, _ in r * 5 })
            let padded = String(repeating: "0", count: max(0, e + 1 - digits.count)) + digits
            let text = String(padded.dropLast(e)) + "." + String(padded.suffix(e))
            texts += [text, "-" + text]
        }
        texts += ["0.71692657470703125", "1.2384033203125", "0.5", "0.000000059604644775390625",
                  "16777216.5", "16777217.5", "0.0000000298023223876953125"]
        let list = texts.joined(separator: ",")
        let floats = try #require(S.floats(S.single(#"{"function":"f","dtype":"float32","inputs":[\#(list)]}"#).input))
        #expect(floats.map(\.bitPattern) == texts.map { strtof($0, nil).bitPattern })
    }

    @Test func doubtfulFloat32NumbersAreFoundAgainByPosition() throws {
        // Texts that round twice through a double (their float32 differs from Float(double)),
        // placed among strings, bare tokens and rows, so the spans found again by position
        // must line up with the flat indices.
        let trap = "7.038531e-26"  // strtof and Float(strtod) differ
        #expect(strtof(trap, nil) != Float(strtod(trap, nil)))
        let subnormal = "1.40129846432481707092372958328991613128026194187651577175706828388979108268586060148663818836212158203125e-45"
        // With "dtype" last the array is read as doubles and these are found again; with it
        // first they are read straight into float32. Both ways the same floats.
        for body in [
            #"{"function":"f","inputs":[["NaN", \#(trap), 1.5],[ 2 ,"-Infinity", \#(trap)],[\#(subnormal), 0.1, \#(trap)]],"dtype":"float32"}"#,
            #"{"function":"f","dtype":"float32","inputs":[["NaN", \#(trap), 1.5],[ 2 ,"-Infinity", \#(trap)],[\#(subnormal), 0.1, \#(trap)]]}"#,
        ] {
            let floats = try #require(S.floats(try S.single(body).input))
            #expect(floats.count == 9)
            #expect(floats[0].isNaN && floats[4] == -.infinity)
            for index in [1, 5, 8] { #expect(floats[index] == strtof(trap, nil), "\(index)") }
            #expect(floats[6] == strtof(subnormal, nil))
            #expect(floats[2] == 1.5 && floats[3] == 2 && floats[7] == Float(0.1))
        }
        // And a scalar input, which is its own span.
        let scalar = #"{"function":"f","dtype":"float32","inputs":\#(trap)}"#
        #expect(try S.floats(S.single(scalar).input) == [strtof(trap, nil)])
    }
}

import ActivationEngine
import Foundation
import Testing
@testable import ActivationService

/// Decimal text to float: the reader must agree with strtod/strtof bit for bit.
@Suite struct JSONNumberParsingTests {
    typealias S = JSONTestSupport

    /// Parses `texts` as one inputs array in `dtype` through the whole reader.
    static func parse(_ texts: [String], dtype: String) throws -> Tensor {
        try S.single(#"{"function":"f","dtype":"\#(dtype)","inputs":[\#(texts.joined(separator: ","))]}"#).input
    }

    /// Checks every text against the C library in both dtypes (each text in the dtypes where
    /// it is finite: a finite text that overflows is a 422, tested elsewhere).
    static func expectAgreesWithLibc(_ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let texts64 = texts.filter { strtod($0, nil).isFinite }
        let texts32 = texts.filter { strtof($0, nil).isFinite }
        let doubles = try #require(S.doubles(try parse(texts64, dtype: "float64")))
        let floats = try #require(S.floats(try parse(texts32, dtype: "float32")))
        var failures = 0
        for (text, value) in zip(texts64, doubles) where strtod(text, nil).bitPattern != value.bitPattern {
            failures += 1
            if failures <= 5 { Issue.record("\(text): read \(value), strtod \(strtod(text, nil))", sourceLocation: sourceLocation) }
        }
        for (text, value) in zip(texts32, floats) where strtof(text, nil).bitPattern != value.bitPattern {
            failures += 1
            if failures <= 5 { Issue.record("\(text): read \(value), strtof \(strtof(text, nil))", sourceLocation: sourceLocation) }
        }
        #expect(texts32.count > texts.count / 2, sourceLocation: sourceLocation)
        #expect(failures == 0, "\(failures) of \(texts.count) numbers differ", sourceLocation: sourceLocation)
    }

    @Test func powerOfTenTableRowsAreExact() {
        var power: UInt128 = 1
        for q in 0...38 {
            let shift = power.leadingZeroBitCount
            let normalized = power << shift
            let row = 2 * (q - PowersOfTen.minExponent)
            #expect(PowersOfTen.table[row] == UInt64(normalized >> 64), "1e\(q)")
            #expect(PowersOfTen.table[row + 1] == UInt64(truncatingIfNeeded: normalized), "1e\(q)")
            if q < 38 { power *= 10 }
        }
    }

    @Test func hardCasesRoundOnce() throws {
        let floats = try #require(S.floats(try Self.parse([
            "1.00000005960464477539062499", "1.00000005960464477539062501", "1.000000059604644775390625",
            "1.0000001788139343261718750", "7.038531e-26", "3.4028234664e38", "1.17549435e-38",
            "1e-45", "7e-46", "7.1e-46", "1.4e-45", "-0", "-0.0e5",
        ], dtype: "float32")))
        #expect(floats[0] == 1)
        #expect(floats[1] == Float(1).nextUp)
        #expect(floats[2] == 1)  // exact tie: to even
        #expect(floats[3] == Float(1).nextUp.nextUp)  // exact tie: to even (upwards)
        // A classic double-rounding trap: narrowing the nearest double gives the wrong float.
        #expect(floats[4] == strtof("7.038531e-26", nil))
        #expect(floats[4] != Float(strtod("7.038531e-26", nil)))
        #expect(floats[5] == .greatestFiniteMagnitude)
        #expect(floats[6] == .leastNormalMagnitude)
        #expect(floats[7] == .leastNonzeroMagnitude)
        #expect(floats[8] == 0)  // below half the least subnormal
        #expect(floats[9] == .leastNonzeroMagnitude)
        #expect(floats[10] == .leastNonzeroMagnitude)
        #expect(floats[11] == 0 && floats[11].sign == .minus && floats[12].sign == .minus)
        try Self.expectAgreesWithLibc([
            "9007199254740993", "9007199254740992.5", "2.2250738585072011e-308", "2.2250738585072012e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
            "1.7976931348623158e308", "0.1", "0.3", "123456789012345678901234567890", "1e-400", "0e999999999",
            "0.000000000000000000000000000000000000000000001", "1e22", "1e23", "8.41e21", "5e-324", "1e-324",
            "-1.00000005960464477539062501", "4.35679747e-38", "1.1754942807573643e-38",
        ])
    }

    @Test func randomDecimalsAgreeWithLibc() throws {
        var random = S.Generator(seed: 2026)
        var texts: [String] = []
        for _ in 0..<100_000 {
            let digits = 1 + random.below(random.below(4) == 0 ? 40 : 19)
            var mantissa = String(1 + random.below(9))
            for _ in 1..<digits { mantissa += String(random.below(10)) }
            let point = random.below(digits + 1)
            var text = random.below(2) == 0 ? "-" : ""
            if point == 0 {
                text += "0." + mantissa
            } else if point < digits {
                let split = mantissa.index(mantissa.startIndex, offsetBy: point)
                text += mantissa[..<split] + "." + mantissa[split...]
            } else {
                text += mantissa
            }
            if random.below(3) > 0 { text += "e" + String(random.below(700) - 350) }
            texts.append(text)
        }
        try Self.expectAgreesWithLibc(texts)
    }

    @Test func float32MidpointsAndTheirNeighboursAgreeWithStrtof() throws {
        // Exact decimal expansions of float32 midpoints, and texts just below and above them:
        // the cases where reading a double first and narrowing it would round twice.
        var random = S.Generator(seed: 7)
        var texts: [String] = []
        for _ in 0..<3_000 {
            let exponentBits = UInt32(1 + random.below(253)) << 23
            let f = Float(bitPattern: exponentBits | UInt32(truncatingIfNeeded: random.next()) & 0x7F_FFFF)
            guard f.isFinite, f.nextUp.isFinite else { continue }
            let midpoint = (Double(f) + Double(f.nextUp)) / 2
            let exact = String(format: "%.80e", midpoint)
            let mantissa = exact.prefix { $0 != "e" }.reversed().drop { $0 == "0" }.reversed()
            let exponent = exact.drop { $0 != "e" }
            texts.append(String(mantissa) + exponent)
            texts.append(String(mantissa) + "1" + exponent)
            texts.append(String(mantissa.dropLast(1)) + exponent)
            texts.append(String(format: "%.17e", midpoint))
            texts.append(String(format: "%.17e", Double(f)))
        }
        try Self.expectAgreesWithLibc(texts)
    }

    @Test func subnormalsAndExponentExtremesAgreeWithLibc() throws {
        var texts: [String] = []
        for e in [-330, -325, -324, -323, -320, -310, -308, -307, -46, -45, -44, -39, -38, -37, 38, 39, 307, 308, 309] {
            for m in ["1", "2.5", "4.9406564584124654", "9.99999999999999999999", "3.4028235", "1.7976931348623157"] {
                texts.append(m + "e" + String(e))
            }
        }
        try Self.expectAgreesWithLibc(texts)
    }
}

import Foundation
import Testing
@testable import ActivationService

/// The number writer (Schubfach and `description`'s layout) on the values where printing
/// goes wrong if it ever does. Every check compares with Swift's own `description` and reads
/// the text back with the C library; the exhaustive float32 proof and the 10^8 float64 sample
/// are `activation-json-bench --prove-float32` / `--prove-float64` (docs/benchmarks-json.md).
@Suite struct FloatTextTests {
    typealias S = JSONTestSupport

    /// The text `FloatText` writes for `value`.
    static func text<F: BinaryFloatingPoint>(_ value: F) -> String {
        var buffer = [UInt8](repeating: 0, count: 40)
        let count = buffer.withUnsafeMutableBufferPointer { out in
            if let value = value as? Float { return FloatText.write(value, to: out.baseAddress!) }
            return FloatText.write(value as! Double, to: out.baseAddress!)
        }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Checks each value (finite, non-zero) and its negation against `description` and strtod.
    static func expectDescriptions(_ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        var failures = 0
        for value in values where value.isFinite && value != 0 {
            for v in [value, -value] {
                let text = Self.text(v)
                if text != v.description || strtod(text, nil).bitPattern != v.bitPattern {
                    failures += 1
                    if failures <= 5 { Issue.record("\(v.bitPattern): wrote \(text), description \(v.description)", sourceLocation: sourceLocation) }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(values.count * 2) differ", sourceLocation: sourceLocation)
    }

    static func expectDescriptions(_ values: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        var failures = 0
        for value in values where value.isFinite && value != 0 {
            for v in [value, -value] {
                let text = Self.text(v)
                if text != v.description || strtof(text, nil).bitPattern != v.bitPattern {
                    failures += 1
                    if failures <= 5 { Issue.record("\(v.bitPattern): wrote \(text), description \(v.description)", sourceLocation: sourceLocation) }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(values.count * 2) differ", sourceLocation: sourceLocation)
    }

    @Test func layoutsAsDescriptionPrintsThem() {
        // Each layout and each switch between them, as the standard library prints them.
        let doubles: [(Double, String)] = [
            (1, "1.0"), (0.1, "0.1"), (1.5, "1.5"), (123.456, "123.456"), (100, "100.0"), (0.001, "0.001"),
            (1e-4, "0.0001"), (1e-5, "1e-05"), (1.25e-5, "1.25e-05"), (9007199254740992, "9007199254740992.0"),
            (9007199254740994, "9.007199254740994e+15"), (1e16, "1e+16"), (1234567890123456.8, "1234567890123456.8"),
            (5e-324, "5e-324"), (1e-323, "1e-323"), (1.7976931348623157e308, "1.7976931348623157e+308"), (1e23, "1e+23"),
            (0.30000000000000004, "0.30000000000000004"), (-2.5, "-2.5"), (2.2250738585072014e-308, "2.2250738585072014e-308"),
        ]
        for (value, expected) in doubles {
            #expect(Self.text(value) == expected)
            #expect(value.description == expected, "the layout rules changed in the standard library")
        }
        let floats: [(Float, String)] = [
            (0.1, "0.1"), (16_777_216, "16777216.0"), (16_777_218, "1.6777218e+07"), (1e-45, "1e-45"),
            (3.4028235e38, "3.4028235e+38"), (1e-5, "1e-05"), (1.1754944e-38, "1.1754944e-38"), (0.3, "0.3"),
        ]
        for (value, expected) in floats {
            #expect(Self.text(value) == expected)
            #expect(value.description == expected, "the layout rules changed in the standard library")
        }
    }

    @Test func powersOfTwoAndTenAndTheirNeighbours() {
        var doubles: [Double] = []
        for e in -1074...1023 {
            let p = Double(sign: .plus, exponent: e, significand: 1)
            doubles += [p, p.nextUp, p.nextDown, p.nextUp.nextUp, p.nextDown.nextDown]
        }
        for k in -323...308 {
            let p = strtod("1e\(k)", nil)
            doubles += [p, p.nextUp, p.nextDown]
        }
        Self.expectDescriptions(doubles)
        var floats: [Float] = []
        for e in -149...127 {
            let p = Float(sign: .plus, exponent: e, significand: 1)
            floats += [p, p.nextUp, p.nextDown, p.nextUp.nextUp, p.nextDown.nextDown]
        }
        for k in -45...38 {
            let p = strtof("1e\(k)", nil)
            floats += [p, p.nextUp, p.nextDown]
        }
        Self.expectDescriptions(floats)
    }

    @Test func subnormalsAndTheLargestValues() {
        // The first subnormals have one or two digits (the paper's Java rule would print two).
        Self.expectDescriptions((1..<20_000).map { Double(bitPattern: UInt64($0)) })
        Self.expectDescriptions((0..<20_000).map { Double(bitPattern: Double.leastNormalMagnitude.bitPattern - 1 - UInt64($0)) })
        Self.expectDescriptions((0..<20_000).map { Double(bitPattern: Double.greatestFiniteMagnitude.bitPattern - UInt64($0)) })
        Self.expectDescriptions((1..<20_000).map { Float(bitPattern: UInt32($0)) })
        Self.expectDescriptions((0..<20_000).map { Float(bitPattern: Float.greatestFiniteMagnitude.bitPattern - UInt32($0)) })
    }

    @Test func layoutBoundariesAndShortDecimals() {
        var doubles: [Double] = []
        for x in [0x1p53, 1e-5, 1e-4, 1e15, 1e16, 1, 10] {
            var up = x, down = x
            for _ in 0..<2_000 {
                up = up.nextUp
                down = down.nextDown
                doubles += [up, down]
            }
        }
        // Decimals of 1 to 17 digits: short shortest forms, trailing zeros, every exponent.
        var random = S.Generator(seed: 1717)
        for _ in 0..<50_000 {
            let digits = 1 + random.below(17)
            var significand = UInt64(1 + random.below(9))
            for _ in 1..<digits { significand = significand * 10 + UInt64(random.below(10)) }
            doubles.append(strtod("\(significand)e\(random.below(640) - 325)", nil))
        }
        Self.expectDescriptions(doubles)
        Self.expectDescriptions(doubles.map { Float($0) })
    }

    @Test func digitDivisionsByConstantsAreExact() {
        // The writer divides by 10^8 and 10^4 as ⌊f·m/2^s⌋ with m = ⌈2^s/d⌉, exact for every
        // f < 2^N when m·d - 2^s ≤ 2^(s-N): for f < 2^30 (a float's nine digits) and n < 2^32.
        let constants: [(m: UInt64, s: UInt64, d: UInt64, bits: UInt64)] = [
            (1_441_151_881, 57, 100_000_000, 30), (0xD1B7_1759, 45, 10_000, 32), (1_759_218_605, 44, 10_000, 30),
        ]
        for c in constants {
            #expect(c.m == (1 << c.s) / c.d + 1)
            #expect(c.m * c.d - (1 << c.s) <= 1 << (c.s - c.bits))
        }
        var random = S.Generator(seed: 9)
        let edges: [UInt64] = [0, 1, 9_999, 10_000, 99_999_999, 100_000_000, 999_999_999, 1 << 30 - 1]
        var failures = 0
        for f in edges + (0..<200_000).map({ _ in random.next() % (1 << 30) }) {
            if (f &* 1_441_151_881) >> 57 != f / 100_000_000 || (f &* 0xD1B7_1759) >> 45 != f / 10_000 { failures += 1 }
            if (f &* 1_759_218_605) >> 44 != f / 10_000 { failures += 1 }
            if f < 100_000_000 {
                // The eight digits, one per byte, first lowest.
                let digits = FloatText.digits(of: f)
                let text = (0..<8).map { String((digits >> UInt64(8 * $0)) & 0xFF) }.joined()
                if text != String(repeating: "0", count: 8 - String(f).count) + String(f) { failures += 1 }
            }
        }
        #expect(failures == 0)
    }

    @Test func floorLogarithmsAreExactOverTheirRange() {
        // log10(2) and log2(10) times e are never within 1e-9 of an integer here (e ≠ 0), far
        // more than a double's error at these magnitudes, so flooring the double is exact.
        for e in -1_200...1_200 where e != 0 {
            #expect(BinaryToDecimal.floorLog10Pow2(e) == Int((Double(e) * log10(2.0)).rounded(.down)), "\(e)")
            #expect(BinaryToDecimal.floorLog10ThreeQuartersPow2(e) == Int((Double(e) * log10(2.0) + log10(0.75)).rounded(.down)), "\(e)")
        }
        for e in -400...400 where e != 0 {
            #expect(BinaryToDecimal.floorLog2Pow10(e) == Int((Double(e) * log2(10.0)).rounded(.down)), "\(e)")
        }
        #expect(BinaryToDecimal.floorLog10Pow2(0) == 0 && BinaryToDecimal.floorLog2Pow10(0) == 0)
    }

    @Test func floatRowsAreTheComputedConstants() {
        // Every row of the float writer's per-exponent table against the computation it
        // replaced: -k = ⌊log10 2^e⌋ - 1, the cache for 10^k, β = e + ⌊log2 10^k⌋.
        for biased in 0...254 {
            let e = biased != 0 ? biased - 150 : -149
            let minusK = BinaryToDecimal.floorLog10Pow2(e) - 1
            let cache = BinaryToDecimal.cache64(-minusK)
            let beta = e + BinaryToDecimal.floorLog2Pow10(-minusK)
            let (rowCache, meta) = BinaryToDecimal.floatRow(biased)
            #expect(rowCache == cache, "b = \(biased)")
            #expect(BinaryToDecimal.floatMinusK(meta) == minusK, "b = \(biased)")
            #expect(BinaryToDecimal.floatBeta(meta) == beta, "b = \(biased)")
            #expect(BinaryToDecimal.floatDelta(meta) == cache >> UInt64(63 - beta), "b = \(biased)")
            // The shift amounts, each in the low six bits of its shifted word.
            #expect((meta & 63, meta >> 8 & 63, meta >> 16 & 63) == (UInt64(beta + 32), UInt64(64 - beta), UInt64(32 - beta)), "b = \(biased)")
        }
        #expect(BinaryToDecimal.floatRows.count == 512)
    }

    @Test func doubleRowsAreTheComputedConstants() {
        // Every row of the double writer's per-exponent table against the computation it
        // replaced: k = ⌊log10 2^q⌋, the PowersOfTen row for 10^(-k-1), shift = q + ⌊log2 10^(-k-1)⌋ + 10.
        for biased in 0...2046 {
            let q = (biased == 0 ? 1 : biased) - 1075
            let k = BinaryToDecimal.floorLog10Pow2(q)
            let index = 2 * (-k - 1 - PowersOfTen.minExponent)
            let shift = q + BinaryToDecimal.floorLog2Pow10(-k - 1) + 10
            let row = Array(BinaryToDecimal.doubleRows[3 * biased..<3 * biased + 3])
            #expect(row[0] == PowersOfTen.table[index] && row[1] == PowersOfTen.table[index + 1], "b = \(biased)")
            #expect(row[2] == UInt64(shift) | UInt64(UInt32(truncatingIfNeeded: k)) << 32, "b = \(biased)")
            #expect((0...10).contains(shift), "b = \(biased)")
        }
    }

    @Test func floatLayoutsEveryExponentAndLength() {
        // Every exponent of the float layout (-4 ... 7 and the exponential form either side)
        // with every count of digits 1 ... 9, and integral values, both signs.
        var floats: [Float] = []
        for exponent in -6...8 {
            for digits in 1...9 {
                var significand = 0
                for d in 0..<digits { significand = significand * 10 + (d == 0 ? 7 : (d * 3) % 9 + 1) }
                floats.append(strtof("\(significand)e\(exponent - digits + 1)", nil))
            }
        }
        floats += [1, 2, 10, 99, 100, 1234567, 16_777_215, 16_777_216, 0.5, 0.0001, 0.00012345678, 9.999999e-5]
        Self.expectDescriptions(floats)
    }

    @Test func gIsTheTableRowOverFourPlusOne() {
        // For 10^0 ... 10^38 the row is exact, so g = 10^q·2^(125 - ⌊log2 10^q⌋) + 1 exactly.
        var power: UInt128 = 1
        for q in 0...38 {
            let (g1, g0) = BinaryToDecimal.g(-q)
            let g = UInt128(g1) << 63 | UInt128(g0)
            #expect(g == (power << power.leadingZeroBitCount) >> 2 + 1, "10^\(q)")
            #expect(g >> 125 == 1, "10^\(q): 2^125 ≤ g < 2^126")
            if q < 38 { power *= 10 }
        }
        // Everywhere: g has 126 bits.
        for k in -324...292 {
            let (g1, g0) = BinaryToDecimal.g(k)
            #expect(g1 >> 62 == 1 && g0 >> 63 == 0, "k = \(k)")
        }
    }

    @Test func zmijAndDragonboxAgreeWithSchubfach() {
        // The writer's Żmij (doubles) and Dragonbox (floats) against the Schubfach reference, digits and exponent, once
        // trailing zeros are dropped (where an answer is one digit short, the two may carry
        // its zero differently). Every float in [1, 2) and the subnormals' first 2^16, random
        // doubles and their neighbours.
        func normalized(_ r: (digits: UInt64, exponent: Int)) -> (UInt64, Int) {
            var (digits, exponent) = r
            while digits % 10 == 0 { digits /= 10; exponent += 1 }
            return (digits, exponent)
        }
        var failures = 0
        for bits in Array(0x3F80_0000 as UInt32..<0x3F90_0000) + Array(1 as UInt32..<(1 << 16)) {
            if normalized(BinaryToDecimal.shortestFloat(bits)) != normalized(BinaryToDecimal.shortest(bits)) { failures += 1 }
        }
        var random = S.Generator(seed: 2020)
        for _ in 0..<200_000 {
            let d = Double(bitPattern: random.next() & ~(1 << 63))
            guard d.isFinite, d != 0 else { continue }
            for v in [d, d.nextUp, d.nextDown] where v.isFinite && v != 0 {
                let reference = normalized(BinaryToDecimal.shortest(v.bitPattern))
                if normalized(BinaryToDecimal.shortestDouble(v.bitPattern)) != reference { failures += 1 }
                // The writer's form: 17 digits for normal doubles but powers of two, the
                // exponent that of the first.
                let (f17, e17) = BinaryToDecimal.doubleRows.withUnsafeBufferPointer {
                    BinaryToDecimal.shortestDouble17(v.bitPattern, rows: $0.baseAddress!)
                }
                if normalized((f17, e17 - 16)) != reference { failures += 1 }
                if v.isNormal && v.significandBitPattern != 0 && !(10_000_000_000_000_000..<100_000_000_000_000_000).contains(f17) { failures += 1 }
            }
        }
        #expect(failures == 0)
    }
}

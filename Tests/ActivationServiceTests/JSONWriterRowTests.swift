import Testing
import ActivationEngine
@testable import ActivationService

/// Rows of 0s and 1s among other numbers (JSONWriter+Runs.swift): every pattern of words and
/// other numbers within and across the eight-word stores and the 64-number blocks, written
/// byte for byte as `description` writes each number, for Float and Double.
@Suite struct JSONWriterRowTests {
    typealias S = JSONTestSupport

    /// Each number's own text, commas between, in brackets: what the writer must produce.
    static func expected<F: BinaryFloatingPoint & CustomStringConvertible>(_ values: [F]) -> String {
        "[" + values.map { v in
            v.isNaN ? #""NaN""# : v.isInfinite ? (v < 0 ? #""-Infinity""# : #""Infinity""#) : v.description
        }.joined(separator: ",") + "]"
    }

    /// The row through the public writer (which picks pairs or runs by sampling the row).
    static func written<F: JSONNumber>(_ values: [F]) -> String {
        var writer = JSONWriter()
        // (By type, not by a cast of the array: an empty [Double] casts to [Float] too.)
        if F.self == Float.self { writer.numbers(values as! [Float], shape: [values.count]) }
        if F.self == Double.self { writer.numbers(values as! [Double], shape: [values.count]) }
        return writer.text
    }

    /// The row through the run writer itself, whatever the sampling would pick, into exactly
    /// the room the array writer reserves (33 bytes a number) after a few bytes already
    /// written; the bytes past that room must be untouched (a run's 32-byte stores of words
    /// may reach past the text, never past the room).
    static func runs<F: JSONNumber>(_ values: [F], sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let start = 3
        let room = start + values.count * JSONWriter.bytesPerNumber
        var buffer = [UInt8](repeating: 0xA5, count: room + 64)
        let end = buffer.withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { JSONWriter.writeRuns($0, out: out.baseAddress!, at: start) }
        }
        #expect(buffer[room...].allSatisfy { $0 == 0xA5 }, "written past the room", sourceLocation: sourceLocation)
        // The writer leaves a comma after each number; the array writer overwrites the last.
        guard end > start else { return "[]" }
        #expect(buffer[end - 1] == 0x2C, sourceLocation: sourceLocation)
        return "[" + String(decoding: buffer[start..<(end - 1)], as: UTF8.self) + "]"
    }

    static func check<F: JSONNumber & BinaryFloatingPoint & CustomStringConvertible>(
        _ values: [F], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let want = expected(values)
        // (Compared apart from the expectation, which would print both rows whole.)
        let direct = runs(values, sourceLocation: sourceLocation)
        let directMatches = direct == want
        #expect(directMatches, "runs: first difference at \(firstDifference(direct, want))", sourceLocation: sourceLocation)
        let viaNumbers = written(values)
        let viaNumbersMatches = viaNumbers == want
        #expect(viaNumbersMatches, "numbers: first difference at \(firstDifference(viaNumbers, want))",
                sourceLocation: sourceLocation)
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        return "byte \(i): \(String(decoding: x[max(0, i - 20)..<min(x.count, i + 20)], as: UTF8.self)) "
            + "vs \(String(decoding: y[max(0, i - 20)..<min(y.count, i + 20)], as: UTF8.self))"
    }

    /// A general number: random bits, finite and non-zero (any exponent, either sign).
    static func general(_ random: inout S.Generator) -> Double {
        while true {
            let value = Double(bitPattern: random.next())
            if value.isFinite && value != 0 { return value }
        }
    }

    static func generalFloat(_ random: inout S.Generator) -> Float {
        while true {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            if value.isFinite && value != 0 { return value }
        }
    }

    @Test func pairsInTheActivationRangeAndAtItsEdges() {
        // The pair writer's own path: both magnitudes in [0.0001, 10) and neither a power of
        // two (sigmoid's values and gradients). Around its edges (0.0001, 10, and 1 and the
        // powers of two, which leave it) every number meets every other as a pair at both
        // places; then random magnitudes in the range, with every kind of neighbour.
        var values: [Double] = []
        for edge in [0.0001, 10.0, 1.0, 0.5, 2.0, 0.25, 8.0, 0.001, 0.01, 0.1] {
            var up = edge, down = edge
            values.append(edge)
            for _ in 0..<40 {
                up = up.nextUp
                down = down.nextDown
                values += [up, down]
            }
        }
        Self.check(values)
        Self.check(Array(values.dropFirst()))
        Self.check(values.map { -$0 })
        var random = S.Generator(seed: 1319)
        let low = (0.0001 as Double).bitPattern, width = (10.0 as Double).bitPattern - low
        let inRange: [Double] = (0..<20_000).map { _ in
            let r = random.next()
            return Double(bitPattern: (low + r % width) | (r & 1 << 63))
        }
        Self.check(inRange)
        Self.check(inRange.map { random.below(8) == 0 ? Self.general(&random) : $0 })
        Self.check(inRange.map { random.below(8) == 0 ? [0, 1, -0.0, 1e300, 5e-324][random.below(5)] : $0 })
    }

    @Test func everyMaskOfAnEightBlockAtEveryOffset() {
        // All 256 patterns of word (0.0 or 1.0) and general in eight consecutive numbers, one
        // after the other, the whole sequence shifted by 0...8 numbers so that each pattern
        // meets the eight-word stores and the 64-number blocks at every alignment.
        // Words are +0.0 and 1.0, and in every other pass -0.0 is among them too (not a word: five
        // bytes; it goes with the general numbers).
        var random = S.Generator(seed: 13)
        for (shift, signed) in (0...8).flatMap({ shift in [(shift, false), (shift, true)] }) {
            var doubles: [Double] = (0..<shift).map { _ in Self.general(&random) }
            var floats: [Float] = (0..<shift).map { _ in Self.generalFloat(&random) }
            for mask in 0..<256 {
                for t in 0..<8 {
                    let word = mask >> t & 1 == 1
                    let choice: Double = [0, 1, -0.0][random.below(signed ? 3 : 2)]
                    doubles.append(word ? choice : Self.general(&random))
                    floats.append(word ? Float(choice) : Self.generalFloat(&random))
                }
            }
            Self.check(doubles)
            Self.check(floats)
        }
    }

    @Test func runsOfEveryLengthAcrossBlocks() {
        // Runs of 0...140 words between single general numbers: runs shorter than a store,
        // exactly one, longer than several, and across the 64-number blocks.
        var random = S.Generator(seed: 14)
        var doubles: [Double] = []
        var floats: [Float] = []
        for length in 0...140 {
            for _ in 0..<length {
                let word: Double = random.below(3) == 0 ? 0 : 1
                doubles.append(word)
                floats.append(Float(word))
            }
            doubles.append(Self.general(&random))
            floats.append(Self.generalFloat(&random))
        }
        Self.check(doubles)
        Self.check(floats)
        // Nothing but words, and nothing but generals, in blocks and tails.
        for count in [72, 73, 135, 136, 200, 1000] {
            Self.check((0..<count).map { _ in Double(random.below(2)) })
            Self.check((0..<count).map { _ in Float(random.below(2)) })
            Self.check((0..<count).map { _ in Self.general(&random) })
            Self.check((0..<count).map { _ in Self.generalFloat(&random) })
        }
    }

    @Test func rowsOfEveryLengthAndMix() {
        // Lengths 0...300 (blocks and a tail of every size), with 0s and 1s at densities
        // from none to all, relu's half among them.
        var random = S.Generator(seed: 15)
        for length in 0...300 {
            // Densities in sixteenths; signed: -0.0 among the words (relu's gradient times a
            // negative upstream gradient).
            for density in [0, 1, 4, 8, 14, 16] {
                for signed in [false, true] {
                    let doubles: [Double] = (0..<length).map { _ in
                        random.below(16) < density ? [0, 1, -0.0][random.below(signed ? 3 : 2)] : Self.general(&random)
                    }
                    Self.check(doubles)
                    Self.check(doubles.map { Float($0) })
                }
            }
        }
    }

    @Test func numbersThatAreNotWords() {
        // -0.0 is five bytes ("-0.0,"), -1.0 a general number, non-finite values strings: none
        // is a word, each must come out as its own text wherever it falls among the words,
        // alone or in a pair with a general number or another such value.
        let specials: [Double] = [-0.0, -1, .nan, .infinity, -.infinity, 2, 0.5, 5e-324, 1e-300,
                                  .greatestFiniteMagnitude, 0x1p53, 1 + 0x1p-52, 1 - 0x1p-53]
        let specialFloats: [Float] = [-0.0, -1, .nan, .infinity, -.infinity, 2, 0.5, 1e-45, 1e-38,
                                      .greatestFiniteMagnitude, 0x1p24, 1 + 0x1p-23, 1 - 0x1p-24]
        var random = S.Generator(seed: 16)
        for odds in [2, 4, 16] {
            let doubles: [Double] = (0..<2_000).map { _ in
                random.below(odds) == 0 ? specials[random.below(specials.count)]
                    : random.below(3) == 0 ? Self.general(&random) : Double(random.below(2))
            }
            let floats: [Float] = (0..<2_000).map { _ in
                random.below(odds) == 0 ? specialFloats[random.below(specialFloats.count)]
                    : random.below(3) == 0 ? Self.generalFloat(&random) : Float(random.below(2))
            }
            Self.check(doubles)
            Self.check(floats)
        }
        // Rows of nothing but one of them among words.
        for special in specials {
            Self.check((0..<150).map { k in k % 3 == 0 ? special : Double(k & 1) })
        }
        for special in specialFloats {
            Self.check((0..<150).map { k in k % 3 == 0 ? special : Float(k & 1) })
        }
    }

    @Test func theWordTestAndTheBitGatherAreExact() {
        // gatherBits: byte k (0 or 1) to bit k, for all 256 patterns.
        for mask in 0..<256 {
            var bytes: UInt64 = 0
            for k in 0..<8 { bytes |= UInt64(mask >> k & 1) << (8 * k) }
            #expect(JSONWriter.gatherBits(bytes) == UInt64(mask))
        }
        // wordBytes: 1 exactly for the bits of +0.0 and 1.0, in every lane, against the bit
        // patterns nearest them (one bit away from either, each sign) and random ones.
        var random = S.Generator(seed: 18)
        let one32: UInt32 = 0x3F80_0000, one64: UInt64 = 0x3FF0_0000_0000_0000
        var patterns32: [UInt32] = [0, one32, 0x8000_0000, one32 | 0x8000_0000, .max, 0x7FFF_FFFF]
        var patterns64: [UInt64] = [0, one64, 1 << 63, one64 | 1 << 63, .max, .max >> 1]
        for k in 0..<32 { patterns32 += [1 << k, one32 ^ 1 << k] }
        for k in 0..<64 { patterns64 += [1 << k, one64 ^ 1 << k] }
        for _ in 0..<200 {
            patterns32.append(UInt32(truncatingIfNeeded: random.next()))
            patterns64.append(random.next())
        }
        for lane in 0..<8 {
            for bits in patterns32 {
                var x = SIMD8<UInt32>(repeating: one32 ^ 4)
                x[lane] = bits
                let want: UInt64 = bits == 0 || bits == one32 ? 1 : 0
                #expect(JSONWriter.wordBytes(x, one: one32) == want << (8 * lane), "\(bits) in lane \(lane)")
            }
            for bits in patterns64 {
                var x = SIMD8<UInt64>(repeating: 5)
                x[lane] = bits
                let want: UInt64 = bits == 0 || bits == one64 ? 1 : 0
                #expect(JSONWriter.wordBytes(x, one: one64) == want << (8 * lane), "\(bits) in lane \(lane)")
            }
        }
    }

    @Test func reluAnswerIsEachNumbersText() throws {
        // The answer the run writer exists for: relu's values (half 0.0) and gradients (all 0.0
        // and 1.0), float32 and float64, as the route writes them.
        var random = S.Generator(seed: 17)
        let inputs = (0..<4_099).map { _ in Double(Int64(bitPattern: random.next()) >> 40) / 0x1p20 }  // within ±8
        for dtype in [DType.float32, .float64] {
            let tensor = dtype == .float32 ? try Tensor(shape: [inputs.count], float32: inputs.map { Float($0) })
                : try Tensor(shape: [inputs.count], float64: inputs)
            let result = try Engine().evaluate(Evaluation(function: "relu", dtype: dtype, input: tensor))
            let text = String(decoding: JSONWriter.activateResponse([result], batch: false), as: UTF8.self)
            let values: String, gradients: String
            switch (result.values?.storage, result.gradients?.storage) {
            case (.float32(let v)?, .float32(let g)?): (values, gradients) = (Self.expected(v), Self.expected(g))
            case (.float64(let v)?, .float64(let g)?): (values, gradients) = (Self.expected(v), Self.expected(g))
            default: Issue.record("unexpected storage"); return
            }
            #expect(text.contains(#""values":"# + values + #","gradients":"# + gradients))
        }
    }
}

import CDecimalDigits
import Testing
@testable import ActivationService

/// The sixteen-byte digit steps of the number reader (CDecimalDigits): the vector versions the
/// reader uses against the portable definitions, on every run length and position of the
/// first non-digit, with every kind of byte around the digits; and the numeric arrays' shapes,
/// shared between arrays of one request.
@Suite struct DecimalDigitsTests {
    typealias S = JSONTestSupport

    /// 48 bytes: 16 arbitrary bytes, then `run` digits, then `stop` (a non-digit), then random bytes.
    static func buffer(run: Int, stop: UInt8, random: inout S.Generator) -> [UInt8] {
        var bytes = (0..<48).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for i in 16..<(16 + run) { bytes[i] = 0x30 + UInt8(random.below(10)) }
        if run < 16 { bytes[16 + run] = stop }
        return bytes
    }

    @Test func theMaskFindsTheFirstNonDigitAtEveryPosition() {
        var random = S.Generator(seed: 16)
        // Bytes that border the digits in the ASCII table, and the usual delimiters.
        let stops: [UInt8] = [0x2F, 0x3A, 0x2E, 0x2C, 0x5D, 0x65, 0x45, 0x20, 0x00, 0xFF, 0xB0, 0xB9, 0x10, 0x19]
        for run in 0...16 {
            for stop in stops {
                for _ in 0..<20 {
                    let bytes = Self.buffer(run: run, stop: stop, random: &random)
                    bytes.withUnsafeBufferPointer { b in
                        let p = b.baseAddress! + 16
                        let mask = decimal_digits_mask16(p)
                        #expect(mask == decimal_digits_mask16_portable(p))
                        #expect((~mask).trailingZeroBitCount == run, "run \(run), stop \(stop)")
                    }
                }
            }
        }
    }

    @Test func theFoldIsTheDigitsValueForEveryLength() {
        var random = S.Generator(seed: 17)
        for run in 0...16 {
            for _ in 0..<300 {
                let bytes = Self.buffer(run: run, stop: 0x2C, random: &random)
                let w = random.below(2) == 0 ? UInt64(random.below(10)) : random.next()  // wrapping is part of the contract
                bytes.withUnsafeBufferPointer { b in
                    let p = b.baseAddress! + 16
                    var expected = w
                    for i in 0..<run { expected = expected &* 10 &+ UInt64(p[i] - 0x30) }
                    #expect(decimal_digits_fold(w, p, UInt32(run)) == expected)
                    #expect(decimal_digits_fold_portable(w, p, UInt32(run)) == expected)
                    if run == 16 { #expect(decimal_digits_fold16(w, p) == expected) }
                }
            }
        }
        // The extremes of every lane: all nines and all zeros.
        for digit: UInt8 in [0x30, 0x39] {
            let bytes = [UInt8](repeating: 0x2C, count: 16) + [UInt8](repeating: digit, count: 16) + [0x2C]
            bytes.withUnsafeBufferPointer { b in
                let value: UInt64 = digit == 0x39 ? 9_999_999_999_999_999 : 0
                #expect(decimal_digits_fold16(0, b.baseAddress! + 16) == value)
                #expect(decimal_digits_fold(0, b.baseAddress! + 16, 16) == value)
                #expect(decimal_digits_fold(0, b.baseAddress! + 16, 15) == value / 10)
            }
        }
    }

    @Test func theVectorVersionsAreTheOnesInUseOnX86() {
        #if arch(x86_64)
        #expect(decimal_digits_uses_sse2() == 1)
        #endif
    }

    @Test func arraysOfOneShapeShareItInABatch() throws {
        let one = #"{"function":"relu","inputs":[[1.5,-2.25,3],[4,5,6]],"grad_output":[[1,1,1],[1,1,1]]}"#
        let other = #"{"function":"relu","inputs":[1,2,3,4]}"#
        let body = Array("[\(one),\(one),\(other),\(one)]".utf8)
        guard case .batch(let evaluations) = try ActivateRequestReader().read(body) else {
            Issue.record("not a batch")
            return
        }
        #expect(evaluations.map(\.input.shape) == [[2, 3], [2, 3], [4], [2, 3]])
        func storage(_ shape: [Int]) -> UnsafePointer<Int>? { shape.withUnsafeBufferPointer { $0.baseAddress } }
        #expect(storage(evaluations[0].input.shape) == storage(evaluations[1].input.shape))
        #expect(storage(evaluations[0].input.shape) != storage(evaluations[2].input.shape))
        #expect(evaluations[0].input.storage.doubles == [1.5, -2.25, 3, 4, 5, 6])
    }
}

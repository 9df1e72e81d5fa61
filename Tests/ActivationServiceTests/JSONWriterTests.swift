import Foundation
import Testing
import ActivationEngine
@testable import ActivationService

/// The writer: shortest round-trip numbers in their dtype, escaping, structure, error bodies.
@Suite struct JSONWriterTests {
    typealias S = JSONTestSupport

    @Test func randomDoubleBitPatternsRoundTrip() throws {
        var random = S.Generator(seed: 64)
        let values = (0..<1_000_000).map { _ in Double(bitPattern: random.next()) }.filter(\.isFinite)
        var writer = JSONWriter()
        writer.numbers(values, shape: [values.count])
        let bytes = writer.bytes
        // Read back by the C library, independently of the service's reader...
        let libc = Self.readBack(bytes) { strtod($0, $1).bitPattern }
        #expect(libc.count == values.count)
        let mismatches = zip(values, libc).filter { $0.bitPattern != $1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ, first \(mismatches.prefix(3).map(\.0))")
        // ...and by the reader, which the service's clients' numbers also take.
        let body = #"{"function":"f","inputs":"# + writer.text + "}"
        #expect(try S.doubles(S.single(body).input)?.map(\.bitPattern) == values.map(\.bitPattern))
        // Shortest: the same text Swift's own description gives.
        let described = "[" + values.map(\.description).joined(separator: ",") + "]"
        #expect(writer.text == described)
    }

    @Test func randomFloatBitPatternsRoundTripAsFloat32Text() throws {
        var random = S.Generator(seed: 32)
        let values = (0..<1_000_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: random.next())) }.filter(\.isFinite)
        try Self.expectFloatRoundTrip(values)
    }

    @Test func everyFloat32InARangeAndTheSubnormalsRoundTrips() throws {
        // All 2^20 floats in [1, 1.125), and the first 2^18 subnormals.
        try Self.expectFloatRoundTrip((0x3F80_0000 as UInt32..<0x3F90_0000).map { Float(bitPattern: $0) })
        try Self.expectFloatRoundTrip((0 as UInt32..<(1 << 18)).map { Float(bitPattern: $0) })
    }

    static func expectFloatRoundTrip(_ values: [Float], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var writer = JSONWriter()
        writer.numbers(values, shape: [values.count])
        let libc = Self.readBack(writer.bytes) { UInt64(strtof($0, $1).bitPattern) }
        #expect(libc.count == values.count, sourceLocation: sourceLocation)
        let mismatches = zip(values, libc).filter { UInt64($0.bitPattern) != $1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ, first \(mismatches.prefix(3).map(\.0))",
                sourceLocation: sourceLocation)
        let body = #"{"function":"f","dtype":"float32","inputs":"# + writer.text + "}"
        let read = try #require(S.floats(try S.single(body).input))
        #expect(read.map(\.bitPattern) == values.map(\.bitPattern), sourceLocation: sourceLocation)
        let described = "[" + values.map(\.description).joined(separator: ",") + "]"
        #expect(writer.text == described, sourceLocation: sourceLocation)
    }

    /// The bit patterns of the numbers in a flat JSON array of finite numbers, read one after
    /// the other by a C parsing function (`strtod` or `strtof`) straight from the bytes.
    static func readBack(
        _ bytes: [UInt8], _ parse: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> UInt64
    ) -> [UInt64] {
        var text = bytes.map { CChar(bitPattern: $0) }
        text.append(0)
        return text.withUnsafeMutableBufferPointer { buffer in
            var result: [UInt64] = []
            var cursor = buffer.baseAddress! + 1  // past '['
            var end: UnsafeMutablePointer<CChar>? = nil
            while cursor.pointee != 0x5D && cursor.pointee != 0 {
                result.append(parse(cursor, &end))
                guard let next = end, next != cursor else { break }
                cursor = next.pointee == 0x2C ? next + 1 : next
            }
            return result
        }
    }

    @Test func float32IsWrittenAsFloat32Text() {
        var writer = JSONWriter()
        writer.numbers([0.1, 1, -0.0, 1e-45, 3.4028235e38, 16_777_216, .nan, .infinity, -.infinity] as [Float], shape: [9])
        #expect(writer.text == #"[0.1,1.0,-0.0,1e-45,3.4028235e+38,16777216.0,"NaN","Infinity","-Infinity"]"#)
        var doubles = JSONWriter()
        doubles.numbers([0.1, Double(Float(0.1)), 5e-324, -1.7976931348623157e308, 1e16, 1e-5], shape: [6])
        #expect(doubles.text == "[0.1,0.10000000149011612,5e-324,-1.7976931348623157e+308,1e+16,1e-05]")
    }

    @Test func rowsMixingZerosOnesAndNonFiniteWithOtherNumbers() {
        // Rows of mostly general numbers are written two at a time, rows with many 0s and 1s
        // as runs of words between the others (JSONWriterRowTests has the patterns at length):
        // every mix, at every place in a pair, must be each number's own text.
        func expected<F: BinaryFloatingPoint & CustomStringConvertible>(_ values: [F]) -> String {
            "[" + values.map { v in
                v.isNaN ? #""NaN""# : v.isInfinite ? (v < 0 ? #""-Infinity""# : #""Infinity""#) : v.description
            }.joined(separator: ",") + "]"
        }
        var random = S.Generator(seed: 12)
        let specials: [Double] = [0, -0.0, 1, -1, .nan, .infinity, -.infinity, 0.5, 2, 1e-300]
        for length in 1...40 {
            for odds in [2, 3, 20, 1000] {
                var doubles = (0..<length).map { _ in Double(bitPattern: random.next() >> 2 | 0x3000_0000_0000_0000) }
                for k in 0..<length where random.below(odds) == 0 { doubles[k] = specials[random.below(specials.count)] }
                let floats = doubles.map { Float($0) }
                var writer = JSONWriter()
                writer.numbers(doubles, shape: [length])
                #expect(writer.text == expected(doubles), "\(doubles)")
                var writer32 = JSONWriter()
                writer32.numbers(floats, shape: [length])
                #expect(writer32.text == expected(floats), "\(floats)")
            }
        }
    }

    @Test func nDimensionalArraysFollowTheShape() {
        func text(_ values: [Double], _ shape: [Int]) -> String {
            var writer = JSONWriter()
            writer.tensor(try! Tensor(shape: shape, storage: .float64(values)))
            return writer.text
        }
        #expect(text([2.5], []) == "2.5")
        #expect(text([], [0]) == "[]")
        #expect(text([], [2, 0]) == "[[],[]]")
        #expect(text([], [0, 3]) == "[]")
        #expect(text([1, 2, 3, 4, 5, 6], [2, 3]) == "[[1.0,2.0,3.0],[4.0,5.0,6.0]]")
        #expect(text([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2]) == "[[[[1.0,2.0]],[[3.0,4.0]]],[[[5.0,6.0]],[[7.0,8.0]]]]")
        #expect(text([7], [1, 1, 1, 1, 1, 1, 1, 1]) == "[[[[[[[[7.0]]]]]]]]")
    }

    @Test func readerAndWriterAgreeOnNDimensionalArrays() throws {
        let body = #"{"function":"f","inputs":[[[1.5,"NaN"],[-0.0,"-Infinity"]],[[1e300,2e-300],[3,4]]]}"#
        let inputs = try S.single(body).input
        var writer = JSONWriter()
        writer.tensor(inputs)
        #expect(writer.text == #"[[[1.5,"NaN"],[-0.0,"-Infinity"]],[[1e+300,2e-300],[3.0,4.0]]]"#)
    }

    @Test func stringsAreEscapedAndStructureIsCommaSeparated() {
        var writer = JSONWriter(capacity: 1)
        writer.beginObject()
        writer.key("a\"b\\c\n")
        writer.string("\u{0}\u{1F}\u{7F}é😀</script>")
        writer.key("list")
        writer.beginArray()
        writer.int(Int.min)
        writer.int(0)
        writer.int(Int.max)
        writer.bool(true)
        writer.null()
        writer.beginObject()
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.endArray()
        writer.key("n")
        writer.number(-2.5)
        writer.endObject()
        let expected = #"{"a\"b\\c\u000a":"\u0000\u001f"# + "\u{7F}é😀</script>" +
            #"","list":[-9223372036854775808,0,9223372036854775807,true,null,{},[]],"n":-2.5}"#
        #expect(writer.text == expected)
        let bytes = writer.finish()
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(bytes)) }
    }

    @Test func errorBodyHasTheOneShape() throws {
        let error = ServiceError.tooManyDimensions(path: "$[2].input[0]", limit: 8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(error.jsonBody())) as? [String: Any])
        let inner = try #require(object["error"] as? [String: Any])
        #expect(object.count == 1)
        #expect(inner["code"] as? String == "too_many_dimensions")
        #expect(inner["message"] as? String == error.message)
        let details = try #require(inner["details"] as? [String: Any])
        #expect(details["path"] as? String == "$[2].input[0]")
        #expect(details["limit"] as? Int == 8)
        let listed = ServiceError(status: 404, code: .init(rawValue: "unknown_function"), message: "no",
                                  details: [.init("known", .strings(["relu", "gelu"]))])
        #expect(String(decoding: listed.jsonBody(), as: UTF8.self)
            == #"{"error":{"code":"unknown_function","message":"no","details":{"known":["relu","gelu"]}}}"#)
    }

    @Test func activateResponseMirrorsTheRequestForm() throws {
        var parameters = ResolvedParameters()
        parameters["alpha"] = .number(Double(Float(0.1)))
        let result = EvaluationResult(
            function: .prelu, parameters: parameters, dtype: .float32, shape: [2],
            values: try Tensor(shape: [2], float32: [0.1, -0.01]), gradients: try Tensor(shape: [2], float32: [1, 0.1]),
            parameterGradients: [("alpha", .number(Double(Float(-0.1))))])
        let single = String(decoding: JSONWriter.activateResponse([result], batch: false), as: UTF8.self)
        #expect(single == #"{"function":"prelu","params":{"alpha":0.1},"dtype":"float32","shape":[2],"#
            + #""values":[0.1,-0.01],"gradients":[1.0,0.1],"param_gradients":{"alpha":-0.1}}"#)
        let batch = String(decoding: JSONWriter.activateResponse([result, result], batch: true), as: UTF8.self)
        #expect(batch == "[" + single + "," + single + "]")
    }
}

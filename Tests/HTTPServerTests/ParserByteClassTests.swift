import Testing
@testable import HTTPServer

/// The byte-class masks against the character lists they encode, for all 256 bytes, and the
/// hand-written number parsers against their grammar.
@Suite struct ParserByteClassTests {
    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    static func set(_ extra: String) -> Set<UInt8> { Set(letters + Array(extra.utf8)) }

    @Test func tokenIsTcharOfRFC9110() {
        let tchar = Self.set("!#$%&'*+-.^_`|~")
        for byte in UInt8.min...UInt8.max { #expect(HTTPByteClass.isToken(byte) == tchar.contains(byte), "\(byte)") }
    }

    @Test func targetBytesAreRFC3986PathAndQueryCharacters() {
        let allowed = Self.set("-._~!$&'()*+,;=:@/?%")
        for byte in UInt8.min...UInt8.max { #expect(HTTPByteClass.isTargetByte(byte) == allowed.contains(byte), "\(byte)") }
    }

    @Test func authorityBytesAreRegNameIPLiteralAndPort() {
        let allowed = Self.set("-._~!$&'()*+,;=:[]%")
        for byte in UInt8.min...UInt8.max {
            #expect(HTTPByteClass.isAuthorityByte(byte) == allowed.contains(byte), "\(byte)")
        }
    }

    @Test func fieldValueBytesExcludeControlsButHTAB() {
        for byte in UInt8.min...UInt8.max {
            let expected = byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
            #expect(HTTPByteClass.isFieldValueByte(byte) == expected, "\(byte)")
        }
    }

    @Test func decimalParserTakesDigitsOnlyAndDetectsOverflow() {
        #expect(HTTPFraming.parseDecimal(Array("0".utf8)) == 0)
        #expect(HTTPFraming.parseDecimal(Array("00042".utf8)) == 42)
        #expect(HTTPFraming.parseDecimal(Array(String(Int.max).utf8)) == Int.max)
        #expect(HTTPFraming.parseDecimal(Array("9223372036854775808".utf8)) == nil)
        for bad in ["", "+1", "-1", " 1", "1 ", "1e3", "0x1", "１"] {
            #expect(HTTPFraming.parseDecimal(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func chunkSizeParserTakesHexOnlyAndDetectsOverflow() throws {
        #expect(try ChunkLineSyntax.parse(Array("0".utf8)[...]).get() == 0)
        #expect(try ChunkLineSyntax.parse(Array("fF".utf8)[...]).get() == 255)
        #expect(try ChunkLineSyntax.parse(Array("7fffffffffffffff".utf8)[...]).get() == Int.max)
        #expect(throws: HTTPParseError.self) { try ChunkLineSyntax.parse(Array("8000000000000000".utf8)[...]).get() }
        #expect(throws: HTTPParseError.self) { try ChunkLineSyntax.parse(Array("+a".utf8)[...]).get() }
    }

    @Test func namesCompareIgnoringASCIICaseOnly() {
        #expect(HTTPByteClass.namesEqual("Content-Length", "content-LENGTH"))
        #expect(!HTTPByteClass.namesEqual("Content-Length", "Content-Lengt"))
        #expect(!HTTPByteClass.namesEqual("Host", "Hosu"))
        #expect(!HTTPByteClass.namesEqual("K", "\u{212A}"))  // Kelvin sign: not an ASCII K
        var headers = HTTPHeaders([("A", "1"), ("b", "2"), ("a", "3")])
        #expect(headers.values(for: "a") == ["1", "3"] && headers["B"] == "2")
        headers.replaceOrAdd(name: "A", value: "4")
        #expect(headers.values(for: "A") == ["4"] && headers.fields.count == 2)
    }
}

/// Byte classes of RFC 9110 §5.6 and RFC 3986 §2, as lookup tables.
///
/// The parser decides every byte by these tables instead of `Character` properties: the grammar
/// is defined on octets, and a Unicode-aware test (`isLetter`, `isWhitespace`) would accept bytes
/// that another server on the path rejects — the disagreement request smuggling lives on.
enum HTTPByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let comma: UInt8 = 0x2C
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let percent: UInt8 = 0x25

    /// tchar (RFC 9110 §5.6.2): "!#$%&'*+-.^_`|~", digits and letters.
    static let tokenTable: [Bool] = makeTable { byte in
        isAlphaNumeric(byte) || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }

    /// Bytes allowed unescaped in a request target (RFC 3986: unreserved, sub-delims, ":", "@",
    /// "/", "?" and "%" for pct-encoded). Anything else — "#", quotes, "<>", "{}", "|", "\",
    /// "^", "`", whitespace, controls, non-ASCII — is refused with 400.
    static let targetTable: [Bool] = makeTable { byte in
        isAlphaNumeric(byte) || Array("-._~!$&'()*+,;=:@/?%".utf8).contains(byte)
    }

    /// Bytes allowed in a Host field value or an absolute-form authority: reg-name, IP-literal
    /// brackets and the port separator.
    static let authorityTable: [Bool] = makeTable { byte in
        isAlphaNumeric(byte) || Array("-._~!$&'()*+,;=:[]%".utf8).contains(byte)
    }

    @inline(__always) static func isToken(_ byte: UInt8) -> Bool { tokenTable[Int(byte)] }
    @inline(__always) static func isTargetByte(_ byte: UInt8) -> Bool { targetTable[Int(byte)] }
    @inline(__always) static func isAuthorityByte(_ byte: UInt8) -> Bool { authorityTable[Int(byte)] }
    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool { byte == sp || byte == htab }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// field-vchar plus SP and HTAB (RFC 9110 §5.5): every byte except the controls and DEL.
    /// obs-text (0x80-0xFF) is allowed, as the RFC still permits it in values.
    @inline(__always) static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == htab || (byte >= 0x20 && byte != 0x7F)
    }

    /// The value of a hexadecimal digit, or nil: no "0x", no sign, no "_".
    @inline(__always) static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// ASCII lower-casing, for case-insensitive comparison of tokens.
    @inline(__always) static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Whether `bytes` equals the lower-case ASCII `lowercaseLiteral`, ignoring case.
    static func equalsIgnoringCase<C: Collection<UInt8>>(_ bytes: C, _ lowercaseLiteral: String) -> Bool {
        let literal = lowercaseLiteral.utf8
        guard bytes.count == literal.count else { return false }
        return zip(bytes, literal).allSatisfy { lowercased($0) == $1 }
    }

    private static func isAlphaNumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func makeTable(_ predicate: (UInt8) -> Bool) -> [Bool] {
        (0...255).map { predicate(UInt8($0)) }
    }
}

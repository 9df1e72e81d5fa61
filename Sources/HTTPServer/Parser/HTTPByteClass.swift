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

    // Each class is a 128-bit set of ASCII bytes, as two 64-bit masks (bit n of `low` is byte n,
    // bit n of `high` is byte 64 + n); bytes 0x80 and above are in none of them. Masks instead of
    // lookup arrays: a byte test is two shifts and no memory access, and the parser tests every
    // byte. ParserByteClassTests checks each mask against the RFC's character list.

    /// tchar (RFC 9110 §5.6.2): "!#$%&'*+-.^_`|~", digits and letters.
    static var tokenMasks: (low: UInt64, high: UInt64) { (0x03FF_6CFA_0000_0000, 0x57FF_FFFF_C7FF_FFFE) }

    /// Bytes allowed unescaped in a request target's path and query (RFC 3986: unreserved,
    /// sub-delims, ":", "@", "/", "?", and "%" of pct-encoded). Anything else — "#", quotes,
    /// "<>", "[]", "{}", "|", "\", "^", "`", whitespace, controls, non-ASCII — is refused with 400.
    static var targetMasks: (low: UInt64, high: UInt64) { (0xAFFF_FFF2_0000_0000, 0x47FF_FFFE_87FF_FFFF) }

    /// Bytes allowed in a Host value or an absolute-form authority: reg-name (unreserved,
    /// sub-delims, pct-encoded), IP-literal brackets and the port separator; no "@" (userinfo).
    static var authorityMasks: (low: UInt64, high: UInt64) { (0x2FFF_7FF2_0000_0000, 0x47FF_FFFE_AFFF_FFFE) }

    @inline(__always) static func contains(_ masks: (low: UInt64, high: UInt64), _ byte: UInt8) -> Bool {
        if byte < 64 { return masks.low >> UInt64(byte) & 1 == 1 }
        if byte < 128 { return masks.high >> UInt64(byte - 64) & 1 == 1 }
        return false
    }

    @inline(__always) static func isToken(_ byte: UInt8) -> Bool { contains(tokenMasks, byte) }
    @inline(__always) static func isTargetByte(_ byte: UInt8) -> Bool { contains(targetMasks, byte) }
    @inline(__always) static func isAuthorityByte(_ byte: UInt8) -> Bool { contains(authorityMasks, byte) }
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
    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ lowercaseLiteral: StaticString) -> Bool {
        guard bytes.count == lowercaseLiteral.utf8CodeUnitCount else { return false }
        let literal = lowercaseLiteral.utf8Start
        var offset = 0
        for byte in bytes {
            guard lowercased(byte) == literal[offset] else { return false }
            offset += 1
        }
        return true
    }

    /// Whether two field names are equal ignoring ASCII case (RFC 9110 §5.1), without allocating.
    /// Lengths first, inlined where it is called (O(1) for native strings): most names
    /// compared differ in length, and those cost a comparison, not a call.
    @inline(__always)
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && sameLengthNamesEqual(a, b)
    }

    private static func sameLengthNamesEqual(_ a: String, _ b: String) -> Bool {
        // In place where the strings are contiguous (native and small ones: every name the
        // parser or a handler makes); `withUTF8` would need copies of both strings, each
        // counting a reference.
        if let equal = a.utf8.withContiguousStorageIfAvailable({ a in
            b.utf8.withContiguousStorageIfAvailable { b in bytesEqualIgnoringCase(a, b) }
        }), let equal {
            return equal
        }
        var a = a, b = b
        return a.withUTF8 { a in b.withUTF8 { b in bytesEqualIgnoringCase(a, b) } }
    }

    private static func bytesEqualIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count where lowercased(a[index]) != lowercased(b[index]) { return false }
        return true
    }
}

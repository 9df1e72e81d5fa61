/// Strings: escapes decoded (`\uXXXX` with surrogate pairs), UTF-8 validated, raw control
/// characters rejected, as RFC 8259 section 7 requires. Invalid UTF-8 is a syntax error (400)
/// because a body that is not UTF-8 is not JSON (RFC 8259 section 8.1).
extension JSONScanner {
    /// Reads the string whose opening quote is at the cursor and returns it decoded.
    mutating func readString() throws(ServiceError) -> String {
        let open = pos
        try expect(0x22, "'\"'")
        let start = pos
        var ascii = true
        while pos < end {
            let c = base[pos]
            if c == 0x22 {
                let span = UnsafeBufferPointer(start: base + start, count: pos - start)
                pos += 1
                if ascii { return String(decoding: span, as: UTF8.self) }
                guard let text = String(validating: span, as: UTF8.self) else {
                    throw syntaxError("invalid UTF-8 in string", at: open)
                }
                return text
            }
            if c == 0x5C { return try readEscapedString(open: open, start: start) }
            if c < 0x20 { throw syntaxError("unescaped control character in string") }
            if c >= 0x80 { ascii = false }
            pos += 1
        }
        throw syntaxError("unterminated string", at: open)
    }

    /// The slow path once a backslash is seen: decode into a byte buffer, then validate.
    private mutating func readEscapedString(open: Int, start: Int) throws(ServiceError) -> String {
        var bytes = [UInt8](UnsafeBufferPointer(start: base + start, count: pos - start))
        while pos < end {
            let c = base[pos]
            if c == 0x22 {
                pos += 1
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw syntaxError("invalid UTF-8 in string", at: open)
                }
                return text
            }
            if c < 0x20 { throw syntaxError("unescaped control character in string") }
            guard c == 0x5C else {
                bytes.append(c)
                pos += 1
                continue
            }
            pos += 1
            let escape = current
            pos += 1
            switch escape {
            case 0x22, 0x5C, 0x2F: bytes.append(escape)
            case 0x62: bytes.append(0x08)
            case 0x66: bytes.append(0x0C)
            case 0x6E: bytes.append(0x0A)
            case 0x72: bytes.append(0x0D)
            case 0x74: bytes.append(0x09)
            case 0x75: appendUTF8(of: try readUnicodeEscape(), to: &bytes)
            default:
                pos -= 1
                throw syntaxError("invalid escape sequence in string")
            }
        }
        throw syntaxError("unterminated string", at: open)
    }

    /// Reads the hex digits of a `\u` escape (cursor just past the `u`), and its low surrogate
    /// partner when it is a high surrogate. Unpaired surrogates are errors: they cannot be
    /// UTF-8.
    private mutating func readUnicodeEscape() throws(ServiceError) -> Unicode.Scalar {
        let first = try readHex4()
        if first >= 0xDC00 && first <= 0xDFFF {
            throw syntaxError("unpaired low surrogate in \\u escape", at: pos - 6)
        }
        guard first >= 0xD800 && first <= 0xDBFF else { return Unicode.Scalar(first)! }
        guard current == 0x5C, pos + 1 < end, base[pos + 1] == 0x75 else {
            throw syntaxError("unpaired high surrogate in \\u escape", at: pos - 6)
        }
        pos += 2
        let second = try readHex4()
        guard second >= 0xDC00 && second <= 0xDFFF else {
            throw syntaxError("high surrogate not followed by a low surrogate", at: pos - 6)
        }
        return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
    }

    private mutating func readHex4() throws(ServiceError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = current
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x41...0x46: digit = c - 0x41 + 10
            case 0x61...0x66: digit = c - 0x61 + 10
            default: throw syntaxError("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            pos += 1
        }
        return value
    }

    private func appendUTF8(of scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        for unit in UTF8.encode(scalar)! { bytes.append(unit) }
    }
}

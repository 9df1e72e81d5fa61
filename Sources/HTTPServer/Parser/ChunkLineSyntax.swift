/// The chunk-size line of the chunked coding (RFC 9112 §7.1):
/// `chunk-size *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )`, extensions parsed and ignored.
///
/// Strict on purpose: a size is hex digits only, parsed by hand with an overflow check (no
/// "0x", sign, "_" or leading space: `Int(_:radix:)` takes "+a"); whitespace is allowed only
/// where BWS is, so "5 " alone is refused; an extension needs a name, so a bare ";" is refused;
/// a quoted value must close and may not hold controls. Each of these was a smuggling vector
/// somewhere because two parsers read the same line differently.
enum ChunkLineSyntax {
    /// The chunk size declared by `line` (without its CRLF), or the 400 to answer.
    static func parse(_ line: ArraySlice<UInt8>) -> Result<Int, HTTPParseError> {
        var index = line.startIndex
        var size = 0
        while index < line.endIndex, let digit = HTTPByteClass.hexValue(line[index]) {
            let (times16, overflow1) = size.multipliedReportingOverflow(by: 16)
            let (sum, overflow2) = times16.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return .failure(.badRequest("chunk size overflows")) }
            size = sum
            index += 1
        }
        guard index > line.startIndex else { return .failure(.badRequest("invalid chunk size")) }
        while true {
            let whitespaceStart = index
            skipWhitespace(line, &index)
            if index == line.endIndex {
                guard index == whitespaceStart else { return .failure(.badRequest("whitespace after chunk size")) }
                return .success(size)
            }
            guard line[index] == HTTPByteClass.semicolon else { return .failure(.badRequest("invalid chunk size")) }
            index += 1
            skipWhitespace(line, &index)
            guard skipToken(line, &index) else { return .failure(.badRequest("chunk extension without a name")) }
            var lookahead = index
            skipWhitespace(line, &lookahead)
            if lookahead < line.endIndex, line[lookahead] == HTTPByteClass.equals {
                index = lookahead + 1
                skipWhitespace(line, &index)
                guard index < line.endIndex else { return .failure(.badRequest("chunk extension without a value")) }
                if line[index] == HTTPByteClass.quote {
                    guard skipQuotedString(line, &index) else {
                        return .failure(.badRequest("invalid quoted chunk extension"))
                    }
                } else if !skipToken(line, &index) {
                    return .failure(.badRequest("invalid chunk extension value"))
                }
            }
        }
    }

    private static func skipWhitespace(_ line: ArraySlice<UInt8>, _ index: inout Int) {
        while index < line.endIndex, HTTPByteClass.isWhitespace(line[index]) { index += 1 }
    }

    /// Advances past 1*tchar; false when there is none.
    private static func skipToken(_ line: ArraySlice<UInt8>, _ index: inout Int) -> Bool {
        let start = index
        while index < line.endIndex, HTTPByteClass.isToken(line[index]) { index += 1 }
        return index > start
    }

    /// Advances past a quoted-string (RFC 9110 §5.6.4) starting at the opening quote; false when
    /// it does not close on this line or holds a control character.
    private static func skipQuotedString(_ line: ArraySlice<UInt8>, _ index: inout Int) -> Bool {
        index += 1
        while index < line.endIndex {
            let byte = line[index]
            switch byte {
            case HTTPByteClass.quote:
                index += 1
                return true
            case HTTPByteClass.backslash:
                guard index + 1 < line.endIndex, HTTPByteClass.isFieldValueByte(line[index + 1]) else { return false }
                index += 2
            default:
                guard HTTPByteClass.isFieldValueByte(byte) else { return false }
                index += 1
            }
        }
        return false
    }
}

/// Iterative skipping and whole-document validation.
///
/// Why iterative: a body of 100,000 `[` must not recurse 100,000 frames deep. The nesting is
/// kept in a heap array of one byte per level, so depth costs memory proportional to the body
/// (which the server already bounds), never stack.
///
/// Why a separate validation pass: the reader stops at the first problem it finds, which may be
/// a semantic one (a ragged array) in a body that is also malformed further on. Syntax errors
/// take precedence, so a client always gets 400 for a body that is not JSON; the reader runs
/// this pass only on its error path, so valid requests pay nothing for it.
extension JSONScanner {
    /// Checks that the whole buffer is exactly one JSON value with optional whitespace around it.
    mutating func validateDocument() throws(ServiceError) {
        pos = 0
        skipWhitespace()
        try skipValue()
        skipWhitespace()
        guard pos == end else { throw syntaxError("unexpected \(describeCurrent()) after the JSON value") }
    }

    /// Skips the value at the cursor, checking its syntax, without building anything.
    mutating func skipValue() throws(ServiceError) {
        // true = inside an object, false = inside an array.
        var stack: [Bool] = []
        while true {
            // A value starts here.
            skipWhitespace()
            switch current {
            case 0x7B:
                pos += 1
                skipWhitespace()
                if current == 0x7D {
                    pos += 1
                } else {
                    stack.append(true)
                    try skipMemberName()
                    continue
                }
            case 0x5B:
                pos += 1
                skipWhitespace()
                if current == 0x5D {
                    pos += 1
                } else {
                    stack.append(false)
                    continue
                }
            case 0x22: _ = try readString()
            case 0x2D, 0x30...0x39: _ = try readNumber()
            default: _ = try readLiteral()
            }
            // After a value: close containers or move to the next element.
            while true {
                guard let inObject = stack.last else { return }
                skipWhitespace()
                let c = current
                if c == 0x2C {
                    pos += 1
                    if inObject { try skipMemberName() }
                    break
                }
                if c == (inObject ? 0x7D : 0x5D) {
                    pos += 1
                    stack.removeLast()
                    continue
                }
                throw syntaxError(inObject
                    ? "expected ',' or '}' in object, found \(describeCurrent())"
                    : "expected ',' or ']' in array, found \(describeCurrent())")
            }
        }
    }

    /// Reads `"name" :` (whitespace allowed around) and leaves the cursor before the value.
    mutating func skipMemberName() throws(ServiceError) {
        skipWhitespace()
        guard current == 0x22 else { throw syntaxError("expected a field name in quotes, found \(describeCurrent())") }
        _ = try readString()
        skipWhitespace()
        try expect(0x3A, "':' after the field name")
    }
}

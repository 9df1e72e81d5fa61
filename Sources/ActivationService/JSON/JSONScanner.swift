/// A cursor over the bytes of a JSON document: whitespace, strings, numbers, literals, and
/// an iterative validator. It knows the JSON grammar (RFC 8259) and nothing of the API.
///
/// Every syntax error comes out as ``ServiceError/malformedJSON(_:line:column:)``; the line
/// and column are worked out from the byte offset only when an error happens, so the happy
/// path never counts newlines.
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    /// Whether numeric arrays may hold the bare tokens `NaN`, `Infinity` and `-Infinity`, which
    /// are not JSON (RFC 8259 §6) but are what Python's json and rapidjson write for
    /// non-finite floats (the Open Inference Protocol's clients). Off for v1, whose contract
    /// carries them as strings.
    var acceptsBareNonFinite = false
    /// The shape of the last numeric array read, handed out again for the next array of the
    /// same shape (``readNumericArray(path:budget:limit:float32:)``) instead of a new one.
    var lastShape: [Int] = []

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
    }

    /// The byte at `pos`, or 0 at the end (0 can never start or continue a token, so the
    /// grammar checks reject it without a separate bounds test).
    @inline(__always) var current: UInt8 { pos < end ? base[pos] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        pos = Self.skipWhitespace(base, from: pos, end: end)
    }

    /// The first position at or after `p` that is not whitespace (or `end`).
    @inline(__always)
    static func skipWhitespace(_ base: UnsafePointer<UInt8>, from p: Int, end: Int) -> Int {
        var p = p
        while p < end {
            let c = base[p]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return p }
            p &+= 1
        }
        return p
    }

    /// The error for a syntax problem at byte `offset` (default: the cursor).
    func syntaxError(_ message: String, at offset: Int? = nil) -> ServiceError {
        let target = min(offset ?? pos, end)
        var line = 1
        var column = 1
        for i in 0..<target {
            let c = base[i]
            if c == 0x0A {
                line += 1
                column = 1
            } else if c & 0xC0 != 0x80 {
                column += 1
            }
        }
        return .malformedJSON(message, line: line, column: column)
    }

    /// A description of the byte at the cursor for error messages (never raw client bytes).
    func describeCurrent() -> String {
        guard pos < end else { return "end of input" }
        let c = base[pos]
        if c >= 0x21 && c < 0x7F && c != 0x22 && c != 0x5C { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x" + String(c, radix: 16, uppercase: true)
    }

    @inline(__always) mutating func expect(_ byte: UInt8, _ what: String) throws(ServiceError) {
        guard current == byte else { throw syntaxError("expected \(what), found \(describeCurrent())") }
        pos += 1
    }

    /// Consumes `true`, `false` or `null` at the cursor.
    mutating func readLiteral() throws(ServiceError) -> Literal {
        for literal in [Literal.true, .false, .null] {
            let text = literal.text
            if pos + text.count <= end && text.indices.allSatisfy({ base[pos + $0] == text[$0] }) {
                pos += text.count
                return literal
            }
        }
        throw syntaxError("expected a value, found \(describeCurrent())")
    }

    enum Literal {
        case `true`, `false`, null
        var text: [UInt8] {
            switch self {
            case .true: Array("true".utf8)
            case .false: Array("false".utf8)
            case .null: Array("null".utf8)
            }
        }
    }

    // MARK: - Numbers

    /// A number as read: its value as the nearest double, and its text span for re-parsing
    /// into float32 or checking integer-ness.
    struct Number {
        var value: Double
        var start: Int
        var end: Int
        /// No fraction and no exponent in the text.
        var isIntegerLiteral: Bool
    }

    /// Reads a number per the JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// No leading `+`, no leading zeros, no hex, no `NaN` or `Infinity` literals.
    @inline(__always)
    mutating func readNumber() throws(ServiceError) -> Number {
        let start = pos
        var negative = false
        if current == 0x2D {
            negative = true
            pos += 1
        }
        var w: UInt64 = 0
        var digits = 0  // significant digits folded into w (at most 19)
        var exponent = 0
        var truncated = false
        var c = current
        if c == 0x30 {
            pos += 1
            c = current
            if c &- 0x30 < 10 { throw syntaxError("leading zeros are not allowed in numbers") }
        } else if c &- 0x31 < 9 {
            repeat {
                if digits < 19 {
                    w = w &* 10 &+ UInt64(c &- 0x30)
                    digits += 1
                } else {
                    exponent += 1
                    if c != 0x30 { truncated = true }
                }
                pos += 1
                c = current
            } while c &- 0x30 < 10
        } else {
            throw syntaxError(negative ? "expected a digit after '-'" : "expected a value, found \(describeCurrent())")
        }
        var isInteger = true
        if c == 0x2E {
            isInteger = false
            pos += 1
            c = current
            guard c &- 0x30 < 10 else { throw syntaxError("expected a digit after '.'") }
            repeat {
                // Eight digits at a time once the leading zeros are behind (typical bodies carry
                // 16 or 17 fraction digits); the tail and short numbers go one by one.
                #if _endian(little)
                if w != 0 && digits <= 11 && pos + 8 <= end {
                    let chunk = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
                    if Self.isEightDigits(chunk) {
                        w = w &* 100_000_000 &+ Self.valueOfEightDigits(chunk)
                        digits += 8
                        exponent -= 8
                        pos += 8
                        c = current
                        continue
                    }
                }
                #endif
                if digits < 19 {
                    w = w &* 10 &+ UInt64(c &- 0x30)
                    if w != 0 { digits += 1 }
                    exponent -= 1
                } else if c != 0x30 {
                    truncated = true
                }
                pos += 1
                c = current
            } while c &- 0x30 < 10
        }
        if c | 0x20 == 0x65 {
            isInteger = false
            pos += 1
            c = current
            var exponentNegative = false
            if c == 0x2B || c == 0x2D {
                exponentNegative = c == 0x2D
                pos += 1
                c = current
            }
            guard c &- 0x30 < 10 else { throw syntaxError("expected a digit in the exponent") }
            var e = 0
            repeat {
                if e < 1_000_000 { e = e * 10 + Int(c &- 0x30) }
                pos += 1
                c = current
            } while c &- 0x30 < 10
            exponent += exponentNegative ? -e : e
        }
        let value: Double
        if !truncated, let fast = DecimalToBinary.fastDouble(significand: w, exponent: exponent, negative: negative) {
            value = fast
        } else {
            value = DecimalToBinary.strtodSpan(base, start, pos)
        }
        return Number(value: value, start: start, end: pos, isIntegerLiteral: isInteger)
    }

    /// Whether the eight bytes of `chunk` (first byte lowest) are all ASCII digits: every byte
    /// is 0x3X, and adding 6 does not carry out of the low nibble.
    @inline(__always)
    static func isEightDigits(_ chunk: UInt64) -> Bool {
        (chunk & 0xF0F0_F0F0_F0F0_F0F0) | (((chunk &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)
            == 0x3333_3333_3333_3333
    }

    /// The value of eight ASCII digits read little-endian (first digit in the lowest byte):
    /// pairs, then quads, then the whole, in three multiplications (Lemire's SWAR method).
    @inline(__always)
    static func valueOfEightDigits(_ chunk: UInt64) -> UInt64 {
        var v = chunk &- 0x3030_3030_3030_3030
        v = (v &* 10) &+ (v >> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let hundredAndMillion: UInt64 = 100 &+ (1_000_000 << 32)
        let oneAndTenThousand: UInt64 = 1 &+ (10_000 << 32)
        return ((v & mask) &* hundredAndMillion &+ ((v >> 16) & mask) &* oneAndTenThousand) >> 32
    }
}

/// Parses a response body in the tests, independently of the service's own JSON code, so a bug
/// in the writer cannot hide behind the same bug in a reader. Numbers go through the standard
/// library's correctly rounded `Double(_:)` (Foundation's JSONSerialization on Linux is not
/// correctly rounded, which would blur bit-exact comparisons). Integers without a fraction or
/// exponent become `Int`. Depth is bounded; anything malformed gives nil.
func parseJSON(_ bytes: [UInt8]) -> Any? {
    var parser = TestJSONParser(bytes: bytes)
    guard let value = parser.value(depth: 0) else { return nil }
    parser.skipSpace()
    return parser.index == bytes.count ? value : nil
}

struct TestJSONParser {
    let bytes: [UInt8]
    var index = 0

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) -> Any? {
        guard depth < 64 else { return nil }
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var object: [String: Any] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return object }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let member = value(depth: depth + 1) else { return nil }
                object[key] = member
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "}") else { return nil }
                index += 1
                return object
            }
        case UInt8(ascii: "["):
            index += 1
            var array: [Any] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return array }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                array.append(element)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "]") else { return nil }
                index += 1
                return array
            }
        case UInt8(ascii: "\""):
            return string()
        case UInt8(ascii: "t"): return literal("true", true)
        case UInt8(ascii: "f"): return literal("false", false)
        case UInt8(ascii: "n"): return literal("null", Optional<Int>.none as Any)
        default:
            return number()
        }
    }

    private mutating func literal(_ text: String, _ result: Any) -> Any? {
        let expected = Array(text.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
            return nil
        }
        index += expected.count
        return result
    }

    private mutating func number() -> Any? {
        let start = index
        var integral = true
        while index < bytes.count, let character = Optional(bytes[index]),
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) || "+-.eE".utf8.contains(character) {
            if "+.eE".utf8.contains(character) { integral = false }
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let int = Int(text) { return int }
        return Double(text)
    }

    private mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw = [] }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                flush()
                switch escape {
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { return nil }
                    index += 4
                    scalars.append(scalar)
                default: scalars.append(Unicode.Scalar(escape))
                }
            case 0..<0x20:
                return nil  // a raw control character is not valid JSON
            default:
                raw.append(byte)
            }
        }
        return nil
    }
}

func object(_ bytes: [UInt8]) -> [String: Any] {
    parseJSON(bytes) as? [String: Any] ?? [:]
}

/// The `error` member of an error body.
func errorOf(_ bytes: [UInt8]) -> (code: String?, message: String?, details: [String: Any]) {
    let error = object(bytes)["error"] as? [String: Any] ?? [:]
    return (error["code"] as? String, error["message"] as? String, error["details"] as? [String: Any] ?? [:])
}

/// Flattens nested arrays of numbers (and the non-finite strings) into doubles.
func flatNumbers(_ value: Any?) -> [Double] {
    switch value {
    case let number as Double: return [number]
    case let number as Int: return [Double(number)]
    case let text as String:
        switch text {
        case "NaN": return [.nan]
        case "Infinity": return [.infinity]
        case "-Infinity": return [-.infinity]
        default: return []
        }
    case let array as [Any]: return array.flatMap(flatNumbers)
    default: return []
    }
}

/// Bitwise comparison that treats every NaN as equal to every NaN.
func sameNumbers(_ lhs: [Double], _ rhs: [Double]) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}

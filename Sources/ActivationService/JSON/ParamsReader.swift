import ActivationEngine

/// The `params` object: each value is a number, a flat array of numbers, or a string.
///
/// The strings "NaN", "Infinity" and "-Infinity" are numbers here as everywhere else (no
/// function has a string parameter with those values), so `{"alpha": "NaN"}` reaches the
/// engine as `.number(.nan)` and is rejected there as out of range, with the engine's message.
/// Which names exist and what they accept is the engine's business, not the reader's.
enum ParamsReader {
    /// A generous bound on one parameter array (per-channel prelu weights), independent of the
    /// element limit, so that params cannot be used to allocate without bound.
    static let maxArrayCount = 1 << 20

    static func read(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> [String: ParameterInput] {
        var params: [String: ParameterInput] = [:]
        try JSONScanner.forEachMember(&scanner, path: path) { (scanner: inout JSONScanner, name, valuePath) throws(ServiceError) in
            params[name] = try readValue(&scanner, path: valuePath)
        }
        return params
    }

    private static func readValue(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> ParameterInput {
        let c = scanner.current
        if c == 0x2D || c &- 0x30 < 10 { return .number(try readNumber(&scanner, path: path)) }
        if c == 0x22 {
            let text = try scanner.readString()
            switch text {
            case "NaN": return .number(.nan)
            case "Infinity": return .number(.infinity)
            case "-Infinity": return .number(-.infinity)
            default: return .string(text)
            }
        }
        guard c == 0x5B else {
            try EvaluationReader.throwTypeError(scanner, path: path, expected: "a number, a string or an array of numbers")
        }
        scanner.pos += 1
        scanner.skipWhitespace()
        var numbers: [Double] = []
        if scanner.current == 0x5D {
            scanner.pos += 1
            return .numbers(numbers)
        }
        while true {
            let itemPath = JSONPath.index(path, numbers.count)
            guard numbers.count < maxArrayCount else {
                throw .tooManyElements(path: itemPath, limit: maxArrayCount)
            }
            let c = scanner.current
            if c == 0x2D || c &- 0x30 < 10 {
                numbers.append(try readNumber(&scanner, path: itemPath))
            } else if c == 0x22 {
                numbers.append(try scanner.readNonFiniteString(path: { itemPath }))
            } else {
                try EvaluationReader.throwTypeError(scanner, path: itemPath, expected: "a number")
            }
            scanner.skipWhitespace()
            if scanner.current == 0x2C {
                scanner.pos += 1
                scanner.skipWhitespace()
                continue
            }
            try scanner.expect(0x5D, "',' or ']' in array")
            return .numbers(numbers)
        }
    }

    private static func readNumber(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> Double {
        let number = try scanner.readNumber()
        guard number.value.isFinite else { throw .invalidValue(path: path, "the number is out of range for float64") }
        return number.value
    }
}

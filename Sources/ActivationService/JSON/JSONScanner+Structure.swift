/// The structure of JSON objects and arrays, walked with a callback per member or element,
/// so each reader states only what its fields mean: syntax, separators, duplicate names and
/// the paths of members and elements are handled here once.
extension JSONScanner {
    /// Calls `member` with the cursor on each value of the object at the cursor; a name seen
    /// twice is an error.
    static func forEachMember(
        _ scanner: inout JSONScanner, path: String,
        _ member: (inout JSONScanner, String, String) throws(ServiceError) -> Void
    ) throws(ServiceError) {
        guard scanner.current == 0x7B else { try EvaluationReader.throwTypeError(scanner, path: path, expected: "an object") }
        scanner.pos += 1
        scanner.skipWhitespace()
        if scanner.current == 0x7D {
            scanner.pos += 1
            return
        }
        var seen: Set<String> = []
        while true {
            guard scanner.current == 0x22 else {
                throw scanner.syntaxError("expected a field name in quotes, found \(scanner.describeCurrent())")
            }
            let name = try scanner.readString()
            let memberPath = JSONPath.member(path, name)
            scanner.skipWhitespace()
            try scanner.expect(0x3A, "':' after the field name")
            scanner.skipWhitespace()
            guard seen.insert(name).inserted else { throw .duplicateField(path: memberPath) }
            try member(&scanner, name, memberPath)
            scanner.skipWhitespace()
            if scanner.current == 0x2C {
                scanner.pos += 1
                scanner.skipWhitespace()
                continue
            }
            try scanner.expect(0x7D, "',' or '}' in object")
            return
        }
    }

    /// Calls `element` with the cursor on each value of the array at the cursor.
    static func forEachElement(
        _ scanner: inout JSONScanner, path: String, _ element: (inout JSONScanner, String) throws(ServiceError) -> Void
    ) throws(ServiceError) {
        guard scanner.current == 0x5B else { try EvaluationReader.throwTypeError(scanner, path: path, expected: "an array") }
        scanner.pos += 1
        scanner.skipWhitespace()
        if scanner.current == 0x5D {
            scanner.pos += 1
            return
        }
        var index = 0
        while true {
            try element(&scanner, JSONPath.index(path, index))
            index += 1
            scanner.skipWhitespace()
            if scanner.current == 0x2C {
                scanner.pos += 1
                scanner.skipWhitespace()
                continue
            }
            try scanner.expect(0x5D, "',' or ']' in array")
            return
        }
    }
}

import ActivationEngine

/// The fields of one evaluation object. Field order in the object is free; `inputs` and
/// `grad_output` are read straight into float32 when `"dtype": "float32"` came before them,
/// otherwise as doubles, stored in the dtype once the object has closed.
enum EvaluationReader {
    /// Element budgets shared by every evaluation of one request.
    struct Budgets {
        var inputs: Int
        var gradOutput: Int
        let limit: Int
    }

    static func read(_ scanner: inout JSONScanner, path: String, budgets: inout Budgets) throws(ServiceError) -> Evaluation {
        try scanner.expect(0x7B, "'{'")
        var function: String?
        var params: [String: ParameterInput] = [:]
        var dtype = DType.float64
        var outputs = OutputSelection.both
        var gradOutput: RawNumericArray?
        var axis = -1
        var conventions = KinkConvention.pytorch
        var inputs: RawNumericArray?
        // Fields seen so far, one bit per field (see `Field`): a Set of names would allocate
        // and hash for every evaluation of a batch.
        var seen: UInt16 = 0
        scanner.skipWhitespace()
        if scanner.current == 0x7D {
            scanner.pos += 1
        } else {
            while true {
                try expectName(scanner)
                let name = try scanner.readString()
                // The path is written out only where it is needed: for an error, or for the
                // numeric arrays, whose reader takes it as text.
                func fieldPath() -> String { JSONPath.member(path, name) }
                scanner.skipWhitespace()
                try scanner.expect(0x3A, "':' after the field name")
                scanner.skipWhitespace()
                // An unknown name is refused on its first appearance, so only known ones can repeat.
                guard let field = Field(name) else { throw .unknownField(path: fieldPath()) }
                guard seen & field.bit == 0 else { throw .duplicateField(path: fieldPath()) }
                seen |= field.bit
                switch field {
                case .function: function = try readString(&scanner, path: fieldPath())
                case .params: params = try ParamsReader.read(&scanner, path: fieldPath())
                case .dtype:
                    dtype = try readChoice(&scanner, path: fieldPath(), DType.self)
                case .outputs: outputs = try readOutputs(&scanner, path: fieldPath())
                case .gradOutput:
                    // Identifiers, so JSONPath.member's spelling is this one.
                    gradOutput = try scanner.readNumericArray(
                        path: path + ".grad_output", budget: &budgets.gradOutput, limit: budgets.limit,
                        float32: dtype == .float32)
                case .axis: axis = try readAxis(&scanner, path: fieldPath())
                case .conventions: conventions = try readChoice(&scanner, path: fieldPath(), KinkConvention.self)
                case .inputs:
                    inputs = try scanner.readNumericArray(
                        path: path + ".inputs", budget: &budgets.inputs, limit: budgets.limit, float32: dtype == .float32)
                }
                scanner.skipWhitespace()
                if scanner.current == 0x2C {
                    scanner.pos += 1
                    scanner.skipWhitespace()
                    continue
                }
                try scanner.expect(0x7D, "',' or '}' in object")
                break
            }
        }
        guard let function else { throw .missingField(path: JSONPath.member(path, "function")) }
        guard let inputs else { throw .missingField(path: JSONPath.member(path, "inputs")) }
        return Evaluation(
            function: function, parameters: params, dtype: dtype, axis: axis, conventions: conventions,
            input: try scanner.makeTensor(inputs, dtype: dtype, path: path + ".inputs"),
            gradOutput: try gradOutput.map { raw throws(ServiceError) in
                try scanner.makeTensor(raw, dtype: dtype, path: path + ".grad_output")
            },
            outputs: outputs)
    }

    // MARK: - Fields

    /// The fields of an evaluation object.
    private enum Field: UInt16 {
        case function, params, dtype, outputs, gradOutput, axis, conventions, inputs

        init?(_ name: String) {
            switch name {
            case "function": self = .function
            case "params": self = .params
            case "dtype": self = .dtype
            case "outputs": self = .outputs
            case "grad_output": self = .gradOutput
            case "axis": self = .axis
            case "conventions": self = .conventions
            case "inputs": self = .inputs
            default: return nil
            }
        }

        var bit: UInt16 { 1 << rawValue }
    }

    /// `path` is evaluated only when the value is not a string.
    static func readString(_ scanner: inout JSONScanner, path: @autoclosure () -> String) throws(ServiceError) -> String {
        guard scanner.current == 0x22 else { try throwTypeError(scanner, path: path(), expected: "a string") }
        return try scanner.readString()
    }

    /// A string naming one case of `Choice`; other strings are 422 listing the allowed ones.
    /// `path` is evaluated only for an error.
    static func readChoice<Choice: RawRepresentable & CaseIterable>(
        _ scanner: inout JSONScanner, path: @autoclosure () -> String, _ type: Choice.Type
    ) throws(ServiceError) -> Choice where Choice.RawValue == String {
        let text = try readString(&scanner, path: path())
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            throw .invalidValue(path: path(), "must be \(allowed)")
        }
        return choice
    }

    /// A non-empty array of "values" and "gradients" (repeats are harmless and allowed).
    static func readOutputs(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> OutputSelection {
        guard scanner.current == 0x5B else { try throwTypeError(scanner, path: path, expected: "an array of strings") }
        scanner.pos += 1
        scanner.skipWhitespace()
        var values = false, gradients = false
        var index = 0
        if scanner.current != 0x5D {
            while true {
                let itemPath = JSONPath.index(path, index)
                switch try readString(&scanner, path: itemPath) {
                case "values": values = true
                case "gradients": gradients = true
                default: throw .invalidValue(path: itemPath, "must be \"values\" or \"gradients\"")
                }
                index += 1
                scanner.skipWhitespace()
                if scanner.current == 0x2C {
                    scanner.pos += 1
                    scanner.skipWhitespace()
                    continue
                }
                break
            }
        }
        try scanner.expect(0x5D, "',' or ']' in array")
        switch (values, gradients) {
        case (true, true): return .both
        case (true, false): return .values
        case (false, true): return .gradients
        case (false, false):
            throw .invalidValue(path: path, "must name at least one of \"values\" and \"gradients\"")
        }
    }

    /// A number with an integral value: `-1`, and also `-1.0` or `-1e0`, which are the same JSON
    /// value and JSON Schema's `integer` (the contract's) admits them; `1.5` is 400.
    static func readAxis(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> Int {
        let c = scanner.current
        guard c == 0x2D || c &- 0x30 < 10 else { try throwTypeError(scanner, path: path, expected: "an integer") }
        let number = try scanner.readNumber()
        guard number.isIntegerLiteral || number.value.rounded(.towardZero) == number.value else {
            throw .invalidType(path: path, expected: "an integer")
        }
        guard number.value.magnitude < 1e15, let axis = Int(exactly: number.value) else {
            throw .invalidValue(path: path, "is out of range")
        }
        return axis
    }

    // MARK: - Errors

    /// Throws `invalid_type` for the value at the cursor, naming what it is and what was expected.
    static func throwTypeError(_ scanner: JSONScanner, path: String, expected: String) throws(ServiceError) -> Never {
        let found: String
        switch scanner.current {
        case 0x7B: found = "an object"
        case 0x5B: found = "an array"
        case 0x22: found = "a string"
        case 0x2D, 0x30...0x39: found = "a number"
        case 0x74, 0x66: found = "a boolean"
        case 0x6E: found = "null"
        default: throw scanner.syntaxError("expected a value, found \(scanner.describeCurrent())")
        }
        throw ServiceError(
            status: 400, code: .invalidType, message: "\(path) must be \(expected), not \(found)",
            details: [.init("path", .string(path)), .init("expected", .string(expected))])
    }

    private static func expectName(_ scanner: JSONScanner) throws(ServiceError) {
        guard scanner.current == 0x22 else {
            throw scanner.syntaxError("expected a field name in quotes, found \(scanner.describeCurrent())")
        }
    }
}

import ActivationEngine

/// The JSON inference header: `id`, `parameters`, `inputs`, `outputs`, in any order.
extension InferenceRequestReader {
    /// Triton's reserved request parameters: clients set them, this service has nothing to do
    /// with them (no sequences, one priority, requests never queue past their deadline).
    static let reservedParameters: Set<String> = [
        "sequence_id", "sequence_start", "sequence_end", "priority", "timeout", "headers",
    ]

    func readHeader(_ scanner: inout JSONScanner, model: FunctionMetadata) throws(ServiceError) -> Header {
        var header = Header()
        var budget = maxElements
        var sawInputs = false
        scanner.skipWhitespace()
        guard scanner.current == 0x7B else {
            try EvaluationReader.throwTypeError(scanner, path: JSONPath.root, expected: "an inference request object")
        }
        try JSONScanner.forEachMember(&scanner, path: JSONPath.root) { (scanner: inout JSONScanner, name, path) throws(ServiceError) in
            switch name {
            case "id": header.id = try EvaluationReader.readString(&scanner, path: path)
            case "model_name", "model_version": _ = try EvaluationReader.readString(&scanner, path: path)
            case "parameters": try readRequestParameters(&scanner, path: path, into: &header)
            case "inputs":
                sawInputs = true
                try JSONScanner.forEachElement(&scanner, path: path) { (scanner: inout JSONScanner, itemPath) throws(ServiceError) in
                    let input = try readInput(&scanner, path: itemPath, budget: &budget)
                    guard model.inferenceInputs.contains(input.name) else {
                        throw .invalidValue(
                            path: itemPath,
                            "unknown input '\(input.name)'; \(model.name) takes \(model.inferenceInputs.joined(separator: ", "))")
                    }
                    guard !header.inputs.contains(where: { $0.name == input.name }) else {
                        throw .invalidValue(path: itemPath, "input '\(input.name)' is given twice")
                    }
                    header.inputs.append(input)
                }
            case "outputs":
                var outputs: [(name: String, path: String, binary: Bool?)] = []
                try JSONScanner.forEachElement(&scanner, path: path) { (scanner: inout JSONScanner, itemPath) throws(ServiceError) in
                    outputs.append(try readOutput(&scanner, path: itemPath))
                }
                header.outputs = outputs
            default: throw .unknownField(path: path)
            }
        }
        scanner.skipWhitespace()
        guard scanner.pos == scanner.end else {
            throw scanner.syntaxError("unexpected \(scanner.describeCurrent()) after the JSON header")
        }
        guard sawInputs else { throw .missingField(path: JSONPath.member(JSONPath.root, "inputs")) }
        return header
    }

    // MARK: - Parameters

    /// The request's `parameters`: the function's scalar parameters, `axis`, `conventions`
    /// and `binary_data_output`; Triton's reserved names are skipped.
    private func readRequestParameters(
        _ scanner: inout JSONScanner, path: String, into header: inout Header
    ) throws(ServiceError) {
        try JSONScanner.forEachMember(&scanner, path: path) { (scanner: inout JSONScanner, name, itemPath) throws(ServiceError) in
            switch name {
            case "axis": header.axis = try EvaluationReader.readAxis(&scanner, path: itemPath)
            case "conventions":
                header.conventions = try EvaluationReader.readChoice(&scanner, path: itemPath, KinkConvention.self)
            case "binary_data_output": header.binaryOutputs = try Self.readBool(&scanner, path: itemPath)
            case _ where Self.reservedParameters.contains(name) || name.hasPrefix("triton_"):
                try scanner.skipValue()
            default:
                let c = scanner.current
                if c == 0x2D || c &- 0x30 < 10 {
                    let number = try scanner.readNumber()
                    guard number.value.isFinite else {
                        throw .invalidValue(path: itemPath, "the number is out of range for float64")
                    }
                    header.parameters[name] = .number(number.value)
                } else if c == 0x22 {
                    let text = try scanner.readString()
                    header.parameters[name] = JSONScanner.nonFiniteValue(text).map { .number($0) } ?? .string(text)
                } else {
                    try EvaluationReader.throwTypeError(scanner, path: itemPath, expected: "a number or a string")
                }
            }
        }
    }

    // MARK: - Inputs and outputs

    private func readInput(_ scanner: inout JSONScanner, path: String, budget: inout Int) throws(ServiceError) -> DeclaredInput {
        var input = DeclaredInput(name: "", path: path)
        var sawName = false
        try JSONScanner.forEachMember(&scanner, path: path) { (scanner: inout JSONScanner, name, itemPath) throws(ServiceError) in
            switch name {
            case "name":
                input.name = try EvaluationReader.readString(&scanner, path: itemPath)
                sawName = true
            case "shape": input.shape = try Self.readShape(&scanner, path: itemPath)
            case "datatype":
                let text = try EvaluationReader.readString(&scanner, path: itemPath)
                guard let dtype = DType(inferenceDatatype: text) else {
                    throw .invalidValue(path: itemPath, "datatype '\(text)' is not supported: use FP32 or FP64")
                }
                input.datatype = dtype
            case "parameters":
                try JSONScanner.forEachMember(&scanner, path: itemPath) { (scanner: inout JSONScanner, parameter, parameterPath) throws(ServiceError) in
                    switch parameter {
                    case "binary_data_size": input.binarySize = try Self.readSize(&scanner, path: parameterPath)
                    case _ where parameter.hasPrefix("shared_memory_"):
                        throw .invalidValue(path: parameterPath, "shared memory is not supported: send the data in the body")
                    default: throw .unknownField(path: parameterPath)
                    }
                }
            case "data":
                guard scanner.current == 0x5B else {
                    try EvaluationReader.throwTypeError(scanner, path: itemPath, expected: "an array of numbers")
                }
                input.data = try scanner.readNumericArray(path: itemPath, budget: &budget, limit: maxElements)
            default: throw .unknownField(path: itemPath)
            }
        }
        guard sawName else { throw .missingField(path: JSONPath.member(path, "name")) }
        return input
    }

    private func readOutput(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> (name: String, path: String, binary: Bool?) {
        var name: String?
        var binary: Bool?
        try JSONScanner.forEachMember(&scanner, path: path) { (scanner: inout JSONScanner, field, itemPath) throws(ServiceError) in
            switch field {
            case "name": name = try EvaluationReader.readString(&scanner, path: itemPath)
            case "parameters":
                try JSONScanner.forEachMember(&scanner, path: itemPath) { (scanner: inout JSONScanner, parameter, parameterPath) throws(ServiceError) in
                    switch parameter {
                    case "binary_data": binary = try Self.readBool(&scanner, path: parameterPath)
                    case "classification":
                        throw .invalidValue(path: parameterPath, "the classification extension is not supported")
                    case _ where parameter.hasPrefix("shared_memory_"):
                        throw .invalidValue(path: parameterPath, "shared memory is not supported")
                    default: throw .unknownField(path: parameterPath)
                    }
                }
            default: throw .unknownField(path: itemPath)
            }
        }
        guard let name else { throw .missingField(path: JSONPath.member(path, "name")) }
        return (name, path, binary)
    }

    // MARK: - Values

    /// A shape: 0 to 8 non-negative integers written as integers.
    static func readShape(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> [Int] {
        var shape: [Int] = []
        try JSONScanner.forEachElement(&scanner, path: path) { (scanner: inout JSONScanner, itemPath) throws(ServiceError) in
            guard shape.count < Tensor.maxDimensions else {
                throw .tooManyDimensions(path: path, limit: Tensor.maxDimensions)
            }
            shape.append(try readSize(&scanner, path: itemPath))
        }
        return shape
    }

    /// A non-negative integer (a dimension or a byte count), in any spelling of an integral number
    /// (`2`, `2.0`, `2e0`: JSON Schema's integers include them, as `axis` does).
    static func readSize(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> Int {
        let c = scanner.current
        guard c == 0x2D || c &- 0x30 < 10 else {
            try EvaluationReader.throwTypeError(scanner, path: path, expected: "a non-negative integer")
        }
        let number = try scanner.readNumber()
        guard number.value.rounded(.towardZero) == number.value else {
            throw .invalidType(path: path, expected: "a non-negative integer")
        }
        guard number.value >= 0, number.value < 0x1p62, let size = Int(exactly: number.value) else {
            throw .invalidValue(path: path, "must be a non-negative integer below 2^62")
        }
        return size
    }

    static func readBool(_ scanner: inout JSONScanner, path: String) throws(ServiceError) -> Bool {
        guard scanner.current == 0x74 || scanner.current == 0x66 else {
            try EvaluationReader.throwTypeError(scanner, path: path, expected: "a boolean")
        }
        return try scanner.readLiteral() == .true
    }
}

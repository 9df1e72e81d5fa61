import ActivationMath

/// A value in an error's details: small, Sendable and easy to write as JSON.
public enum ErrorDetail: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case strings([String])
    case ints([Int])
}

/// Every way an evaluation can be refused: a stable snake_case ``code`` for programs, a
/// ``message`` for people and ``details`` naming what was wrong.
///
/// In a batch, ``index`` (also present as `details["index"]`) is the position of the offending
/// evaluation; the service turns all of these into `422`, except `unknown_function` (`404`).
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable codes; their raw values are part of the service's contract.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case unknownFunction = "unknown_function"
        case unknownParameter = "unknown_parameter"
        case missingParameter = "missing_parameter"
        case parameterOutOfRange = "parameter_out_of_range"
        case invalidParameterType = "invalid_parameter_type"
        case invalidParameterValue = "invalid_parameter_value"
        case parameterConstraintViolated = "parameter_constraint_violated"
        case parameterShapeMismatch = "parameter_shape_mismatch"
        case gradOutputShapeMismatch = "grad_output_shape_mismatch"
        case axisOutOfRange = "axis_out_of_range"
        case oddSplitDimension = "odd_split_dimension"
        case tooManyDimensions = "too_many_dimensions"
        case tooManyElements = "too_many_elements"
        case dtypeMismatch = "dtype_mismatch"
        case invalidShape = "invalid_shape"
    }

    public var code: Code
    public var message: String
    public var details: [String: ErrorDetail]
    /// The evaluation's position in its batch, once known.
    public var index: Int?

    public init(code: Code, message: String, details: [String: ErrorDetail] = [:], index: Int? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.index = index
        if let index { self.details["index"] = .int(index) }
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The same error attributed to the evaluation at `index` of a batch.
    public func at(index: Int) -> EngineError {
        EngineError(code: code, message: "evaluation \(index): \(message)", details: details, index: index)
    }
}

// MARK: - Factories, one per code, so that messages and details stay uniform

extension EngineError {
    static func unknownFunction(_ name: String) -> EngineError {
        EngineError(
            code: .unknownFunction, message: "unknown function '\(name)'",
            details: ["function": .string(name), "known": .strings(ActivationFunction.allCases.map(\.name))])
    }

    static func unknownParameter(_ name: String, function: ActivationFunction, known: [String]) -> EngineError {
        EngineError(
            code: .unknownParameter, message: "\(function.name) has no parameter '\(name)'",
            details: ["parameter": .string(name), "known": .strings(known)])
    }

    static func missingParameter(_ name: String, function: ActivationFunction) -> EngineError {
        EngineError(
            code: .missingParameter, message: "\(function.name) requires the parameter '\(name)'",
            details: ["parameter": .string(name)])
    }

    static func parameterOutOfRange(_ name: String, value: Double, requirement: String) -> EngineError {
        EngineError(
            code: .parameterOutOfRange, message: "parameter '\(name)' = \(value) must be \(requirement)",
            details: ["parameter": .string(name), "value": .double(value), "allowed": .string(requirement)])
    }

    static func invalidParameterType(_ name: String, expected: String) -> EngineError {
        EngineError(
            code: .invalidParameterType, message: "parameter '\(name)' must be \(expected)",
            details: ["parameter": .string(name), "expected": .string(expected)])
    }

    static func invalidParameterValue(_ name: String, value: String, allowed: [String]) -> EngineError {
        EngineError(
            code: .invalidParameterValue,
            message: "parameter '\(name)' must be one of \(allowed.joined(separator: ", ")), not '\(value)'",
            details: ["parameter": .string(name), "value": .string(value), "allowed": .strings(allowed)])
    }

    static func constraintViolated(_ relation: String, names: [String]) -> EngineError {
        EngineError(
            code: .parameterConstraintViolated, message: "parameters must satisfy \(relation)",
            details: ["constraint": .string(relation), "parameters": .strings(names)])
    }

    static func parameterShapeMismatch(_ name: String, count: Int, channels: Int?) -> EngineError {
        let expected = channels.map { "1 or \($0) values (one per channel, axis 1)" }
            ?? "a single number (the input has fewer than 2 dimensions, so no channel axis)"
        var details: [String: ErrorDetail] = ["parameter": .string(name), "count": .int(count)]
        if let channels { details["channels"] = .int(channels) }
        return EngineError(
            code: .parameterShapeMismatch, message: "parameter '\(name)' has \(count) values; expected \(expected)",
            details: details)
    }

    static func gradOutputShapeMismatch(expected: [Int], actual: [Int]) -> EngineError {
        EngineError(
            code: .gradOutputShapeMismatch,
            message: "grad_output has shape \(actual) but the outputs have shape \(expected)",
            details: ["expected": .ints(expected), "actual": .ints(actual)])
    }

    static func axisOutOfRange(axis: Int, ndim: Int) -> EngineError {
        let range = ndim == 0 ? "-1 or 0 for a scalar" : "in [\(-ndim), \(ndim - 1)]"
        return EngineError(
            code: .axisOutOfRange, message: "axis \(axis) is out of range: must be \(range)",
            details: ["axis": .int(axis), "ndim": .int(ndim)])
    }

    static func oddSplitDimension(axis: Int, length: Int, function: ActivationFunction) -> EngineError {
        EngineError(
            code: .oddSplitDimension,
            message: "\(function.name) splits axis \(axis) into two halves, but its length \(length) is odd",
            details: ["axis": .int(axis), "length": .int(length)])
    }

    static func tooManyDimensions(ndim: Int, limit: Int) -> EngineError {
        EngineError(
            code: .tooManyDimensions, message: "\(ndim) dimensions exceed the limit of \(limit)",
            details: ["ndim": .int(ndim), "limit": .int(limit)])
    }

    static func tooManyElements(count: Int, limit: Int) -> EngineError {
        EngineError(
            code: .tooManyElements,
            message: "\(count) elements (inputs and grad_output together) exceed the limit of \(limit)",
            details: ["count": .int(count), "limit": .int(limit)])
    }

    static func dtypeMismatch(tensor: String, expected: DType, actual: DType) -> EngineError {
        EngineError(
            code: .dtypeMismatch,
            message: "\(tensor) is stored as \(actual.rawValue) but the evaluation's dtype is \(expected.rawValue)",
            details: ["tensor": .string(tensor), "expected": .string(expected.rawValue), "actual": .string(actual.rawValue)])
    }

    static func invalidShape(shape: [Int], storedCount: Int) -> EngineError {
        EngineError(
            code: .invalidShape,
            message: "shape \(shape) does not describe \(storedCount) elements (dimensions must be ≥ 0)",
            details: ["shape": .ints(shape), "count": .int(storedCount)])
    }
}

/// The one error type of the service: every failure a client can see is one of these, and
/// every one is answered with the same JSON shape,
/// `{"error": {"code": "...", "message": "...", "details": {...}}}` (see `jsonBody()`).
///
/// The code is the stable, documented part a client may branch on; the message is for people
/// and may change. Details point at the place (a JSON path, or a line and column) so that a
/// client with a 1 MB body can find the bad number.
import HTTPServer

public struct ServiceError: Error, Sendable, Hashable {
    /// HTTP status of the response.
    public var status: HTTPStatus
    /// Stable snake_case code.
    public var code: Code
    /// Human-readable explanation; never contains unescaped client text (the writer escapes).
    public var message: String
    /// Machine-readable specifics, written as a JSON object in this order.
    public var details: [Detail]

    public init(status: HTTPStatus, code: Code, message: String, details: [Detail] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// A stable error code. A struct rather than an enum so the routes can add their codes
    /// (`unknown_route`, `unknown_function`, ...) in their own files with `extension`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The body is not JSON (400, details `line`, `column`).
        public static let malformedJSON = Code(rawValue: "malformed_json")
        /// A field or element has the wrong JSON type (400, details `path`, `expected`).
        public static let invalidType = Code(rawValue: "invalid_type")
        /// A value of the right type that is not allowed (422, details `path`).
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// Nested arrays whose rows differ in length or depth (422, details `path`).
        public static let raggedArray = Code(rawValue: "ragged_array")
        /// More than the allowed number of dimensions (422, details `path`, `limit`).
        public static let tooManyDimensions = Code(rawValue: "too_many_dimensions")
        /// Two arrays that must agree in shape do not (422, details `path`).
        public static let shapeMismatch = Code(rawValue: "shape_mismatch")
        /// A field this API does not define (422, details `path`).
        public static let unknownField = Code(rawValue: "unknown_field")
        /// A required field is absent (422, details `path`).
        public static let missingField = Code(rawValue: "missing_field")
        /// A field appears twice in one object (422, details `path`).
        public static let duplicateField = Code(rawValue: "duplicate_field")
        /// More numbers than the configured maximum (422, details `limit`, `path`).
        public static let tooManyElements = Code(rawValue: "too_many_elements")
    }

    /// One entry of `details`.
    public struct Detail: Sendable, Hashable {
        public var name: String
        public var value: DetailValue
        public init(_ name: String, _ value: DetailValue) {
            self.name = name
            self.value = value
        }
    }

    /// The few JSON value kinds details need (a list of known names, a path, a position).
    public enum DetailValue: Sendable, Hashable {
        case string(String)
        case int(Int)
        case strings([String])
    }

    /// The value of the detail named `name`, if present.
    public func detail(_ name: String) -> DetailValue? {
        details.first { $0.name == name }?.value
    }
}

// MARK: - The errors the JSON reader produces

extension ServiceError {
    /// 400: the body is not JSON. Line and column are 1-based; the column counts characters
    /// (Unicode scalars), not bytes.
    public static func malformedJSON(_ message: String, line: Int, column: Int) -> ServiceError {
        ServiceError(
            status: 400, code: .malformedJSON,
            message: "malformed JSON at line \(line), column \(column): \(message)",
            details: [Detail("line", .int(line)), Detail("column", .int(column))])
    }

    /// 400: the value at `path` is not of the `expected` JSON type.
    public static func invalidType(path: String, expected: String) -> ServiceError {
        ServiceError(
            status: 400, code: .invalidType, message: "\(path) must be \(expected)",
            details: [Detail("path", .string(path)), Detail("expected", .string(expected))])
    }

    /// 422: the value at `path` has the right type but is not allowed.
    public static func invalidValue(path: String, _ message: String) -> ServiceError {
        ServiceError(
            status: 422, code: .invalidValue, message: "\(path): \(message)",
            details: [Detail("path", .string(path))])
    }

    /// 422: the nested arrays are not rectangular at `path`.
    public static func raggedArray(path: String, _ message: String) -> ServiceError {
        ServiceError(
            status: 422, code: .raggedArray, message: "ragged array at \(path): \(message)",
            details: [Detail("path", .string(path))])
    }

    /// 422: nesting deeper than `limit` dimensions at `path`.
    public static func tooManyDimensions(path: String, limit: Int) -> ServiceError {
        ServiceError(
            status: 422, code: .tooManyDimensions,
            message: "\(path) has more than \(limit) dimensions",
            details: [Detail("path", .string(path)), Detail("limit", .int(limit))])
    }

    /// 422: the shape at `path` is not the one required.
    public static func shapeMismatch(path: String, expected: [Int], actual: [Int]) -> ServiceError {
        ServiceError(
            status: 422, code: .shapeMismatch,
            message: "\(path) has shape \(actual), expected \(expected)",
            details: [Detail("path", .string(path))])
    }

    /// 422: the field at `path` is not part of the API.
    public static func unknownField(path: String) -> ServiceError {
        ServiceError(
            status: 422, code: .unknownField, message: "unknown field \(path)",
            details: [Detail("path", .string(path))])
    }

    /// 422: the required field at `path` is absent.
    public static func missingField(path: String) -> ServiceError {
        ServiceError(
            status: 422, code: .missingField, message: "missing required field \(path)",
            details: [Detail("path", .string(path))])
    }

    /// 422: the field at `path` appears more than once in its object.
    public static func duplicateField(path: String) -> ServiceError {
        ServiceError(
            status: 422, code: .duplicateField, message: "duplicate field \(path)",
            details: [Detail("path", .string(path))])
    }

    /// 422: the request holds more than `limit` numbers; `path` is where the limit was crossed.
    public static func tooManyElements(path: String, limit: Int) -> ServiceError {
        ServiceError(
            status: 422, code: .tooManyElements,
            message: "the request has more than \(limit) elements (at \(path))",
            details: [Detail("path", .string(path)), Detail("limit", .int(limit))])
    }
}

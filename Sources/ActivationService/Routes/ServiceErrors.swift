import ActivationEngine
import ActivationMath
import HTTPServer

// The route-level error codes. The JSON reader's codes live with it (ServiceError.swift);
// these complete the list documented in openapi.yaml.
extension ServiceError.Code {
    /// No route has this path (404).
    public static let notFound = ServiceError.Code(rawValue: "not_found")
    /// The path exists but not with this method (405, with `Allow`).
    public static let methodNotAllowed = ServiceError.Code(rawValue: "method_not_allowed")
    /// POST /v1/activate without `Content-Type: application/json` (415).
    public static let unsupportedMediaType = ServiceError.Code(rawValue: "unsupported_media_type")
    /// The function name is neither canonical nor an alias (404, `details.known`).
    public static let unknownFunction = ServiceError.Code(rawValue: "unknown_function")
    /// A query parameter has a value outside its documented set (400).
    public static let invalidQuery = ServiceError.Code(rawValue: "invalid_query")
    /// The instance is draining (503 from /readyz).
    public static let notReady = ServiceError.Code(rawValue: "not_ready")
}

extension ServiceError {
    /// The engine's refusal as the service's error: 404 for an unknown function (its details
    /// list the known names), 422 for everything else; the batch index travels in `details`.
    init(_ error: EngineError) {
        var details: [Detail] = []
        for name in error.details.keys.sorted() {
            let value: DetailValue
            switch error.details[name]! {
            case .string(let text): value = .string(text)
            case .int(let number): value = .int(number)
            case .double(let number): value = .string(number.description)
            case .strings(let list): value = .strings(list)
            case .ints(let list): value = .strings(list.map(String.init))
            }
            details.append(Detail(name, value))
        }
        self.init(
            status: error.code == .unknownFunction ? 404 : 422,
            code: Code(rawValue: error.code.rawValue), message: error.message, details: details)
    }

    /// The response carrying this error in the one JSON shape.
    public var response: HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: jsonBody())
    }

    static func unsupportedMediaType(_ contentType: String?) -> ServiceError {
        ServiceError(
            status: 415, code: .unsupportedMediaType, message: "the body must be sent as Content-Type: application/json",
            details: contentType.map { [Detail("content_type", .string($0))] } ?? [])
    }

    static func unknownFunction(_ name: String) -> ServiceError {
        ServiceError(
            status: 404, code: .unknownFunction, message: "unknown function",
            details: [Detail("function", .string(name)), Detail("known", .strings(ActivationFunction.allCases.map(\.name)))])
    }

    static func invalidQuery(name: String, allowed: [String]) -> ServiceError {
        ServiceError(
            status: 400, code: .invalidQuery, message: "query parameter '\(name)' must be one of \(allowed.joined(separator: ", "))",
            details: [Detail("parameter", .string(name)), Detail("allowed", .strings(allowed))])
    }
}

/// The error shape of a protocol family: v1's `{"error": {"code", "message", "details"}}`,
/// or the Open Inference Protocol's `{"error": "message"}`.
enum ErrorShape: Sendable {
    case v1, inference

    /// `/v2` and everything under it speak the inference protocol, found or not.
    init(path: String) {
        self = path == "/v2" || path.hasPrefix("/v2/") ? .inference : .v1
    }
}

extension ServiceError {
    func response(_ shape: ErrorShape) -> HTTPResponse {
        switch shape {
        case .v1: response
        case .inference: inferenceResponse
        }
    }

    /// The protocol's error object. Its statuses are 400 for any bad request (v1's 422s
    /// included: the protocol has no other), 404 for unknown models, versions and routes, and
    /// the HTTP statuses of limits (413) and methods (405) as they are. The stable code travels
    /// in `X-Error-Code`, since the body has room only for the message.
    var inferenceResponse: HTTPResponse {
        var writer = JSONWriter(capacity: 64 + message.utf8.count * 2)
        writer.beginObject()
        writer.key("error"); writer.string(message)
        writer.endObject()
        return HTTPResponse(
            status: status == .unprocessableContent ? .badRequest : status,
            headers: HTTPHeaders([("Content-Type", "application/json"), ("X-Error-Code", code.rawValue)]),
            body: writer.finish())
    }
}

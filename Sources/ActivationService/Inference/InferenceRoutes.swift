import ActivationEngine
import HTTPServer

/// The Open Inference Protocol (KServe v2 REST) front end: every catalogue function is a
/// model, reachable by canonical name or alias, with one version, `1`.
///
/// Routes (the route table in ``ActivationService``): `GET /v2`, `/v2/health/live`,
/// `/v2/health/ready`, `GET /v2/models/{name}[/versions/{version}]`, `.../ready`,
/// `POST .../infer`, `POST /v2/repository/index`. Errors are the protocol's
/// `{"error": "message"}` (``ServiceError/inferenceResponse``).
struct InferenceRoutes: Sendable {
    static let modelVersion = "1"
    /// What `platform` says in model metadata: the models are this service's own kernels, not
    /// a framework's (Triton's platforms name the backend that runs a model the same way).
    static let platform = "activation-service"

    let evaluator: Evaluator
    let reader: InferenceRequestReader
    let lifecycle: Lifecycle
    let version: String
    /// Model metadata for every function, written once (the catalogue never changes).
    private let metadata: [ActivationFunction: [UInt8]]

    init(configuration: ServiceConfiguration, evaluator: Evaluator, lifecycle: Lifecycle) {
        self.evaluator = evaluator
        reader = InferenceRequestReader(maxElements: configuration.maxElements)
        self.lifecycle = lifecycle
        version = configuration.version
        var metadata: [ActivationFunction: [UInt8]] = [:]
        for entry in Catalogue.all { metadata[entry.function] = Self.modelMetadata(entry) }
        self.metadata = metadata
    }

    // MARK: - Server

    /// `GET /v2`: name, version and the extensions spoken.
    func serverMetadata() -> HTTPResponse {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("name"); writer.string(Self.platform)
        writer.key("version"); writer.string(version)
        writer.key("extensions")
        writer.beginArray()
        writer.string("binary_tensor_data")
        writer.string("parameters")
        writer.endArray()
        writer.endObject()
        return Self.json(writer.finish())
    }

    /// `GET /v2/health/live`: alive while the process serves (draining included, like /healthz).
    func live() -> HTTPResponse {
        Self.json(Array(#"{"live":true}"#.utf8))
    }

    /// `GET /v2/health/ready`: follows /readyz, 503 from the first SIGTERM on.
    func ready() -> HTTPResponse {
        lifecycle.current == .ready
            ? Self.json(Array(#"{"ready":true}"#.utf8))
            : Self.json(Array(#"{"ready":false}"#.utf8), status: .serviceUnavailable)
    }

    /// `POST /v2/repository/index`: every model, ready (tritonclient's
    /// `get_model_repository_index`). The body may be empty or `{"ready": true|false}`.
    func repositoryIndex(_ request: HTTPRequest) throws(ServiceError) -> HTTPResponse {
        try Self.checkIndexBody(request.body)
        let state = lifecycle.current == .ready ? "READY" : "UNAVAILABLE"
        var writer = JSONWriter(capacity: 4096)
        writer.beginArray()
        for entry in Catalogue.all {
            writer.beginObject()
            writer.key("name"); writer.string(entry.name)
            writer.key("version"); writer.string(Self.modelVersion)
            writer.key("state"); writer.string(state)
            writer.key("reason"); writer.string("")
            writer.endObject()
        }
        writer.endArray()
        return Self.json(writer.finish())
    }

    // MARK: - Models

    /// `GET /v2/models/{name}[/versions/{version}]`.
    func modelMetadata(_ parameters: HTTPRouteParameters) throws(ServiceError) -> HTTPResponse {
        let model = try Self.model(parameters)
        return Self.json(metadata[model.function] ?? [])
    }

    /// `GET /v2/models/{name}[/versions/{version}]/ready`: 200 while the service is ready.
    func modelReady(_ parameters: HTTPRouteParameters) throws(ServiceError) -> HTTPResponse {
        let model = try Self.model(parameters)
        let ready = lifecycle.current == .ready
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        writer.key("name"); writer.string(model.name)
        writer.key("ready"); writer.bool(ready)
        writer.endObject()
        return Self.json(writer.finish(), status: ready ? .ok : .serviceUnavailable)
    }

    /// `POST /v2/models/{name}[/versions/{version}]/infer`.
    func infer(_ request: HTTPRequest, _ parameters: HTTPRouteParameters) throws(ServiceError) -> HTTPResponse {
        let model = try Self.model(parameters)
        let decoded = try reader.read(
            request.takeBody(), headerLength: request.headers["Inference-Header-Content-Length"], model: model)
        let result = try evaluator.evaluate([decoded.evaluation])[0]
        return InferenceResponseWriter.response(result, for: decoded)
    }

    /// The function a route's `{name}` (and `{version}`, when present) names; 404 otherwise.
    static func model(_ parameters: HTTPRouteParameters) throws(ServiceError) -> FunctionMetadata {
        let name = parameters["name"] ?? ""
        guard let function = ActivationFunction(named: name), let model = Catalogue.metadata(for: function) else {
            throw ServiceError(
                status: .notFound, code: .unknownFunction,
                message: "unknown model '\(name)': the models are the functions of GET /v2/repository/index, "
                    + "by name or alias",
                details: [.init("model", .string(name))])
        }
        if let version = parameters["version"], version != modelVersion {
            throw ServiceError(
                status: .notFound, code: .unknownVersion,
                message: "model '\(model.name)' has no version '\(version)'; its only version is \(modelVersion)",
                details: [.init("model", .string(model.name)), .init("version", .string(version))])
        }
        return model
    }

    private static func checkIndexBody(_ body: [UInt8]) throws(ServiceError) {
        guard body.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return }
        let result = body.withUnsafeBufferPointer { buffer in
            Result { () throws(ServiceError) in
                var scanner = JSONScanner(base: buffer.baseAddress!, count: buffer.count)
                scanner.skipWhitespace()
                try JSONScanner.forEachMember(&scanner, path: JSONPath.root) {
                    (scanner: inout JSONScanner, name, path) throws(ServiceError) in
                    guard name == "ready" else { throw .unknownField(path: path) }
                    _ = try InferenceRequestReader.readBool(&scanner, path: path)
                }
                scanner.skipWhitespace()
                guard scanner.pos == scanner.end else {
                    throw scanner.syntaxError("unexpected \(scanner.describeCurrent()) after the JSON value")
                }
            }
        }
        try result.get()
    }

    static func json(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
    }
}

extension ServiceError.Code {
    /// A model version other than `1` (404).
    public static let unknownVersion = ServiceError.Code(rawValue: "unknown_version")
}

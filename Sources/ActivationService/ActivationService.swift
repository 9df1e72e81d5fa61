import ActivationEngine
import HTTPServer
import Logging
import Prometheus
import Synchronization

/// The service: one route table on the server's router, wrapped in what every request gets:
/// a request id, a log line, metrics labelled by the matched route pattern, and
/// `Connection: close` while draining.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// let service = ActivationService(
///     logger: logger, metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
/// var configuration = HTTPServerConfiguration()
/// configuration.errorResponder = service.errorResponder
/// configuration.onDraining = { service.lifecycle.startDraining() }
/// let server = try HTTPServer(configuration: configuration, handler: service)
/// service.connectionCounter = { server.openConnectionCount }
/// ```
public final class ActivationService: HTTPHandler {
    public let configuration: ServiceConfiguration
    public let lifecycle = Lifecycle()
    public let metrics: ServiceMetrics
    private let logger: Logger
    let router: HTTPRouter
    private let counter = CounterSlot()

    public init(
        configuration: ServiceConfiguration = ServiceConfiguration(), logger: Logger,
        metricsFactory: PrometheusMetricsFactory, registry: PrometheusCollectorRegistry
    ) {
        self.configuration = configuration
        self.logger = logger
        let metrics = ServiceMetrics(factory: metricsFactory)
        self.metrics = metrics
        metrics.kernelBuild(configuration.kernels.rawValue)
        let responder = Self.makeErrorResponder(metrics: metrics)
        var router = HTTPRouter(errorResponder: responder)
        let evaluator = Evaluator(configuration: configuration, metrics: metrics)
        let activate = ActivateRoute(configuration: configuration, evaluator: evaluator)
        let inference = InferenceRoutes(configuration: configuration, evaluator: evaluator, lifecycle: lifecycle)
        let functions = FunctionsRoute()
        let counter = self.counter
        let operations = OperationsRoutes(
            lifecycle: lifecycle, metrics: metrics, registry: registry, version: configuration.version,
            openConnections: { counter.read() })

        // MARK: the route table (the only one: 404, 405 + Allow and metric labels come from it)
        let v1 = { body in Self.answer(metrics, .v1, body) }
        router.add(.post, "/v1/activate", v1 { request, _ throws(ServiceError) in try activate.handle(request) })
        router.add(.get, "/v1/functions", v1 { request, _ throws(ServiceError) in try functions.list(request) })
        router.add(.get, "/v1/functions/{name}", v1 { _, parameters throws(ServiceError) in
            try functions.function(named: parameters["name"] ?? "")
        })
        router.add(.get, "/healthz") { _, _ in operations.health() }
        router.add(.get, "/readyz") { _, _ in operations.readiness() }
        router.add(.get, "/metrics") { _, _ in operations.metricsText() }
        router.add(.get, "/openapi.yaml") { _, _ in operations.openAPI() }

        // The Open Inference Protocol (KServe v2), its errors in the protocol's shape.
        let v2 = { body in Self.answer(metrics, .inference, body) }
        router.add(.get, "/v2") { _, _ in inference.serverMetadata() }
        router.add(.get, "/v2/health/live") { _, _ in inference.live() }
        router.add(.get, "/v2/health/ready") { _, _ in inference.ready() }
        router.add(.post, "/v2/repository/index", v2 { request, _ throws(ServiceError) in try inference.repositoryIndex(request) })
        for prefix in ["/v2/models/{name}", "/v2/models/{name}/versions/{version}"] {
            router.add(.get, prefix, v2 { _, parameters throws(ServiceError) in try inference.modelMetadata(parameters) })
            router.add(.get, prefix + "/ready", v2 { _, parameters throws(ServiceError) in try inference.modelReady(parameters) })
            router.add(.post, prefix + "/infer", v2 { request, parameters throws(ServiceError) in
                try inference.infer(request, parameters)
            })
        }
        self.router = router
        errorResponder = responder
    }

    /// For `HTTPServerConfiguration.errorResponder`: the server's own errors (400, 408, 413,
    /// 414, 431, 501, 503, 505) in the service's JSON shape, counted by code.
    public let errorResponder: @Sendable (HTTPStatus, String, String) -> HTTPResponse

    /// For `HTTPResponseCompression.appliesTo`: which answers may be compressed when the client
    /// accepts it. Under `/v2` only inference answers: `tritonclient.http.aio` sends aiohttp's
    /// default `Accept-Encoding: gzip, deflate` on every call but decompresses only `infer`
    /// answers (Triton compresses nothing else), so a compressed model metadata would break it.
    public static let compressesResponse: @Sendable (HTTPRequest, HTTPResponse) -> Bool = { request, _ in
        ErrorShape(path: request.path) == .v1 || request.path.hasSuffix("/infer")
    }

    /// Where `/metrics` reads the number of open connections (the server, once created).
    public var connectionCounter: (@Sendable () -> Int)? {
        get { counter.provider.withLock { $0 } }
        set { counter.provider.withLock { $0 = newValue } }
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let start = ContinuousClock.now
        metrics.requestStarted()
        let requestID = RequestID.resolve(request.headers["X-Request-Id"])
        var (pattern, response) = route(request)
        response.headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
        if lifecycle.current == .draining {
            // Keep-alive clients should reconnect elsewhere; the server may also close itself.
            response.headers.replaceOrAdd(name: "Connection", value: "close")
        }
        let duration = ContinuousClock.now - start
        // Bounded label sets: the route pattern, never the raw path, and a method token a
        // client invents counts as "other" (both are the client's to choose).
        metrics.requestFinished(
            route: pattern ?? "unmatched", method: router.isKnown(request.method) ? request.method.rawValue : "other",
            status: response.status, duration: duration)
        logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.path)", "status": "\(response.status)",
                "bytes": "\(response.body.count)",
                "duration_ms": "\(Double(duration.nanoseconds) / 1e6)", "request_id": "\(requestID)",
            ])
        return response
    }

    /// A route whose errors are answered in `shape` and counted by code.
    private static func answer(
        _ metrics: ServiceMetrics, _ shape: ErrorShape,
        _ body: @escaping @Sendable (HTTPRequest, HTTPRouteParameters) throws(ServiceError) -> HTTPResponse
    ) -> HTTPRouter.Handler {
        { request, parameters in
            do throws(ServiceError) {
                return try body(request, parameters)
            } catch {
                metrics.errorAnswered(code: error.code.rawValue)
                return error.response(shape)
            }
        }
    }

    /// Answers `request` from the route table; what matches no route is answered in the
    /// error shape of the protocol its path belongs to.
    private func route(_ request: HTTPRequest) -> (pattern: String?, response: HTTPResponse) {
        let error: ServiceError
        let pattern: String?
        var allowed: [HTTPMethod] = []
        switch router.resolve(request) {
        case .route(let matched, let handler, let parameters):
            return (matched, handler(request, parameters))
        case .methodNotAllowed(let matched, let methods):
            (pattern, allowed) = (matched, methods)
            error = ServiceError(
                status: .methodNotAllowed, code: .methodNotAllowed,
                message: "\(request.method) is not allowed on \(request.path)")
        case .notFound:
            pattern = nil
            error = ServiceError(status: .notFound, code: .notFound, message: "no resource at \(request.path)")
        case .notImplemented:
            pattern = nil
            error = ServiceError(
                status: .notImplemented, code: ServiceError.Code(rawValue: "not_implemented"),
                message: "method \(request.method) is not implemented")
        }
        metrics.errorAnswered(code: error.code.rawValue)
        var response = error.response(ErrorShape(path: request.path))
        if !allowed.isEmpty {
            response.headers.replaceOrAdd(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
        }
        return (pattern, response)
    }

    private static func makeErrorResponder(metrics: ServiceMetrics) -> @Sendable (HTTPStatus, String, String) -> HTTPResponse {
        { status, code, message in
            metrics.errorAnswered(code: code)
            return ServiceError(status: status, code: ServiceError.Code(rawValue: code), message: message).response
        }
    }
}

/// Holds the server's connection counter, set once the server exists (after the service).
private final class CounterSlot: Sendable {
    let provider = Mutex<(@Sendable () -> Int)?>(nil)

    func read() -> Int { provider.withLock { $0 }?() ?? 0 }
}

import ActivationEngine
import HTTPServer
import Logging
import Prometheus
import Synchronization

/// The service: one route table on the server's router, wrapped in what every request gets:
/// a CORS preflight answer or an API key check before routing (`CORSPolicy`,
/// `AccessControl`), then a request id, the security and cache headers (`ResponseHeaders`),
/// CORS headers, a log line, metrics labelled by the matched route pattern, and
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
    private let memorySlot = MemorySlot()
    private let access: AccessControl

    public init(
        configuration: ServiceConfiguration = ServiceConfiguration(), logger: Logger,
        metricsFactory: PrometheusMetricsFactory, registry: PrometheusCollectorRegistry
    ) {
        self.configuration = configuration
        self.logger = logger
        let metrics = ServiceMetrics(factory: metricsFactory)
        self.metrics = metrics
        metrics.kernelBuild(configuration.kernels.rawValue)
        access = AccessControl(keys: configuration.apiKeys, publicMetrics: configuration.publicMetrics)
        configuration.apiKeys?.observe { [logger] result in
            metrics.fileReloaded("api_keys", succeeded: (try? result.get()) != nil)
            switch result {
            case .success(let count):
                logger.notice("API keys loaded", metadata: ["keys": "\(count)"])
            case .failure(let error):
                logger.error("API key file refused; the keys loaded before stay in force", metadata: ["error": "\(error)"])
            }
        }
        let responder = Self.makeErrorResponder(metrics: metrics, hsts: configuration.strictTransportSecurity)
        var router = HTTPRouter(errorResponder: responder)
        let evaluator = Evaluator(configuration: configuration, metrics: metrics)
        let activate = ActivateRoute(configuration: configuration, evaluator: evaluator)
        let inference = InferenceRoutes(configuration: configuration, evaluator: evaluator, lifecycle: lifecycle)
        let functions = FunctionsRoute()
        let plot = PlotRoute(evaluator: evaluator)
        let counter = self.counter
        let operations = OperationsRoutes(
            lifecycle: lifecycle, metrics: metrics, registry: registry, version: configuration.version,
            openConnections: { counter.read() }, memory: memorySlot)

        // MARK: the route table (the only one: 404, 405 + Allow and metric labels come from it)
        // Answers fixed for the process's life say so (`fixedForProcess`: max-age=300); every
        // other answer is `no-store` (`ResponseHeaders`).
        let v1 = { body in Self.answer(metrics, .v1, body) }
        router.add(.post, "/v1/activate", v1 { request, _ throws(ServiceError) in try activate.handle(request) })
        router.add(.get, "/v1/functions", v1 { request, _ throws(ServiceError) in try functions.list(request).fixedForProcess() })
        router.add(.get, "/v1/functions/{name}", v1 { _, parameters throws(ServiceError) in
            try functions.function(named: parameters["name"] ?? "").fixedForProcess()
        })
        router.add(.get, "/v1/functions/{name}/plot.svg", v1 { request, parameters throws(ServiceError) in
            try plot.plot(named: parameters["name"] ?? "", query: request.query).fixedForProcess()
        })
        router.add(.get, "/healthz") { _, _ in operations.health() }
        router.add(.get, "/readyz") { _, _ in operations.readiness() }
        router.add(.get, "/metrics") { _, _ in operations.metricsText() }
        router.add(.get, "/openapi.yaml") { _, _ in operations.openAPI().fixedForProcess() }
        // The explorer page and its files (open without an API key: `AccessControl.openPaths`).
        for asset in ExplorerRoutes.assets {
            router.add(.get, asset.path) { _, _ in ExplorerRoutes.response(asset) }
        }

        // The Open Inference Protocol (KServe v2), its errors in the protocol's shape.
        let v2 = { body in Self.answer(metrics, .inference, body) }
        router.add(.get, "/v2") { _, _ in inference.serverMetadata().fixedForProcess() }
        router.add(.get, "/v2/health/live") { _, _ in inference.live() }
        router.add(.get, "/v2/health/ready") { _, _ in inference.ready() }
        router.add(.post, "/v2/repository/index", v2 { request, _ throws(ServiceError) in try inference.repositoryIndex(request) })
        for prefix in ["/v2/models/{name}", "/v2/models/{name}/versions/{version}"] {
            router.add(.get, prefix, v2 { _, parameters throws(ServiceError) in
                try inference.modelMetadata(parameters).fixedForProcess()
            })
            router.add(.get, prefix + "/ready", v2 { _, parameters throws(ServiceError) in try inference.modelReady(parameters) })
            router.add(.post, prefix + "/infer", v2 { request, parameters throws(ServiceError) in
                try inference.infer(request, parameters)
            })
        }
        self.router = router
        errorResponder = responder
    }

    /// For `HTTPServerConfiguration.errorResponder`: the server's own errors (400, 408, 413,
    /// 414, 431, 501, 503, 505) in the service's JSON shape, counted by code; under `/v2` in the
    /// inference protocol's shape, like the routes' own errors.
    public let errorResponder: HTTPErrorResponder

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

    /// Where `/metrics` reads the server's memory budget (the server, once created).
    public var memoryStatus: (@Sendable () -> MemoryBudgetSnapshot)? {
        get { memorySlot.provider.withLock { $0 } }
        set { memorySlot.provider.withLock { $0 = newValue } }
    }

    /// For `HTTPServerConfiguration.workingSetEstimate`: what a request body becomes while it
    /// is handled, bounded from its head (`WorkingSet`), under the server's `maxBodyLength`.
    public func workingSetEstimate(maxBodyLength: Int) -> @Sendable (HTTPRequestHead, Int) -> Int {
        WorkingSet(maxElements: configuration.maxElements, maxBodyLength: maxBodyLength).estimate
    }

    /// For `HTTPServerConfiguration.onTLSReload`: logs each load of the certificate and key,
    /// counts it, and exports the expiry of the certificate in service.
    public func tlsReloaded(_ event: TLSReloadEvent) {
        switch event.result {
        case .success(let certificate):
            metrics.certificateExpires(at: certificate.notAfter)
            if event.trigger != .start { metrics.fileReloaded("tls_certificate", succeeded: true) }
            logger.notice(
                "TLS certificate loaded",
                metadata: [
                    "trigger": "\(event.trigger.rawValue)", "serial": "\(certificate.serialNumber)",
                    "not_after": "\(certificate.notAfter)",
                ])
        case .failure(let error):
            metrics.fileReloaded("tls_certificate", succeeded: false)
            logger.error(
                "TLS certificate or key refused; the previous pair stays in service",
                metadata: ["trigger": "\(event.trigger.rawValue)", "error": "\(error)"])
        }
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let start = ContinuousClock.now
        metrics.requestStarted()
        let requestID = RequestID.resolve(request.headers["X-Request-Id"])
        var (pattern, response) = answer(request)
        ResponseHeaders.apply(to: &response, strictTransportSecurity: configuration.strictTransportSecurity)
        configuration.cors.decorate(&response, for: request)
        response.headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
        if lifecycle.current == .draining {
            // Keep-alive clients should reconnect elsewhere; the server may also close itself.
            response.headers.replaceOrAdd(name: "Connection", value: "close")
        }
        let duration = ContinuousClock.now - start
        // Bounded label sets: the route pattern, never the raw path, and a method token a
        // client invents counts as "other" (both are the client's to choose).
        let known = router.isKnown(request.method) || (request.method == .options && configuration.cors.isEnabled)
        metrics.requestFinished(
            route: pattern ?? "unmatched", method: known ? request.method.rawValue : "other",
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

    /// The steps before the route's handler, in order: a CORS preflight is answered (it never
    /// carries a key, and the router would refuse OPTIONS); a request without a valid API key
    /// is refused; the rest is routed.
    private func answer(_ request: HTTPRequest) -> (pattern: String?, response: HTTPResponse) {
        let resolution = router.resolve(request)
        if let preflight = configuration.cors.preflight(request) {
            return (resolution.pattern, preflight)
        }
        if let refusal = access.refusal(for: request) {
            metrics.authenticationFailed(reason: refusal.rawValue)
            metrics.errorAnswered(code: ServiceError.Code.unauthorized.rawValue)
            return (resolution.pattern, AccessControl.response(refusal, path: request.path))
        }
        return route(request, resolution)
    }

    /// Answers `request` from the route table; what matches no route is answered in the
    /// error shape of the protocol its path belongs to.
    private func route(_ request: HTTPRequest, _ resolution: HTTPRouter.Resolution) -> (pattern: String?, response: HTTPResponse) {
        let error: ServiceError
        let pattern: String?
        var allowed: [HTTPMethod] = []
        switch resolution {
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

    private static func makeErrorResponder(metrics: ServiceMetrics, hsts: Bool) -> HTTPErrorResponder {
        { status, code, message, path in
            metrics.errorAnswered(code: code)
            let error = ServiceError(status: status, code: ServiceError.Code(rawValue: code), message: message)
            var response = error.response(path.map(ErrorShape.init(path:)) ?? .v1)
            ResponseHeaders.apply(to: &response, strictTransportSecurity: hsts)
            return response
        }
    }
}

/// Holds the server's connection counter, set once the server exists (after the service).
private final class CounterSlot: Sendable {
    let provider = Mutex<(@Sendable () -> Int)?>(nil)

    func read() -> Int { provider.withLock { $0 }?() ?? 0 }
}

extension HTTPRouter.Resolution {
    /// The route pattern the path matched, whatever the method: the metrics label.
    var pattern: String? {
        switch self {
        case .route(let pattern, _, _), .methodNotAllowed(let pattern, _): pattern
        case .notFound, .notImplemented: nil
        }
    }
}

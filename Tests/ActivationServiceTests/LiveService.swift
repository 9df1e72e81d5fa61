import ActivationService
import HTTPServer
import Logging
import Prometheus

/// The real service on a real server on 127.0.0.1, port 0 (Go's `httptest.NewServer`).
///
/// Each test gets its own registry and a logger that writes nowhere, so tests neither share
/// metrics nor need a global bootstrap. `configure` adjusts the server's limits per test.
final class LiveService: Sendable {
    let service: ActivationService
    let server: HTTPServer
    let registry: PrometheusCollectorRegistry

    init(
        service configuration: ServiceConfiguration = ServiceConfiguration(),
        configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws {
        let registry = PrometheusCollectorRegistry()
        let service = ActivationService(
            configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
        var serverConfiguration = HTTPServerConfiguration()
        serverConfiguration.host = "127.0.0.1"
        serverConfiguration.port = 0
        serverConfiguration.errorResponder = service.errorResponder
        serverConfiguration.responseCompression.appliesTo = ActivationService.compressesResponse
        serverConfiguration.onDraining = { service.lifecycle.startDraining() }
        serverConfiguration.workingSetEstimate = service.workingSetEstimate(maxBodyLength: serverConfiguration.parserLimits.maxBodyLength)
        configure(&serverConfiguration)
        let server = try HTTPServer(configuration: serverConfiguration, handler: service)
        try server.start()
        service.connectionCounter = { server.openConnectionCount }
        service.memoryStatus = { server.memory }
        self.service = service
        self.server = server
        self.registry = registry
    }

    var port: Int { server.port }

    func client() throws -> TestClient {
        try TestClient(port: port)
    }

    /// One request on a fresh connection.
    func send(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> TestResponse {
        let client = try client()
        defer { client.close() }
        return try client.send(method, target, headers: headers, body: body)
    }

    /// `POST /v1/activate` with a JSON body.
    func activate(_ json: String) throws -> TestResponse {
        try send("POST", "/v1/activate", headers: [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    func stop() async {
        await server.shutdown(grace: .seconds(1))
    }
}

/// Builds requests for calling the service in memory, with defaults for everything.
enum RequestFactory {
    static func make(_ target: String, headers: [(String, String)] = []) -> HTTPRequest {
        make("GET", target, headers: headers)
    }

    static func make(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: String = ""
    ) -> HTTPRequest {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query: [(name: String, value: String)] = parts.count > 1
            ? parts[1].split(separator: "&").map { pair in
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(nameValue[0]), nameValue.count > 1 ? String(nameValue[1]) : "")
            } : []
        return HTTPRequest(
            method: HTTPMethod(method), target: target, path: String(parts[0]), query: query,
            headers: HTTPHeaders([("Host", "test")] + headers), body: Array(body.utf8))
    }

    static func activate(_ json: String, contentType: String = "application/json") -> HTTPRequest {
        make("POST", "/v1/activate", headers: [("Content-Type", contentType)], body: json)
    }

    /// A service with its own registry and a silent logger.
    static func service(_ configuration: ServiceConfiguration = ServiceConfiguration()) -> ActivationService {
        let registry = PrometheusCollectorRegistry()
        return ActivationService(
            configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
    }
}

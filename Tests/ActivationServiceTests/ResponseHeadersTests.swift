import Foundation
import HTTPServer
import Testing

@testable import ActivationService

/// The security and cache headers, on every route of the table, on errors, on the server's
/// own answers, and on an HTML page: over a real socket.
@Suite struct ResponseHeadersTests {
    /// One request per route pattern, and the Cache-Control its successful answer carries.
    static let everyRoute: [(method: String, path: String, pattern: String, body: String, cache: String)] = [
        ("POST", "/v1/activate", "/v1/activate", #"{"function":"relu","inputs":[1]}"#, "no-store"),
        ("GET", "/v1/functions", "/v1/functions", "", "max-age=300"),
        ("GET", "/v1/functions/gelu", "/v1/functions/{name}", "", "max-age=300"),
        ("GET", "/v1/functions/gelu/plot.svg", "/v1/functions/{name}/plot.svg", "", "max-age=300"),
        ("GET", "/", "/", "", "max-age=300"),
        ("GET", "/favicon.svg", "/favicon.svg", "", "max-age=300"),
    ] + ["explorer.css", "main.js", "dom.js", "service.js", "state.js", "chart.js", "panels.js"].map {
        ("GET", "/explorer/\($0)", "/explorer/\($0)", "", "max-age=300")
    } + [
        ("GET", "/healthz", "/healthz", "", "no-store"),
        ("GET", "/readyz", "/readyz", "", "no-store"),
        ("GET", "/metrics", "/metrics", "", "no-store"),
        ("GET", "/openapi.yaml", "/openapi.yaml", "", "max-age=300"),
        ("GET", "/v2", "/v2", "", "max-age=300"),
        ("GET", "/v2/health/live", "/v2/health/live", "", "no-store"),
        ("GET", "/v2/health/ready", "/v2/health/ready", "", "no-store"),
        ("POST", "/v2/repository/index", "/v2/repository/index", "", "no-store"),
        ("GET", "/v2/models/relu", "/v2/models/{name}", "", "max-age=300"),
        ("GET", "/v2/models/relu/ready", "/v2/models/{name}/ready", "", "no-store"),
        ("POST", "/v2/models/relu/infer", "/v2/models/{name}/infer", infer, "no-store"),
        ("GET", "/v2/models/relu/versions/1", "/v2/models/{name}/versions/{version}", "", "max-age=300"),
        ("GET", "/v2/models/relu/versions/1/ready", "/v2/models/{name}/versions/{version}/ready", "", "no-store"),
        ("POST", "/v2/models/relu/versions/1/infer", "/v2/models/{name}/versions/{version}/infer", infer, "no-store"),
    ]
    static let infer = #"{"inputs":[{"name":"x","datatype":"FP64","shape":[2],"data":[-1,2]}]}"#

    /// Sends `route`'s request (JSON bodies with their Content-Type) with `headers` added.
    static func send(
        _ route: (method: String, path: String, pattern: String, body: String, cache: String), to live: LiveService,
        headers: [(String, String)] = []
    ) throws -> TestResponse {
        let json = route.method == "POST" ? [("Content-Type", "application/json")] : []
        return try live.send(route.method, route.path, headers: json + headers, body: Array(route.body.utf8))
    }

    /// The headers of an API answer; `page: true` for the explorer's HTML, whose policy is the page's.
    static func expectAPIHeaders(_ response: TestResponse, cache: String, _ what: String, page: Bool = false) {
        #expect(response.header("X-Content-Type-Options") == "nosniff", "\(what)")
        let policy = page ? ContentSecurityPolicy.page : "default-src 'none'; frame-ancestors 'none'"
        #expect(response.header("Content-Security-Policy") == policy, "\(what)")
        #expect(response.header("Referrer-Policy") == "no-referrer", "\(what)")
        #expect(response.header("Cache-Control") == cache, "\(what)")
        #expect(response.header("Strict-Transport-Security") == nil, "\(what): no HSTS over plain HTTP")
    }

    @Test func everyRouteCarriesTheHeaders() async throws {
        let live = try LiveService()
        // The table above covers the service's whole route table.
        #expect(Set(Self.everyRoute.map(\.pattern)) == Set(live.service.router.patterns))
        for route in Self.everyRoute {
            let response = try Self.send(route, to: live)
            #expect(response.status == 200, "\(route.method) \(route.path): \(response.text)")
            let page = route.path == "/"
            Self.expectAPIHeaders(response, cache: route.cache, "\(route.method) \(route.path)", page: page)
            if route.method == "GET" {
                let head = try live.send("HEAD", route.path)
                Self.expectAPIHeaders(head, cache: route.cache, "HEAD \(route.path)", page: page)
            }
        }
        await live.stop()
    }

    /// Errors are never cached, whatever the route caches when it succeeds.
    @Test func errorsAndTheServersOwnAnswersCarryThemWithNoStore() async throws {
        let live = try LiveService { $0.parserLimits.maxHeaderCount = 5 }
        let errors: [(String, String, Int)] = [
            ("GET", "/v1/functions/nope", 404), ("GET", "/v1/functions?kind=round", 400), ("GET", "/nowhere", 404),
            ("DELETE", "/v1/functions", 405), ("GET", "/v2/models/nope", 404), ("BREW", "/coffee", 501),
        ]
        for (method, path, status) in errors {
            let response = try live.send(method, path)
            #expect(response.status == status, "\(method) \(path)")
            Self.expectAPIHeaders(response, cache: "no-store", "\(method) \(path)")
        }
        // 431 comes from the server's parser, through the service's error responder.
        let client = try live.client()
        let tooMany = (0..<8).map { ("X-Field-\($0)", "1") }
        let response = try client.send("GET", "/healthz", headers: tooMany)
        #expect(response.status == 431)
        Self.expectAPIHeaders(response, cache: "no-store", "431")
        await live.stop()
    }

    /// Served over TLS (the executable sets it then), answers say Strict-Transport-Security.
    @Test func hstsWhenServedOverTLS() {
        var configuration = ServiceConfiguration()
        configuration.strictTransportSecurity = true
        let service = RequestFactory.service(configuration)
        let response = service.handle(RequestFactory.make("/healthz"))
        #expect(response.headers["Strict-Transport-Security"] == "max-age=63072000")
        let error = service.errorResponder(.badRequest, "bad_request", "no", nil)
        #expect(error.headers["Strict-Transport-Security"] == "max-age=63072000")
        #expect(error.headers["X-Content-Type-Options"] == "nosniff")
    }

    /// An HTML answer (the explorer page's) gets the page policy instead of the API's.
    @Test func htmlGetsThePagePolicy() {
        var page = HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8")]), body: [])
        ResponseHeaders.apply(to: &page, strictTransportSecurity: false)
        let policy = page.headers["Content-Security-Policy"] ?? ""
        #expect(policy == ContentSecurityPolicy.page)
        for directive in ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"] {
            #expect(policy.contains(directive))
        }
        #expect(!policy.contains("unsafe-inline") && !policy.contains("*"))
        #expect(page.headers["X-Content-Type-Options"] == "nosniff")
        #expect(page.headers["Cache-Control"] == "no-store")
    }
}

import Foundation
import HTTPServer
import Testing

@testable import ActivationService

/// Cross-origin browser access: off by default; with origins configured, preflights are
/// answered before API keys and routing, and answers to allowed origins carry the headers.
@Suite struct CORSTests {
    static let origin = "https://app.example.com"

    static func liveService(origins: [String], keys: String? = nil) throws -> LiveService {
        var configuration = ServiceConfiguration()
        configuration.cors = CORSPolicy(allowedOrigins: origins)
        if let keys {
            configuration.apiKeys = try APIKeyStore(path: try APIKeyTests.keyFile(keys), reloadCheckInterval: nil)
        }
        return try LiveService(service: configuration)
    }

    static func preflight(_ origin: String, method: String = "POST", headers: String? = nil) -> [(String, String)] {
        [("Origin", origin), ("Access-Control-Request-Method", method)]
            + (headers.map { [("Access-Control-Request-Headers", $0)] } ?? [])
    }

    @Test func offByDefault() async throws {
        let live = try LiveService()
        let preflight = try live.send("OPTIONS", "/v2/models/relu/infer", headers: Self.preflight(Self.origin))
        #expect(preflight.status == 405, "without origins OPTIONS is routed like any method")
        let simple = try live.send("GET", "/v1/functions", headers: [("Origin", Self.origin)])
        #expect(simple.status == 200)
        #expect(simple.header("Access-Control-Allow-Origin") == nil)
        #expect(!(simple.header("Vary") ?? "").contains("Origin"))
        await live.stop()
    }

    @Test func preflightForAnAllowedOriginComesBeforeKeysAndRouting() async throws {
        let live = try Self.liveService(origins: [Self.origin, "http://localhost:3000"], keys: APIKeyTests.key)
        for path in ["/v2/models/relu/infer", "/v1/activate", "/nowhere"] {
            let response = try live.send(
                "OPTIONS", path, headers: Self.preflight(Self.origin, headers: "authorization, content-type, inference-header-content-length"))
            #expect(response.status == 204, "\(path)")
            #expect(response.header("Access-Control-Allow-Origin") == Self.origin)
            #expect(response.header("Access-Control-Allow-Methods") == "GET, HEAD, POST")
            let allowed = (response.header("Access-Control-Allow-Headers") ?? "").lowercased()
            for name in ["content-type", "authorization", "inference-header-content-length", "content-encoding", "x-request-id"] {
                #expect(allowed.contains(name), "\(name) not allowed")
            }
            #expect(response.header("Access-Control-Max-Age") == "7200")
            #expect(response.header("Vary") == "Origin")
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.body.isEmpty)
        }
        // An origin not on the list gets no permission (the browser then refuses the call).
        let stranger = try live.send("OPTIONS", "/v1/activate", headers: Self.preflight("https://evil.example"))
        #expect(stranger.status == 204)
        #expect(stranger.header("Access-Control-Allow-Origin") == nil)
        #expect(stranger.header("Access-Control-Allow-Methods") == nil)
        // OPTIONS that is no preflight (no Access-Control-Request-Method) is an ordinary request.
        let plain = try live.send("OPTIONS", "/v1/activate", headers: [("Origin", Self.origin)] + APIKeyTests.bearer)
        #expect(plain.status == 405)
        await live.stop()
    }

    @Test func answersToAllowedOriginsCarryTheHeadersErrorsIncluded() async throws {
        let live = try Self.liveService(origins: [Self.origin], keys: APIKeyTests.key)
        let ok = try live.send("GET", "/v1/functions/relu", headers: [("Origin", Self.origin)] + APIKeyTests.bearer)
        #expect(ok.status == 200)
        #expect(ok.header("Access-Control-Allow-Origin") == Self.origin)
        let exposed = ok.header("Access-Control-Expose-Headers") ?? ""
        for name in ["X-Request-Id", "Inference-Header-Content-Length", "X-Error-Code", "Link"] {
            #expect(exposed.contains(name))
        }
        #expect(ok.header("Access-Control-Allow-Credentials") == nil)
        #expect(ok.header("Vary")?.hasPrefix("Origin") == true)
        // A 401 is readable by the page too, so it can tell the user to set a key.
        let refused = try live.send("POST", "/v2/models/relu/infer", headers: [("Origin", Self.origin)])
        #expect(refused.status == 401)
        #expect(refused.header("Access-Control-Allow-Origin") == Self.origin)
        // Another origin: the answer is the same but without permission, and still varies by Origin.
        let other = try live.send("GET", "/v1/functions/relu", headers: [("Origin", "https://evil.example")] + APIKeyTests.bearer)
        #expect(other.status == 200)
        #expect(other.header("Access-Control-Allow-Origin") == nil)
        #expect(other.header("Vary")?.hasPrefix("Origin") == true)
        // Compressed answers vary by both.
        let gzip = try live.send(
            "GET", "/v1/functions", headers: [("Origin", Self.origin), ("Accept-Encoding", "gzip")] + APIKeyTests.bearer)
        #expect(gzip.header("Content-Encoding") == "gzip")
        #expect(gzip.header("Vary") == "Origin, Accept-Encoding")
        await live.stop()
    }

    @Test func wildcardAllowsEveryOriginWithoutVary() async throws {
        let live = try Self.liveService(origins: ["*"])
        let preflight = try live.send("OPTIONS", "/v1/activate", headers: Self.preflight("https://anyone.example"))
        #expect(preflight.header("Access-Control-Allow-Origin") == "*")
        let simple = try live.send("GET", "/healthz", headers: [("Origin", "https://anyone.example")])
        #expect(simple.header("Access-Control-Allow-Origin") == "*")
        #expect(simple.header("Vary") == nil)
        let noOrigin = try live.send("GET", "/healthz")
        #expect(noOrigin.header("Access-Control-Allow-Origin") == nil)
        await live.stop()
    }

    @Test func configuredOriginsAreChecked() throws {
        #expect(try CORSPolicy.validate("*").get() == "*")
        #expect(try CORSPolicy.validate("HTTPS://App.Example.com").get() == "https://app.example.com")
        #expect(try CORSPolicy.validate("http://localhost:3000").get() == "http://localhost:3000")
        #expect(try CORSPolicy.validate("http://[::1]:8080").get() == "http://[::1]:8080")
        for bad in ["https://app.example.com/", "app.example.com", "https://", "null", "ftp://x.example", "https://a.example/path", "https://:80"] {
            #expect((try? CORSPolicy.validate(bad).get()) == nil, "\(bad)")
        }
    }
}

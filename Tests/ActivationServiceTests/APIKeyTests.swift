import Foundation
import HTTPServer
import Testing

@testable import ActivationService

/// Optional API keys: off by default; on, every route but the probes and the explorer page's
/// files (and, by choice, `/metrics`) needs `Authorization: Bearer KEY`, answered 401 in each protocol's error shape
/// otherwise; the key file is reloaded when it changes and on request, and a bad file leaves
/// the old keys in force.
@Suite struct APIKeyTests {
    static let key = "k3y-for-tests_0123456789abcdef"
    static let otherKey = "another+key/ABCDEFGHIJKLMNOP=="

    /// A key file in a fresh directory.
    static func keyFile(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("keys").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func liveService(keys: String, publicMetrics: Bool = false, interval: Duration? = nil) throws -> (LiveService, APIKeyStore) {
        let store = try APIKeyStore(path: try keyFile(keys), reloadCheckInterval: interval)
        var configuration = ServiceConfiguration()
        configuration.apiKeys = store
        configuration.publicMetrics = publicMetrics
        return (try LiveService(service: configuration), store)
    }

    static let bearer = [("Authorization", "Bearer \(key)")]
    /// The probes, and the page a browser must load before it can send a key.
    static let openPaths = ["/healthz", "/readyz", "/v2/health/live", "/v2/health/ready", "/", "/favicon.svg"]
        + ["explorer.css", "main.js", "dom.js", "service.js", "state.js", "chart.js", "panels.js"].map { "/explorer/\($0)" }
    static let protectedRoutes = ResponseHeadersTests.everyRoute.filter { !openPaths.contains($0.path) }

    @Test func withoutAKeyFileEveryRouteIsOpen() async throws {
        let live = try LiveService()
        for route in ResponseHeadersTests.everyRoute {
            let response = try ResponseHeadersTests.send(route, to: live)
            #expect(response.status == 200, "\(route.method) \(route.path)")
        }
        await live.stop()
    }

    @Test func everyRouteButTheProbesAndThePageNeedsAKey() async throws {
        let (live, _) = try Self.liveService(keys: "# the test's key\n\(Self.key)\n\n\(Self.otherKey)\n")
        for route in ResponseHeadersTests.everyRoute {
            let open = !Self.protectedRoutes.contains { $0.path == route.path }
            let without = try ResponseHeadersTests.send(route, to: live)
            #expect(without.status == (open ? 200 : 401), "\(route.method) \(route.path) without a key")
            let with = try ResponseHeadersTests.send(route, to: live, headers: Self.bearer)
            #expect(with.status == 200, "\(route.method) \(route.path) with a key")
        }
        // The second key of the file works too; the scheme name is case-insensitive.
        #expect(try live.send("GET", "/v1/functions", headers: [("Authorization", "Bearer \(Self.otherKey)")]).status == 200)
        #expect(try live.send("GET", "/v1/functions", headers: [("Authorization", "bearer \(Self.key)")]).status == 200)
        // Paths no route has are refused the same way: no key, no map of the API.
        #expect(try live.send("GET", "/nowhere").status == 401)
        #expect(try live.send("GET", "/nowhere", headers: Self.bearer).status == 404)
        await live.stop()
    }

    @Test func refusalsSayBearerInEachProtocolsShape() async throws {
        let (live, _) = try Self.liveService(keys: Self.key)
        let v1 = try live.send("GET", "/v1/functions")
        #expect(v1.status == 401)
        #expect(v1.header("WWW-Authenticate") == #"Bearer realm="activation-service""#)
        let v1Error = try #require((try JSONSerialization.jsonObject(with: Data(v1.body)) as? [String: Any])?["error"] as? [String: Any])
        #expect(v1Error["code"] as? String == "unauthorized")
        #expect(v1Error["details"] is [String: Any])

        let wrong = try live.send("POST", "/v2/models/relu/infer", headers: [("Authorization", "Bearer \(Self.otherKey)")],
                                  body: Array(ResponseHeadersTests.infer.utf8))
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate") == #"Bearer realm="activation-service", error="invalid_token""#)
        #expect(wrong.header("X-Error-Code") == "unauthorized")
        let v2Error = try JSONSerialization.jsonObject(with: Data(wrong.body)) as? [String: Any]
        #expect(v2Error?["error"] is String)
        #expect(v2Error?.count == 1)
        #expect(!wrong.text.contains(Self.otherKey), "a presented key is never echoed")

        for value in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer \(Self.key) extra", "Bearer \(Self.key.dropLast())", "\(Self.key)"] {
            #expect(try live.send("GET", "/v2/models/relu", headers: [("Authorization", value)]).status == 401, "\(value)")
        }
        // Two Authorization fields are ambiguous: refused even when one holds a key.
        let twice = try live.send("GET", "/v1/functions", headers: Self.bearer + [("Authorization", "Bearer \(Self.otherKey)")])
        #expect(twice.status == 401)
        await live.stop()
    }

    @Test func metricsNeedAKeyUnlessMadePublicAndCountFailures() async throws {
        let (live, _) = try Self.liveService(keys: Self.key)
        #expect(try live.send("GET", "/metrics").status == 401)
        _ = try live.send("GET", "/v1/functions", headers: [("Authorization", "Bearer \(Self.otherKey)")])
        let text = try live.send("GET", "/metrics", headers: Self.bearer).text
        #expect(text.contains(#"http_auth_failures_total{reason="missing"} 1"#))
        #expect(text.contains(#"http_auth_failures_total{reason="invalid"} 1"#))
        #expect(text.contains(#"http_errors_total{code="unauthorized"} 2"#))
        #expect(!text.contains(Self.key) && !text.contains(Self.otherKey))
        await live.stop()

        let (open, _) = try Self.liveService(keys: Self.key, publicMetrics: true)
        #expect(try open.send("GET", "/metrics").status == 200)
        #expect(try open.send("GET", "/v1/functions").status == 401)
        await open.stop()
    }

    @Test func theKeyFileIsReloadedAndABadOneKeepsTheOldKeys() async throws {
        let (live, store) = try Self.liveService(keys: Self.key, interval: .milliseconds(50))
        let other = [("Authorization", "Bearer \(Self.otherKey)")]
        #expect(try live.send("GET", "/v2", headers: other).status == 401)

        // Replaced the way a mounted secret is: a new file renamed over the old one.
        let replacement = store.path + ".new"
        try Data("\(Self.otherKey)\n".utf8).write(to: URL(fileURLWithPath: replacement))
        #expect(rename(replacement, store.path) == 0)
        #expect(await eventually { (try? live.send("GET", "/v2", headers: other).status) == 200 })
        #expect(try live.send("GET", "/v2", headers: Self.bearer).status == 401, "the retired key no longer works")

        // A file with a line that is not a key is refused as a whole; the keys in force stay.
        try Data("\(Self.key)\nnot a key\n".utf8).write(to: URL(fileURLWithPath: store.path))
        let refused = store.reload()
        guard case .failure(let error) = refused else {
            Issue.record("a bad key file was accepted")
            return
        }
        #expect(error.description.contains("line 2"))
        #expect(!error.description.contains(Self.key))
        #expect(try live.send("GET", "/v2", headers: other).status == 200)
        #expect(try live.send("GET", "/v2", headers: Self.bearer).status == 401)
        let metrics = try live.send("GET", "/metrics", headers: other).text
        #expect(metrics.contains(#"config_reloads_total{file="api_keys",result="success"} 1"#))
        #expect(metrics.contains(#"config_reloads_total{file="api_keys",result="failure"}"#))
        await live.stop()
    }

    @Test func keyFilesAreChecked() throws {
        let good = try APIKeySet(fileContents: Array("  # comment\n\n\t\(Self.key)  \r\n\(Self.otherKey)\n".utf8))
        #expect(good.count == 2)
        #expect(good.contains(Array(Self.key.utf8)))
        #expect(good.contains(Array(Self.otherKey.utf8)))
        #expect(!good.contains(Array(Self.key.dropLast().utf8)))
        #expect(!good.contains(Array((Self.key + "x").utf8)))
        #expect(!good.contains([UInt8]()))
        let refused = [
            "", "# only a comment\n\n", "short\n", "\(Self.key) trailing words\n", "k€y-with-non-ascii-characters\n",
            "=\(Self.key)\n", String(repeating: "a", count: 257),
        ]
        for text in refused {
            #expect(throws: APIKeySet.FileError.self, "\(text.debugDescription)") { try APIKeySet(fileContents: Array(text.utf8)) }
        }
        let many = (0...APIKeySet.maxKeys).map { "key-number-\($0)-padding-padding" }.joined(separator: "\n")
        #expect(throws: APIKeySet.FileError.self) { try APIKeySet(fileContents: Array(many.utf8)) }
        #expect(throws: APIKeySet.FileError.self) { try APIKeyStore(path: "/nonexistent/keys", reloadCheckInterval: nil) }
    }
}

/// Polls `condition` every 20 ms for up to `seconds`.
func eventually(seconds: Double = 5, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

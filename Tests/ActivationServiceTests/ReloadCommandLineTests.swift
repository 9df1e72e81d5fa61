import Foundation
import Testing

/// The executable's SIGHUP and its start-up checks of the new settings: the certificate and
/// the API keys are read again on the signal (file watching off, so only the signal can have
/// done it), a broken pair is logged and the old one keeps serving, and bad settings are
/// refused before anything listens. The TLS clients are the `openssl` and `curl` commands.
@Suite(.serialized) struct ReloadCommandLineTests {
    /// Runs `command` with /bin/sh; returns its standard output.
    @discardableResult
    static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new self-signed pair at `certificate` and `key` (written aside, then renamed into
    /// place); returns its serial number.
    @discardableResult
    static func writePair(_ certificate: String, _ key: String) throws -> String {
        try shell(
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3 -subj /CN=127.0.0.1 "
                + "-keyout '\(key).new' -out '\(certificate).new' && mv '\(key).new' '\(key)' && mv '\(certificate).new' '\(certificate)'")
        return try shell("openssl x509 -noout -serial -in '\(certificate)'").replacingOccurrences(of: "serial=", with: "")
    }

    /// The serial number a new TLS connection to `port` is served.
    static func servedSerial(_ port: Int) throws -> String {
        try shell("openssl s_client -connect 127.0.0.1:\(port) </dev/null 2>/dev/null | openssl x509 -noout -serial")
            .replacingOccurrences(of: "serial=", with: "")
    }

    /// The status of `GET path` over HTTPS with `key` as the Bearer token.
    static func status(_ port: Int, _ path: String, key: String? = nil) throws -> Int {
        let header = key.map { "-H 'Authorization: Bearer \($0)'" } ?? ""
        return Int(try shell("curl -sk -o /dev/null -w '%{http_code}' \(header) https://127.0.0.1:\(port)\(path)")) ?? 0
    }

    @Test func sighupReloadsTheCertificateAndTheAPIKeys() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sighup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/tls.crt", key = directory + "/tls.key", keys = directory + "/api-keys"
        let first = try Self.writePair(certificate, key)
        try Data("\(APIKeyTests.key)\n".utf8).write(to: URL(fileURLWithPath: keys))
        let server = try RunningServer(environment: [
            "HOST": "127.0.0.1", "DRAIN_SECONDS": "0", "TLS_CERTIFICATE": certificate, "TLS_KEY": key,
            "API_KEY_FILE": keys, "RELOAD_CHECK_SECONDS": "0",
        ])
        defer {
            server.process.interrupt()
            server.process.waitUntilExit()
        }
        #expect(try Self.servedSerial(server.port) == first)
        #expect(try Self.status(server.port, "/healthz") == 200)
        // The container's health check probes over HTTPS when the server serves it.
        let port = String(server.port)
        #expect(try CommandLineTests.run(["healthcheck", "--port", port], environment: ["TLS_CERTIFICATE": certificate]).status == 0)
        #expect(try CommandLineTests.run(["healthcheck", "--port", port, "--tls", "on"]).status == 0)
        #expect(try CommandLineTests.run(["healthcheck", "--port", port, "--tls", "off"]).status == 1)
        #expect(try Self.status(server.port, "/v1/functions") == 401)
        #expect(try Self.status(server.port, "/v1/functions", key: APIKeyTests.key) == 200)
        let metrics = try Self.shell(
            "curl -sk -H 'Authorization: Bearer \(APIKeyTests.key)' https://127.0.0.1:\(server.port)/metrics")
        let notAfter = try Self.shell("date -u -d \"$(openssl x509 -noout -enddate -in '\(certificate)' | cut -d= -f2)\" +%s")
        #expect(metrics.contains("tls_certificate_expiry_timestamp_seconds \(notAfter).0"), "\(metrics)")

        // New files; nothing changes until the signal.
        let second = try Self.writePair(certificate, key)
        try Data("\(APIKeyTests.otherKey)\n".utf8).write(to: URL(fileURLWithPath: keys))
        try await Task.sleep(for: .milliseconds(300))
        #expect(try Self.servedSerial(server.port) == first)
        kill(server.process.processIdentifier, SIGHUP)
        #expect(await eventually { (try? Self.servedSerial(server.port)) == second })
        #expect(try Self.status(server.port, "/v1/functions", key: APIKeyTests.otherKey) == 200)
        #expect(try Self.status(server.port, "/v1/functions", key: APIKeyTests.key) == 401)

        // A broken certificate: logged, and the second pair keeps serving.
        try Data("-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n".utf8)
            .write(to: URL(fileURLWithPath: certificate))
        kill(server.process.processIdentifier, SIGHUP)
        #expect(await eventually { server.output.contains("refused") })
        #expect(try Self.servedSerial(server.port) == second)
        #expect(try Self.status(server.port, "/v1/functions", key: APIKeyTests.otherKey) == 200)
        #expect(server.process.isRunning)
        let after = try Self.shell(
            "curl -sk -H 'Authorization: Bearer \(APIKeyTests.otherKey)' https://127.0.0.1:\(server.port)/metrics")
        #expect(after.contains(#"config_reloads_total{file="tls_certificate",result="success"} 1"#), "\(after)")
        #expect(after.contains(#"config_reloads_total{file="tls_certificate",result="failure"} 1"#))
        #expect(after.contains(#"config_reloads_total{file="api_keys",result="success"} 2"#))
        #expect(!server.output.contains(APIKeyTests.key) && !server.output.contains(APIKeyTests.otherKey), "keys never logged")
    }

    @Test func badSettingsAreRefusedBeforeListening() throws {
        let bad: [[String: String]] = [
            ["CORS_ALLOW_ORIGIN": "https://app.example.com/"], ["TLS_PROFILE": "old"], ["RELOAD_CHECK_SECONDS": "-1"],
            ["PUBLIC_METRICS": "yes"], ["API_KEY_FILE": "/nonexistent/keys"],
        ]
        for environment in bad {
            let (status, output) = try CommandLineTests.run([], environment: environment.merging(["PORT": "0"]) { $1 })
            #expect(status != 0, "\(environment)")
            #expect(!output.contains("listening"), "\(environment)")
        }
    }
}

import Foundation
import Synchronization
import Testing

/// The `activation-server` executable as operators and the container run it: flags and their
/// environment variables, the healthcheck subcommand, and the signal sequence.
@Suite(.serialized) struct CommandLineTests {
    /// The executable built next to this test bundle (`swift build --build-tests` builds both).
    static let binary: URL = {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("activation-server")
    }()

    @Test func helpNamesEveryEnvironmentVariable() throws {
        let (status, output) = try Self.run(["serve", "--help"])
        #expect(status == 0)
        // --help wraps lines; compare with every run of whitespace as one space.
        let text = output.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        let variables = [
            "HOST", "PORT", "LOG_LEVEL", "LOG_FORMAT", "DRAIN_SECONDS", "SHUTDOWN_GRACE_SECONDS", "MAX_ELEMENTS",
            "WORKERS", "SCHEDULING", "INLINE_COST", "WORKER_NICE", "TLS_CERTIFICATE", "TLS_KEY", "MAX_BODY_BYTES", "MAX_REQUEST_LINE_BYTES", "MAX_HEADER_BYTES",
            "MAX_HEADER_COUNT", "HEADER_TIMEOUT_SECONDS", "BODY_TIMEOUT_SECONDS", "IDLE_TIMEOUT_SECONDS",
            "WRITE_TIMEOUT_SECONDS", "MAX_CONNECTIONS", "BACKLOG", "KERNELS", "RESPONSE_COMPRESSION", "TLS_PROFILE",
            "RELOAD_CHECK_SECONDS", "API_KEY_FILE", "PUBLIC_METRICS", "CORS_ALLOW_ORIGIN", "MEMORY_BUDGET_BYTES",
            "MEMORY_WAIT_SECONDS",
        ]
        for variable in variables {
            #expect(text.contains("env \(variable)"), "--help does not document \(variable)")
        }
    }

    @Test func invalidEnvironmentIsRefusedBeforeStarting() throws {
        let (status, output) = try Self.run([], environment: ["PORT": "eighty"])
        #expect(status != 0)
        #expect(output.contains("PORT"))
    }

    @Test func anUnknownKernelBuildIsRefusedBeforeStarting() throws {
        let (status, output) = try Self.run([], environment: ["KERNELS": "avx512"])
        #expect(status != 0)
        #expect(output.contains("KERNELS"))
    }

    @Test func anUnknownSchedulingPolicyIsRefusedBeforeStarting() throws {
        let (status, output) = try Self.run([], environment: ["SCHEDULING": "fastest"])
        #expect(status != 0)
        #expect(output.contains("SCHEDULING"))
        let (flagStatus, flagOutput) = try Self.run(["--scheduling", "random"])
        #expect(flagStatus != 0)
        #expect(flagOutput.contains("scheduling"))
    }

    @Test func memoryBudgetComesFromTheEnvironmentAndMustBePositive() throws {
        let (status, output) = try Self.run([], environment: ["MEMORY_BUDGET_BYTES": "0"])
        #expect(status != 0)
        #expect(output.contains("memory-budget-bytes"))
        let server = try RunningServer(
            environment: ["MEMORY_BUDGET_BYTES": "1048576", "HOST": "127.0.0.1", "DRAIN_SECONDS": "0"])
        defer {
            server.process.terminate()
            server.process.waitUntilExit()
        }
        let metrics = try TestClient(port: server.port).send("GET", "/metrics").text
        #expect(metrics.contains("http_memory_budget_bytes 1048576"))
        // A body that with its working set could never fit in 1 MiB: 413 before it is sent.
        let client = try TestClient(port: server.port)
        try client.write(Array(
            "POST /v1/activate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n".utf8))
        #expect(try client.readResponse().status == 413)
    }

    @Test func healthcheckFailsWhenNothingAnswers() throws {
        let (status, _) = try Self.run(["healthcheck", "--port", "1", "--timeout-seconds", "1"])
        #expect(status == 1)
    }

    /// Environment configures the server; SIGTERM: readiness 503 during the drain, then exit 0.
    /// The drain is 3 s so that a loaded machine that stalls the test for a second between the
    /// signal and the next connection still finds the server draining, not gone.
    @Test func sigtermDrainsThenExitsZero() async throws {
        let server = try RunningServer(environment: ["DRAIN_SECONDS": "3", "LOG_FORMAT": "json", "HOST": "127.0.0.1"])
        #expect(try Self.run(["healthcheck", "--port", String(server.port)]).status == 0)
        #expect(try TestClient(port: server.port).send("GET", "/readyz").status == 200)
        let started = ContinuousClock.now
        server.process.terminate()  // SIGTERM
        try await Task.sleep(for: .milliseconds(200))
        // Draining answers close their connections: one connection per request.
        #expect(try TestClient(port: server.port).send("GET", "/readyz").status == 503)
        #expect(try TestClient(port: server.port).send("GET", "/healthz").status == 200)
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
        #expect(ContinuousClock.now - started >= .milliseconds(2900))
        // The JSON log format from LOG_FORMAT: every line is one JSON object.
        let lines = server.output.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] })
    }

    /// Answers are compressed when the client asks, unless RESPONSE_COMPRESSION=off.
    @Test func responseCompressionFollowsTheEnvironment() throws {
        for (setting, expected) in [("on", "gzip"), ("off", nil)] as [(String, String?)] {
            let server = try RunningServer(environment: ["RESPONSE_COMPRESSION": setting, "HOST": "127.0.0.1", "DRAIN_SECONDS": "0"])
            defer {
                server.process.interrupt()
                server.process.waitUntilExit()
            }
            let response = try TestClient(port: server.port).send("GET", "/openapi.yaml", headers: [("Accept-Encoding", "gzip")])
            #expect(response.status == 200)
            #expect(response.header("Content-Encoding") == expected, "RESPONSE_COMPRESSION=\(setting)")
        }
    }

    @Test func secondSignalExitsAtOnce() async throws {
        let server = try RunningServer(environment: ["DRAIN_SECONDS": "60", "HOST": "127.0.0.1"])
        let started = ContinuousClock.now
        server.process.terminate()
        try await Task.sleep(for: .milliseconds(200))
        server.process.interrupt()  // SIGINT
        server.process.waitUntilExit()
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(server.process.terminationStatus == 128 + SIGINT)
    }

    /// Runs the binary to completion and returns its status and combined output.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The executable serving on a kernel-chosen port (PORT=0), found from its "listening" log line.
final class RunningServer: Sendable {
    let process: Process
    let port: Int
    private let collected = LineSink()

    var output: String { collected.lines.joined() }

    init(environment: [String: String]) throws {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["PORT": "0"]) { $1 }) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        var text = ""
        var port: Int?
        let deadline = ContinuousClock.now + .seconds(30)
        while port == nil && ContinuousClock.now < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            port = RunningServer.listeningPort(in: text)
        }
        guard let port else {
            process.terminate()
            throw TestClientError.malformed("no listening line in: \(text)")
        }
        self.process = process
        self.port = port
        let collected = self.collected
        collected.append(text)
        let handle = pipe.fileHandleForReading
        handle.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            collected.append(String(decoding: data, as: UTF8.self))
        }
    }

    /// The port of "address=127.0.0.1:PORT" (text) or "address":"127.0.0.1:PORT" (json).
    static func listeningPort(in text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("listening") }),
            let range = line.firstRange(of: "127.0.0.1:")
        else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}

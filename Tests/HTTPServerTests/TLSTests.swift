import Foundation
import Testing
@testable import HTTPServer

/// HTTPS with a throw-away certificate made by the `openssl` command for each run; the
/// clients are `curl` and `openssl s_client`, independent of the server's own TLS code.
@Suite(.serialized) struct TLSTests {
    /// Runs a command, feeding `input`; returns exit status and standard output.
    @discardableResult
    /// `errors` adds standard error to the output (where s_client reports alerts).
    static func run(_ arguments: [String], input: String = "", errors: Bool = false) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = errors ? stdout : FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// A self-signed certificate and key for 127.0.0.1 in a fresh directory.
    static func makeCertificate() throws -> TLSConfiguration {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let result = try run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", certificate,
        ])
        #expect(result.status == 0)
        return TLSConfiguration(certificatePath: certificate, keyPath: key)
    }

    func withTLSServer(_ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }, _ body: (HTTPServer) throws -> Void) throws {
        let tls = try Self.makeCertificate()
        try withServer(testConfiguration { configuration in
            configuration.tls = tls
            adjust(&configuration)
        }, body)
    }

    @Test func curlGetsTwoResponsesOverOneTLSConnection() throws {
        try withTLSServer { server in
            let url = "https://127.0.0.1:\(server.port)"
            let result = try Self.run([
                "curl", "-sk", "--http1.1", "-w", " connects=%{num_connects} version=%{ssl_version}\n",
                "\(url)/first", "\(url)/second",
            ])
            #expect(result.status == 0)
            #expect(result.output.contains("path=/first"))
            #expect(result.output.contains("path=/second"))
            // The second transfer reused the first connection: keep-alive over TLS.
            #expect(result.output.contains("connects=0"))
            #expect(server.statistics.accepted == 1)
        }
    }

    @Test func postBodyAndPipeliningOverTLS() throws {
        try withTLSServer { server in
            let requests = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            let result = try Self.run(
                ["openssl", "s_client", "-quiet", "-ign_eof", "-connect", "127.0.0.1:\(server.port)"], input: requests)
            #expect(result.output.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
            #expect(result.output.contains("hello"))
            #expect(result.output.contains("path=/b"))
        }
    }

    @Test func malformedRequestOverTLSGets400AndClose() throws {
        try withTLSServer { server in
            let result = try Self.run(
                ["openssl", "s_client", "-quiet", "-ign_eof", "-connect", "127.0.0.1:\(server.port)"],
                input: "GET / HTTP/1.1\r\n\r\n")
            #expect(result.output.hasPrefix("HTTP/1.1 400 Bad Request"))
            #expect(result.output.contains("Connection: close"))
        }
    }

    @Test func onlyTLS12AndNewerAreSpoken() throws {
        try withTLSServer { server in
            let address = "127.0.0.1:\(server.port)"
            let modern = try Self.run(["openssl", "s_client", "-tls1_2", "-connect", address], input: "")
            #expect(modern.output.contains("Protocol  : TLSv1.2") || modern.output.contains("TLSv1.2"))
            let old = try Self.run(
                ["openssl", "s_client", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-connect", address], input: "")
            #expect(old.status != 0)
            #expect(old.output.contains("Cipher is (NONE)"))
        }
    }

    @Test func stalledHandshakeIsClosedAfterItsTimeout() throws {
        try withTLSServer({ $0.tlsHandshakeTimeout = .milliseconds(200) }) { server in
            let client = try TestClient(port: server.port)
            let started = Date()
            #expect(client.readToEnd().isEmpty)
            #expect(Date().timeIntervalSince(started) < 3)
            #expect(eventually { server.openConnectionCount == 0 })
        }
    }

    @Test func badCertificatePathFailsAtInit() {
        var configuration = testConfiguration()
        configuration.tls = TLSConfiguration(certificatePath: "/nonexistent/cert.pem", keyPath: "/nonexistent/key.pem")
        #expect(throws: SocketError.self) {
            _ = try HTTPServer(configuration: configuration, handler: EchoHandler())
        }
    }
}

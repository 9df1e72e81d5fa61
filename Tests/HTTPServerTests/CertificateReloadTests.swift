import Foundation
import Testing
@testable import HTTPServer

/// Certificate rotation while the server runs: new connections get the new certificate (its
/// serial number changes), a keep-alive connection opened before keeps working on the old one,
/// and a broken pair is refused while the current one keeps serving. By an explicit reload
/// (what SIGHUP does in the executable) and by the files changing under a Kubernetes-style
/// `..data` symbolic link swap.
@Suite(.serialized) struct CertificateReloadTests {
    /// A self-signed pair written to `certificate` and `key`; returns its serial number as
    /// `openssl x509 -serial` prints it.
    @discardableResult
    static func writePair(certificate: String, key: String) throws -> String {
        let made = try TLSTests.run([
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", certificate,
        ])
        #expect(made.status == 0)
        let serial = try TLSTests.run(["openssl", "x509", "-noout", "-serial", "-in", certificate]).output
        return serial.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Records every reload event the server reports.
    final class Events: Sendable {
        private let events = Locked<[TLSReloadEvent]>([])
        var all: [TLSReloadEvent] { events.withLock { $0 } }
        func record(_ event: TLSReloadEvent) { events.withLock { $0.append(event) } }
        var failures: Int { all.filter { if case .failure = $0.result { true } else { false } }.count }
    }

    /// One GET on a fresh TLS connection; returns the serial number it was served.
    static func servedSerial(_ server: HTTPServer) throws -> String {
        let client = try TestClient(tlsPort: server.port)
        try client.send(get("/serial"))
        #expect(try client.readResponse().status == 200)
        return client.tls?.peerSerialNumber ?? ""
    }

    @Test func reloadServesNewConnectionsTheNewPairAndKeepsOpenOnes() throws {
        let directory = try Self.temporaryDirectory()
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let first = try Self.writePair(certificate: certificate, key: key)
        let events = Events()
        let configuration = testConfiguration {
            $0.tls = TLSConfiguration(certificatePath: certificate, keyPath: key, reloadCheckInterval: nil)
            $0.onTLSReload = { events.record($0) }
        }
        try withServer(configuration) { server in
            #expect(events.all.map(\.trigger) == [.start])
            #expect(server.tlsCertificate?.serialNumber == first)
            let open = try TestClient(tlsPort: server.port)
            try open.send(get("/before"))
            #expect(try open.readResponse().status == 200)
            #expect(open.tls?.peerSerialNumber == first)

            // Renewed in place (written to temporary names, then renamed over the old files).
            let second = try Self.writePair(certificate: certificate + ".new", key: key + ".new")
            #expect(rename(key + ".new", key) == 0 && rename(certificate + ".new", certificate) == 0)
            let reloaded = server.reloadTLS()
            #expect((try? reloaded?.get())?.serialNumber == second)
            #expect(try Self.servedSerial(server) == second)
            #expect(server.tlsCertificate?.serialNumber == second)

            // The connection opened before still works, on the certificate it was given.
            try open.send(get("/after"))
            let response = try open.readResponse()
            #expect(response.status == 200)
            #expect(response.header("X-Path") == "/after")
            #expect(open.tls?.peerSerialNumber == first)

            // A key that does not match the certificate: refused, the second pair keeps serving.
            try Self.writePair(certificate: certificate + ".other", key: key)
            let broken = server.reloadTLS()
            guard case .failure(let error) = broken else {
                Issue.record("a mismatched pair was accepted")
                return
            }
            #expect(error.description.contains("mismatch"))
            #expect(try Self.servedSerial(server) == second)
            // Garbage where the certificate should be: refused as well.
            try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: certificate))
            #expect(server.reloadTLS().map { (try? $0.get()) == nil } == true)
            #expect(try Self.servedSerial(server) == second)
            #expect(server.tlsCertificate?.serialNumber == second)
            #expect(events.all.map(\.trigger) == [.start, .request, .request, .request])
            #expect(events.failures == 2)
        }
    }

    /// The layout the kubelet makes for a mounted secret: `tls.crt -> ..data/tls.crt`,
    /// `..data -> ..<timestamp>`, and an update is a new timestamped directory and an atomic
    /// rename of a new `..data` link over the old one.
    struct SecretVolume {
        let root: URL
        var certificate: String { root.appendingPathComponent("tls.crt").path }
        var key: String { root.appendingPathComponent("tls.key").path }

        init() throws {
            root = try CertificateReloadTests.temporaryDirectory()
        }

        /// Writes a new version and swaps `..data` to it; returns the certificate's serial.
        /// `mismatchedKey` writes a key of another pair.
        @discardableResult
        func publish(_ version: String, mismatchedKey: Bool = false) throws -> String {
            let directory = root.appendingPathComponent("..\(version)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let certificate = directory.appendingPathComponent("tls.crt").path
            let key = directory.appendingPathComponent("tls.key").path
            let serial = try CertificateReloadTests.writePair(certificate: certificate, key: key)
            if mismatchedKey {
                try CertificateReloadTests.writePair(certificate: certificate + ".unused", key: key)
            }
            let staged = root.appendingPathComponent("..data_tmp").path
            #expect(symlink("..\(version)", staged) == 0)
            #expect(rename(staged, root.appendingPathComponent("..data").path) == 0)
            for name in ["tls.crt", "tls.key"] where !FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path) {
                #expect(symlink("..data/\(name)", root.appendingPathComponent(name).path) == 0)
            }
            return serial
        }
    }

    @Test func aSwappedSecretIsPickedUpWithoutASignal() throws {
        let volume = try SecretVolume()
        let first = try volume.publish("v1")
        let events = Events()
        let configuration = testConfiguration {
            $0.tls = TLSConfiguration(
                certificatePath: volume.certificate, keyPath: volume.key, reloadCheckInterval: .milliseconds(50))
            $0.onTLSReload = { events.record($0) }
        }
        try withServer(configuration) { server in
            let open = try TestClient(tlsPort: server.port)
            try open.send(get("/before"))
            #expect(try open.readResponse().status == 200)
            #expect(open.tls?.peerSerialNumber == first)

            let second = try volume.publish("v2")
            #expect(eventually { server.tlsCertificate?.serialNumber == second })
            #expect(try Self.servedSerial(server) == second)
            #expect(events.all.last?.trigger == .fileChange)
            try open.send(get("/after"))
            #expect(try open.readResponse().status == 200)
            #expect(open.tls?.peerSerialNumber == first)

            // A broken pair is reported once and the second certificate keeps serving.
            try volume.publish("v3", mismatchedKey: true)
            #expect(eventually { events.failures == 1 })
            #expect(try Self.servedSerial(server) == second)
            usleep(300_000)
            #expect(events.failures == 1, "an unchanged broken pair is not retried on every check")

            // Fixed by the next publication.
            let fourth = try volume.publish("v4")
            #expect(eventually { server.tlsCertificate?.serialNumber == fourth })
            #expect(try Self.servedSerial(server) == fourth)
        }
    }

    @Test func watchingStopsWithTheServer() throws {
        let volume = try SecretVolume()
        try volume.publish("v1")
        let events = Events()
        let server = try HTTPServer(
            configuration: testConfiguration {
                $0.tls = TLSConfiguration(
                    certificatePath: volume.certificate, keyPath: volume.key, reloadCheckInterval: .milliseconds(20))
                $0.onTLSReload = { events.record($0) }
            }, handler: EchoHandler())
        try server.start()
        stopBlocking(server, grace: .milliseconds(100))
        try volume.publish("v2")
        usleep(200_000)
        #expect(events.all.map(\.trigger) == [.start])
    }
}

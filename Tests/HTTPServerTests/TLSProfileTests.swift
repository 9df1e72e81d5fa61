import Foundation
import Testing
@testable import HTTPServer

/// What the listener negotiates, asked with `openssl s_client` offering one thing at a time:
/// Mozilla's intermediate profile by default (TLS 1.2 with ECDHE and AEAD suites, TLS 1.3, the
/// curves X25519, P-256 and P-384, the client's cipher order), modern on request (TLS 1.3
/// only), and ALPN with http/1.1 alone.
@Suite(.serialized) struct TLSProfileTests {
    /// `openssl s_client` against the server with `options`; returns whether the handshake
    /// completed and what it printed.
    static func handshake(_ server: HTTPServer, _ options: [String]) throws -> (connected: Bool, output: String) {
        let result = try TLSTests.run(
            ["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)"] + options, input: "", errors: true)
        return (result.status == 0 && !result.output.contains("Cipher is (NONE)"), result.output)
    }

    func withProfile(_ profile: TLSProfile, _ body: (HTTPServer) throws -> Void) throws {
        var tls = try TLSTests.makeCertificate()
        tls.profile = profile
        try withServer(testConfiguration { $0.tls = tls }, body)
    }

    @Test func intermediateTakesOnlyForwardSecretAEADSuitesInTLS12() throws {
        try withProfile(.intermediate) { server in
            for cipher in ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"] {
                let result = try Self.handshake(server, ["-tls1_2", "-cipher", cipher])
                #expect(result.connected, "\(cipher) refused")
                #expect(result.output.contains("Cipher is \(cipher)"))
            }
            // No forward secrecy (RSA key exchange), CBC, or finite-field DHE: the suites sslyze found.
            let refused = [
                "AES128-SHA", "AES256-GCM-SHA384", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384",
                "ECDHE-RSA-AES128-SHA256", "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-CHACHA20-POLY1305",
            ]
            for cipher in refused {
                let result = try Self.handshake(server, ["-tls1_2", "-cipher", cipher])
                #expect(!result.connected, "\(cipher) accepted")
            }
        }
    }

    @Test func intermediateSpeaksTLS13WithItsThreeSuites() throws {
        try withProfile(.intermediate) { server in
            for suite in ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"] {
                let result = try Self.handshake(server, ["-tls1_3", "-ciphersuites", suite])
                #expect(result.connected, "\(suite) refused")
                #expect(result.output.contains("TLSv1.3, Cipher is \(suite)"))
            }
        }
    }

    @Test func onlyTheThreeListedCurvesAreAccepted() throws {
        try withProfile(.intermediate) { server in
            for version in ["-tls1_2", "-tls1_3"] {
                for curve in ["X25519", "prime256v1", "secp384r1", "secp521r1", "X448"] {
                    let accepted = try Self.handshake(server, [version, "-curves", curve]).connected
                    let listed = ["X25519", "prime256v1", "secp384r1"].contains(curve)
                    #expect(accepted == listed, "\(version) \(curve)")
                }
            }
        }
    }

    /// Mozilla's profiles leave the order to the client: offered ChaCha20 first and AES-256
    /// second, the server takes ChaCha20 (its own list has AES-256 first).
    @Test func theClientsCipherOrderWins() throws {
        try withProfile(.intermediate) { server in
            let result = try Self.handshake(
                server, ["-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384"])
            #expect(result.output.contains("Cipher is ECDHE-RSA-CHACHA20-POLY1305"))
            let reversed = try Self.handshake(
                server, ["-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305"])
            #expect(reversed.output.contains("Cipher is ECDHE-RSA-AES256-GCM-SHA384"))
        }
    }

    @Test func modernSpeaksOnlyTLS13() throws {
        try withProfile(.modern) { server in
            let tls13 = try Self.handshake(server, ["-tls1_3"])
            #expect(tls13.connected)
            let tls12 = try Self.handshake(server, ["-tls1_2"])
            #expect(!tls12.connected)
            let suite = try Self.handshake(server, ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"])
            #expect(!suite.connected)
        }
    }

    /// ALPN (RFC 7301): http/1.1 is chosen when offered; a client offering only protocols the
    /// server lacks gets no_application_protocol (§3.2); a client offering none is served.
    @Test func alpnSelectsHTTP11() throws {
        try withProfile(.intermediate) { server in
            let offered = try Self.handshake(server, ["-alpn", "h2,http/1.1"])
            #expect(offered.connected)
            #expect(offered.output.contains("ALPN protocol: http/1.1"))
            let h2Only = try Self.handshake(server, ["-alpn", "h2"])
            #expect(!h2Only.connected)
            #expect(h2Only.output.contains("no application protocol"))
            let none = try Self.handshake(server, [])
            #expect(none.connected)
            #expect(none.output.contains("No ALPN negotiated"))

            // And the in-process client agrees, then speaks HTTP/1.1 on it.
            let client = try TestClient(tlsPort: server.port, alpn: ["h2", "http/1.1"])
            #expect(client.tls?.alpnProtocol == "http/1.1")
            try client.send(get("/alpn"))
            #expect(try client.readResponse().status == 200)
        }
    }
}

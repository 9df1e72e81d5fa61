import COpenSSL

/// Where the server's PEM certificate chain and private key live, which TLS profile it speaks,
/// and how often it looks for a renewed pair.
///
/// Setting `HTTPServerConfiguration.tls` switches the listener to HTTPS with the same limits,
/// timeouts and keep-alive behaviour as plain HTTP. The default value of every field but the
/// paths is what an operator asked to meet Mozilla's intermediate profile would choose.
public struct TLSConfiguration: Sendable, Equatable {
    /// PEM file with the server certificate first, then any intermediates.
    public var certificatePath: String
    /// PEM file with the private key matching the certificate.
    public var keyPath: String
    /// Versions, cipher suites and curves. Default `.intermediate` (Mozilla's recommendation
    /// for servers whose clients are not all known to speak TLS 1.3).
    public var profile: TLSProfile
    /// How often the two files are checked for a change (a new inode, size or modification
    /// time of the file each path resolves to, symbolic links followed), after which the pair
    /// is loaded again for new connections. Default 5 s: a Kubernetes secret swapped under a
    /// mounted volume is in service a few seconds after the kubelet writes it, for one `stat`
    /// per file per check. `nil` turns watching off; `HTTPServer.reloadTLS()` still reloads.
    public var reloadCheckInterval: Duration?

    public init(
        certificatePath: String, keyPath: String, profile: TLSProfile = .intermediate,
        reloadCheckInterval: Duration? = .seconds(5)
    ) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.profile = profile
        self.reloadCheckInterval = reloadCheckInterval
    }
}

/// Mozilla's server-side TLS recommendations (configuration version 5.7,
/// https://ssl-config.mozilla.org/guidelines/5.7.json), as OpenSSL settings.
///
/// Both profiles offer only forward-secret key exchange (ECDHE, or TLS 1.3's) and AEAD ciphers,
/// on the curves X25519, P-256 and P-384 (secp521r1 and X448, which OpenSSL also enables by
/// default, are refused), and let the client's cipher order decide, as the profiles say.
/// Intermediate leaves out the three finite-field DHE suites Mozilla also lists: every client
/// of the profile speaks ECDHE, and DHE costs the server a 2048-bit modular exponentiation per
/// handshake, which a client can ask for at will.
public enum TLSProfile: String, Sendable, Equatable, CaseIterable {
    /// TLS 1.2 with ECDHE and AES-GCM or ChaCha20-Poly1305, and TLS 1.3.
    case intermediate
    /// TLS 1.3 only (clients since about 2018: Firefox 63, Chrome 70, Safari 12.1, Java 11,
    /// OpenSSL 1.1.1).
    case modern

    /// The oldest protocol version spoken (the newest is TLS 1.3 for both).
    var minimumVersion: Int32 {
        switch self {
        case .intermediate: TLS1_2_VERSION
        case .modern: TLS1_3_VERSION
        }
    }

    /// TLS 1.2 suites in OpenSSL's names, in Mozilla's order; the ECDSA ones serve ECDSA
    /// certificates, the RSA ones RSA certificates.
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    /// TLS 1.3 suites (all three the protocol's clients use; the same for both profiles).
    static let tls13Ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

    /// Key exchange groups, in order of preference.
    static let groups = "X25519:prime256v1:secp384r1"
}

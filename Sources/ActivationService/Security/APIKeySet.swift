import COpenSSL

/// The API keys a client may present as `Authorization: Bearer KEY` (RFC 6750 §2.1), read from
/// a file of one key per line.
///
/// The file: surrounding whitespace is trimmed; blank lines and lines starting with `#` are
/// ignored (so keys can be labelled and retired with a comment); every other line is a key of
/// 16 to 256 characters from RFC 6750's `b64token` alphabet (`A-Z a-z 0-9 - . _ ~ + /`, then
/// optional `=` padding): `openssl rand -base64 32` makes one. A file with no key, a line that
/// is not a key, more than `maxKeys` keys or more than `maxFileBytes` bytes is refused as a
/// whole, with the line number and never the line: a key must not reach a log.
///
/// Only SHA-256 digests of the keys are kept. A presented key is digested and compared with
/// every stored digest by `CRYPTO_memcmp`, without stopping at a match, so the time taken says
/// nothing about how much of which key a guess got right, nor about the keys' lengths.
public struct APIKeySet: Sendable {
    /// Most keys one file may hold: each request compares against all of them. 1,000.
    public static let maxKeys = 1_000
    /// Largest key file read. 1 MiB.
    public static let maxFileBytes = 1 << 20
    static let keyLengths = 16...256

    private let digests: [[UInt8]]

    public var count: Int { digests.count }

    /// Why a key file was refused. The description names the line, never its contents.
    public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Parses the contents of a key file.
    public init(fileContents: [UInt8]) throws(FileError) {
        guard fileContents.count <= Self.maxFileBytes else {
            throw FileError(description: "the key file is larger than \(Self.maxFileBytes) bytes")
        }
        var digests: [[UInt8]] = []
        for (index, rawLine) in fileContents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.drop { Self.isSpace($0) }.reversed().drop { Self.isSpace($0) }.reversed()
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            guard Self.keyLengths.contains(line.count), Self.isToken(Array(line)) else {
                throw FileError(
                    description: "line \(index + 1) is not a key (16 to 256 characters of A-Z a-z 0-9 - . _ ~ + / and trailing =)")
            }
            digests.append(Self.digest(Array(line)))
            guard digests.count <= Self.maxKeys else {
                throw FileError(description: "the key file holds more than \(Self.maxKeys) keys")
            }
        }
        guard !digests.isEmpty else {
            throw FileError(description: "the key file holds no key (only blank lines and # comments)")
        }
        self.digests = digests
    }

    /// Whether `key` is one of the set, in time independent of which keys match how far.
    public func contains(_ key: some Collection<UInt8>) -> Bool {
        let presented = Self.digest(Array(key))
        var found = false
        for digest in digests {
            // Both are 32 bytes; CRYPTO_memcmp looks at every byte whatever it finds.
            let equal = presented.withUnsafeBytes { left in
                digest.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, 32) == 0 }
            }
            found = found || equal
        }
        return found
    }

    /// The credentials of an `Authorization` field value, if it is the Bearer scheme (the
    /// scheme's name is case-insensitive, RFC 9110 §11.1) with a well-formed token.
    static func bearerToken(_ value: String) -> Substring.UTF8View? {
        let bytes = value.utf8
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        guard String(value[..<space]).lowercased() == "bearer" else { return nil }
        let rest = value[space...].drop { $0 == " " }
        let token = Array(rest.utf8)
        guard !token.isEmpty, isToken(token) else { return nil }
        return rest.utf8
    }

    /// RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
    static func isToken(_ bytes: [UInt8]) -> Bool {
        let body = bytes.reversed().drop { $0 == UInt8(ascii: "=") }.count
        guard body > 0 else { return false }
        return bytes[..<body].allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"),
                UInt8(ascii: "/"):
                true
            default: false
            }
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let done = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &output, &length, EVP_sha256(), nil)
        }
        precondition(done == 1 && length == 32, "SHA-256 is always available in libcrypto")
        return output
    }
}

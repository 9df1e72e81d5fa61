/// The content codings this server decodes in requests and applies to responses (RFC 9110
/// §8.4.1), both through zlib. "identity" (no coding) is not a case: it is the absence of one.
///
/// - `gzip` is the gzip file format (RFC 1952); "x-gzip" names it too (RFC 9110 §8.4.1.3).
/// - `deflate` is the zlib format (RFC 1950) around deflate data (RFC 1951), as RFC 9110
///   §8.4.1.2 defines it and as clients send it (Python's `zlib.compress`, tritonclient, curl).
///   When decoding, a body that does not begin with a zlib header is read as raw deflate data,
///   which some older clients send under this name; the server itself always sends the zlib
///   format.
public enum HTTPContentCoding: String, Sendable, CaseIterable {
    case gzip
    case deflate

    /// The field value a server lists in `Accept-Encoding` to say what it decodes (RFC 9110
    /// §12.5.3, sent with 415).
    public static let acceptedList = "gzip, deflate"

    /// The coding a lower-case token names; nil for identity and for codings not supported.
    init?(lowercasedToken token: String) {
        switch token {
        case "gzip", "x-gzip": self = .gzip
        case "deflate": self = .deflate
        default: return nil
        }
    }
}

/// Why a request body could not be decoded, and the status that says so.
enum ContentDecodingError: Error, Equatable {
    /// A coding the server does not implement, or too many codings: 415 with
    /// `Accept-Encoding` (RFC 9110 §15.5.16). The message says which.
    case unsupported(String)
    /// The decoded body would pass the body limit: 413, detected before it is allocated.
    case tooLarge(limit: Int)
    /// Corrupt, truncated or followed by bytes that belong to no coding: 400.
    case corrupt(String)
    /// zlib could not get memory for its state: 503, a condition of the server, not the request.
    case outOfMemory

    var status: HTTPStatus {
        switch self {
        case .unsupported: 415
        case .tooLarge: 413
        case .corrupt: 400
        case .outOfMemory: 503
        }
    }

    var message: String {
        switch self {
        case .unsupported(let reason):
            reason
        case .tooLarge(let limit):
            "decoded request body is larger than \(limit) bytes"
        case .corrupt(let reason):
            "request body does not decode: \(reason)"
        case .outOfMemory:
            "no memory to decode the request body"
        }
    }
}

/// The `Content-Encoding` of a request, read as RFC 9110 §8.4 says.
enum ContentEncodingField {
    /// At most this many codings (identity aside) are undone per request: each pass may cost
    /// the body limit in time and memory, and no client stacks more than one.
    static let maxCodings = 2

    /// The codings listed across every Content-Encoding field, in the order they were
    /// applied (RFC 9110 §8.4: "listed in the order in which they were applied"), identity
    /// elements left out. An unknown coding, a malformed element or more than `maxCodings`
    /// codings is `.unsupported`.
    static func codings(_ values: [String]) -> Result<[HTTPContentCoding], ContentDecodingError> {
        var codings: [HTTPContentCoding] = []
        for element in HTTPConnectionSemantics.listElements(values) where element != "identity" {
            guard let coding = HTTPContentCoding(lowercasedToken: element) else {
                let name = element.utf8.allSatisfy(HTTPByteClass.isToken) ? "\"\(element.prefix(40))\"" : "(not a token)"
                return .failure(.unsupported("content coding \(name) is not supported; send gzip, deflate or identity"))
            }
            codings.append(coding)
        }
        guard codings.count <= maxCodings else {
            return .failure(.unsupported("at most \(maxCodings) content codings are decoded, the request has \(codings.count)"))
        }
        return .success(codings)
    }
}

import HTTPServer

/// Cross-origin access for browser clients on other origins (the Fetch standard's CORS
/// protocol), off unless origins are configured.
///
/// - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered
///   here, before API keys and routing: browsers send it without credentials or custom
///   headers, so it could never carry a key, and the router would answer OPTIONS with 405.
///   An allowed origin gets 204 with the methods, headers and `Access-Control-Max-Age`; any
///   other gets 204 without them, which the browser reads as a refusal.
/// - Every other answer to an allowed `Origin` carries `Access-Control-Allow-Origin` and
///   `Access-Control-Expose-Headers`, errors (401 included) too, so a page can read why.
/// - With a list of origins the answer depends on `Origin`, so every answer says
///   `Vary: Origin` and caches keep one copy per origin; with `*` alone it does not.
/// - No `Access-Control-Allow-Credentials`: API keys travel in `Authorization`, which a page
///   sets itself; cookies and browser-managed credentials are never needed. `Authorization`
///   is listed by name because the `*` wildcard of Allow-Headers does not cover it.
public struct CORSPolicy: Sendable, Equatable {
    /// Origins allowed (`https://example.com`, `http://localhost:3000`), or `*` for any.
    /// Empty (the default): no CORS headers at all, and OPTIONS is routed like any method.
    public var allowedOrigins: [String]

    public static let allowedMethods = "GET, HEAD, POST"
    public static let allowedHeaders =
        "Content-Type, Authorization, Inference-Header-Content-Length, Content-Encoding, X-Request-Id"
    /// `Link` points from one function's metadata to the definitions of its properties.
    public static let exposedHeaders = "X-Request-Id, Inference-Header-Content-Length, X-Error-Code, Link"
    /// How long a browser may reuse a preflight answer: two hours, the most Chromium honours
    /// (Firefox allows a day); one preflight then covers a session of inference calls.
    public static let maxAgeSeconds = 7200

    public init(allowedOrigins: [String] = []) {
        self.allowedOrigins = allowedOrigins
    }

    public var isEnabled: Bool { !allowedOrigins.isEmpty }
    private var allowsAny: Bool { allowedOrigins.contains("*") }

    /// Checks one configured origin: `*`, or `scheme://host[:port]` as browsers serialise an
    /// origin (RFC 6454 §6.2: lower case, no path, no trailing slash). Returns it lower-cased.
    public static func validate(_ origin: String) -> Result<String, OriginError> {
        if origin == "*" { return .success(origin) }
        let lowered = origin.lowercased()
        for scheme in ["https://", "http://"] where lowered.hasPrefix(scheme) {
            let authority = lowered.dropFirst(scheme.count)
            let valid = !authority.isEmpty && authority.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }
            if valid && authority.first != ":" { return .success(lowered) }
        }
        return .failure(OriginError(origin: origin))
    }

    public struct OriginError: Error, Sendable, Equatable, CustomStringConvertible {
        public var origin: String
        public var description: String {
            "CORS origin \(origin.debugDescription) must be * or scheme://host[:port] (http or https, no path, no trailing slash)"
        }
    }

    /// The value of `Access-Control-Allow-Origin` for a request from `origin`, or nil.
    private func allowOrigin(for origin: String?) -> String? {
        guard let origin else { return nil }
        if allowsAny { return "*" }
        return allowedOrigins.contains(origin) ? origin : nil
    }

    /// The answer to a preflight, or nil when `request` is not one (or CORS is off).
    func preflight(_ request: HTTPRequest) -> HTTPResponse? {
        guard isEnabled, request.method == .options, request.headers["Origin"] != nil,
            request.headers["Access-Control-Request-Method"] != nil
        else { return nil }
        var response = HTTPResponse(status: .noContent)
        if let allowed = allowOrigin(for: request.headers["Origin"]) {
            response.headers.add(name: "Access-Control-Allow-Origin", value: allowed)
            response.headers.add(name: "Access-Control-Allow-Methods", value: Self.allowedMethods)
            response.headers.add(name: "Access-Control-Allow-Headers", value: Self.allowedHeaders)
            response.headers.add(name: "Access-Control-Max-Age", value: String(Self.maxAgeSeconds))
        }
        return response
    }

    /// Adds the CORS headers an answer to `request` needs.
    func decorate(_ response: inout HTTPResponse, for request: HTTPRequest) {
        guard isEnabled else { return }
        if !allowsAny {
            let vary = response.headers.values(for: "Vary").joined(separator: ", ")
            response.headers.replaceOrAdd(name: "Vary", value: vary.isEmpty ? "Origin" : vary + ", Origin")
        }
        guard request.method != .options || request.headers["Access-Control-Request-Method"] == nil,
            let allowed = allowOrigin(for: request.headers["Origin"])
        else { return }
        response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: allowed)
        response.headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: Self.exposedHeaders)
    }
}

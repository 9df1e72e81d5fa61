import HTTPServer

/// The headers every answer of the service carries, the server's own errors included.
///
/// - `X-Content-Type-Options: nosniff`: a browser takes the declared type, never guesses HTML
///   from a JSON or YAML body.
/// - `Content-Security-Policy`: `ContentSecurityPolicy.page` for HTML (`text/html` answers:
///   the explorer page), `ContentSecurityPolicy.api` for everything else.
/// - `Referrer-Policy: no-referrer`: a page of this service sends no Referer anywhere, and a
///   URL with a model name or query in it never leaves for another site.
/// - `Cache-Control`: whatever the route set (`CachePolicy`), else `no-store`: health, metrics,
///   inference answers and every error are current only at the moment they are made.
/// - `Strict-Transport-Security: max-age=63072000` (two years, Mozilla's figure) when the
///   service is served over TLS, so a browser never tries it over plain HTTP again; no
///   `includeSubDomains`, since the service cannot speak for its domain's other hosts.
enum ResponseHeaders {
    static let hstsValue = "max-age=63072000"

    static func apply(to response: inout HTTPResponse, strictTransportSecurity: Bool) {
        // Taken out of the response so the fields are not shared (no copy on the first change),
        // with room for these five, the request id and Vary: grown at most once, not by doubling.
        var headers = response.headers
        response.headers = HTTPHeaders()
        headers.reserveCapacity(headers.fields.count + 7)
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        let isPage = headers["Content-Type"].map(isHTML) ?? false
        headers.replaceOrAdd(name: "Content-Security-Policy", value: isPage ? ContentSecurityPolicy.page : ContentSecurityPolicy.api)
        headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        if headers["Cache-Control"] == nil || !response.status.isSuccess {
            headers.replaceOrAdd(name: "Cache-Control", value: CachePolicy.noStore)
        }
        if strictTransportSecurity {
            headers.replaceOrAdd(name: "Strict-Transport-Security", value: hstsValue)
        }
        response.headers = headers
    }

    /// Whether a Content-Type starts with `text/html`, in any case (compared byte by byte, no
    /// lowercased copy for every answer).
    static func isHTML(_ contentType: String) -> Bool {
        let expected: StaticString = "text/html"
        var utf8 = contentType.utf8.makeIterator()
        for k in 0..<expected.utf8CodeUnitCount {
            guard var c = utf8.next() else { return false }
            if c >= 0x41 && c <= 0x5A { c += 0x20 }
            if c != expected.utf8Start[k] { return false }
        }
        return true
    }
}

/// Content Security Policies, as reusable pieces.
public enum ContentSecurityPolicy {
    /// For API answers (JSON, YAML, text): nothing in them may load or run anything, and no
    /// page may frame them (OWASP's REST Security Cheat Sheet).
    public static let api = "default-src 'none'; frame-ancestors 'none'"

    /// For the service's HTML pages: scripts, styles, images, fonts and fetches from the
    /// service's own origin only (no inline script or style: pages ship them as files), images
    /// also as `data:` URLs (plots exported as PNG), no plugins, no `<base>` rewriting, forms
    /// only to this origin, and no framing (clickjacking).
    public static let page = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")
}

/// `Cache-Control` values a route sets on its successful answers.
enum CachePolicy {
    /// Answers that are current only when made: health, readiness, metrics, inference, errors.
    static let noStore = "no-store"

    /// Answers fixed for the life of the process: the catalogue (`/v1/functions...`), the
    /// OpenAPI document, server and model metadata under `/v2`. Five minutes: browsers and the
    /// explorer page skip refetching them, and an upgrade that adds a function is seen within
    /// five minutes. Not `public`: with API keys in force a shared cache must not serve an
    /// authorised answer to others (RFC 9111 §3.5), and without them it gains little.
    static let fixedForProcess = "max-age=300"
}

extension HTTPResponse {
    /// The same answer with `Cache-Control: max-age=300` (`CachePolicy.fixedForProcess`).
    func fixedForProcess() -> HTTPResponse {
        var response = self
        response.headers.replaceOrAdd(name: "Cache-Control", value: CachePolicy.fixedForProcess)
        return response
    }
}

extension HTTPStatus {
    var isSuccess: Bool { (200..<300).contains(code) }
}

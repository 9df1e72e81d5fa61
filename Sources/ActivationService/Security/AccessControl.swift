import HTTPServer

/// Who may call what: with API keys configured, every path but the probes, the explorer page's
/// files (and, by choice, `/metrics`) needs `Authorization: Bearer KEY` (RFC 6750).
///
/// The check runs before routing and looks at the path alone, so a client without a key
/// learns nothing about which paths exist: an unknown path is 401 too, not 404. Probes stay
/// open because kubelets and load balancers send no credentials; their answers hold nothing
/// but liveness and readiness.
struct AccessControl: Sendable {
    let keys: APIKeyStore?
    let publicMetrics: Bool

    /// Paths answered without a key: liveness and readiness, in both protocols, and the explorer
    /// page's static files (`ExplorerRoutes.openPaths`: a browser cannot send a key when it
    /// navigates to `/`; the page's API calls and `plot.svg` still need one).
    static let openPaths = Set(["/healthz", "/readyz", "/v2/health/live", "/v2/health/ready"])
        .union(ExplorerRoutes.openPaths)
    /// The realm named in `WWW-Authenticate`.
    static let realm = "activation-service"

    /// Why a request was refused, for the metric's `reason` label.
    enum Refusal: String {
        /// No `Authorization` field, or one of another scheme than Bearer.
        case missing
        /// A Bearer token that is malformed or not one of the keys, or several Authorization fields.
        case invalid
    }

    /// Nil when `request` may go on; otherwise why not.
    func refusal(for request: HTTPRequest) -> Refusal? {
        guard let keys, !Self.openPaths.contains(request.path), !(publicMetrics && request.path == "/metrics") else {
            return nil
        }
        let fields = request.headers.values(for: "Authorization")
        guard let field = fields.first else { return .missing }
        guard fields.count == 1 else { return .invalid }
        guard let token = APIKeySet.bearerToken(field) else {
            // Another scheme (Basic, ...) is no Bearer credential at all (RFC 6750 §3.1).
            return field.lowercased().hasPrefix("bearer ") ? .invalid : .missing
        }
        return keys.accepts(token) ? nil : .invalid
    }

    /// The 401 for `refusal`, in the error shape of the protocol `path` belongs to. The
    /// challenge carries `error="invalid_token"` only when a token was presented (RFC 6750
    /// §3.1: a request without one gets no error code).
    static func response(_ refusal: Refusal, path: String) -> HTTPResponse {
        let message = refusal == .missing
            ? "this service needs an API key: send Authorization: Bearer <key>"
            : "the API key is not valid"
        let error = ServiceError(status: .unauthorized, code: .unauthorized, message: message)
        var response = error.response(ErrorShape(path: path))
        let challenge = refusal == .missing
            ? "Bearer realm=\"\(realm)\""
            : "Bearer realm=\"\(realm)\", error=\"invalid_token\""
        response.headers.replaceOrAdd(name: "WWW-Authenticate", value: challenge)
        return response
    }
}

extension ServiceError.Code {
    /// API keys are configured and the request has none, or one that is not valid (401, with
    /// `WWW-Authenticate: Bearer`).
    public static let unauthorized = ServiceError.Code(rawValue: "unauthorized")
}

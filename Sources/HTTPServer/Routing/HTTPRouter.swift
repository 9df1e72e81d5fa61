/// Maps method and path patterns to handlers, and answers what matches nothing uniformly:
/// `404` for an unknown path, `405` with `Allow` for a known path and another method,
/// `501` for a method no route uses at all (RFC 9110 §15.6.2: the server does not
/// recognise it). Those three go through the same `errorResponder` as the server's own
/// errors, so the service's error shape is the same everywhere.
///
/// ```swift
/// var router = HTTPRouter(errorResponder: configuration.errorResponder)
/// router.add("GET", "/healthz") { _, _ in HTTPResponse(status: 200) }
/// router.add("POST", "/v1/functions/{name}") { request, parameters in ... parameters["name"] ... }
/// ```
/// Patterns are literal segments and `{name}` segments that match one non-empty segment.
/// A `GET` route also answers `HEAD` (the server drops the body), as RFC 9110 §9.3.2 asks.
public struct HTTPRouter: HTTPHandler {
    public typealias Handler = @Sendable (HTTPRequest, HTTPRouteParameters) -> HTTPResponse

    private struct Route: Sendable {
        var method: String
        var pattern: [Segment]
        var handler: Handler
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private var routes: [Route] = []
    private let errorResponder: @Sendable (Int, String, String) -> HTTPResponse

    public init(errorResponder: @escaping @Sendable (Int, String, String) -> HTTPResponse = HTTPServerConfiguration.plainTextError) {
        self.errorResponder = errorResponder
    }

    /// Adds a route; later routes with the same method and pattern never match.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let segments = Self.split(pattern).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
        routes.append(Route(method: method, pattern: segments, handler: handler))
    }

    /// The methods routed for some path, in the order first added (for `Allow`).
    private var knownMethods: Set<String> { Set(routes.map(\.method)).union(routes.contains { $0.method == "GET" } ? ["HEAD"] : []) }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let path = Self.split(request.path)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Self.match(route.pattern, path) else { continue }
            if route.method == request.method || (request.method == "HEAD" && route.method == "GET") {
                return route.handler(request, parameters)
            }
            if !allowed.contains(route.method) { allowed.append(route.method) }
            if route.method == "GET" && !allowed.contains("HEAD") { allowed.append("HEAD") }
        }
        if !knownMethods.contains(request.method) {
            return errorResponder(501, "not_implemented", "method \(request.method) is not implemented")
        }
        if allowed.isEmpty {
            return errorResponder(404, "not_found", "no resource at \(request.path)")
        }
        var response = errorResponder(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
        response.headers.replaceOrAdd(name: "Allow", value: allowed.joined(separator: ", "))
        return response
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func match(_ pattern: [Segment], _ path: [Substring]) -> HTTPRouteParameters? {
        guard pattern.count == path.count else { return nil }
        var parameters = HTTPRouteParameters()
        for (segment, part) in zip(pattern, path) {
            switch segment {
            case .literal(let text):
                guard part == text else { return nil }
            case .parameter(let name):
                parameters.values[name] = String(part)
            }
        }
        return parameters
    }
}

/// Values of a route's `{name}` segments, taken from the percent-decoded path.
public struct HTTPRouteParameters: Sendable, Equatable {
    public fileprivate(set) var values: [String: String] = [:]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> String? { values[name] }
}

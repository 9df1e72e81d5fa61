/// The route table: method and path patterns to handlers. It is the only place that knows
/// which routes exist, so it also answers everything that matches none of them, and tells
/// the caller which pattern matched (a bounded label for metrics and logs):
/// - `404` for a path no route has;
/// - `405` with `Allow` for a path some route has, with any other method. That includes
///   methods no route uses at all: for an existing resource the method is simply not allowed,
///   and `Allow` tells the client what is (a 5xx would blame the server for the client's
///   choice of method);
/// - `501` for a method no route uses, on a path no route has (RFC 9110 §15.6.2: the server
///   does not recognise the method for any resource).
/// Those go through the same `errorResponder` as the server's own errors, so the error shape
/// is the same everywhere.
///
/// ```swift
/// var router = HTTPRouter(errorResponder: configuration.errorResponder)
/// router.add(.get, "/healthz") { _, _ in HTTPResponse(status: .ok) }
/// router.add(.post, "/v1/functions/{name}") { request, parameters in ... parameters["name"] ... }
/// let (pattern, response) = router.route(request)   // pattern: "/v1/functions/{name}", or nil
/// ```
/// Patterns are literal segments and `{name}` segments that match one non-empty segment.
/// A `GET` route also answers `HEAD` (the server drops the body), as RFC 9110 §9.3.2 asks.
public struct HTTPRouter: HTTPHandler {
    public typealias Handler = @Sendable (HTTPRequest, HTTPRouteParameters) -> HTTPResponse

    private struct Route: Sendable {
        var method: HTTPMethod
        var pattern: String
        var segments: [Segment]
        var handler: Handler
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private var routes: [Route] = []
    /// Every method some route answers (HEAD wherever GET is).
    private var knownMethods: Set<HTTPMethod> = []
    private let errorResponder: HTTPErrorResponder

    public init(
        errorResponder: @escaping HTTPErrorResponder = HTTPServerConfiguration.plainTextError
    ) {
        self.errorResponder = errorResponder
    }

    /// Adds a route; later routes with the same method and pattern never match.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        let segments = Self.split(pattern).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
        knownMethods.insert(method)
        if method == .get { knownMethods.insert(.head) }
    }

    /// The route patterns in the order they were added, each once.
    public var patterns: [String] {
        var seen: Set<String> = []
        return routes.compactMap { seen.insert($0.pattern).inserted ? $0.pattern : nil }
    }

    /// Whether `method` is one some route answers; for metrics, where a client-chosen method
    /// token must not become a label value of its own.
    public func isKnown(_ method: HTTPMethod) -> Bool { knownMethods.contains(method) }

    /// What the table says about one request.
    public enum Resolution: Sendable {
        /// A route answers it: call `handler` with `parameters`.
        case route(pattern: String, handler: Handler, parameters: HTTPRouteParameters)
        /// Routes have this path (the first one's pattern), but not this method: 405 with `Allow`.
        case methodNotAllowed(pattern: String, allowed: [HTTPMethod])
        /// No route has this path: 404.
        case notFound
        /// No route has this path and none uses this method: 501.
        case notImplemented
    }

    /// Finds the route for `request` without calling it; the caller answers the failures in
    /// its own error shape (``handle(_:)`` and ``route(_:)`` use `errorResponder`).
    public func resolve(_ request: HTTPRequest) -> Resolution {
        let path = Self.split(request.path)
        var matched: String?
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let parameters = Self.match(route.segments, path) else { continue }
            if route.method == request.method || (request.method == .head && route.method == .get) {
                return .route(pattern: route.pattern, handler: route.handler, parameters: parameters)
            }
            matched = matched ?? route.pattern
            if !allowed.contains(route.method) { allowed.append(route.method) }
            if route.method == .get && !allowed.contains(.head) { allowed.append(.head) }
        }
        if let matched { return .methodNotAllowed(pattern: matched, allowed: allowed) }
        return knownMethods.contains(request.method) ? .notFound : .notImplemented
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        route(request).response
    }

    /// Answers `request` and says which route pattern its path matched (nil for none), whether
    /// or not the method was allowed there.
    public func route(_ request: HTTPRequest) -> (pattern: String?, response: HTTPResponse) {
        switch resolve(request) {
        case .route(let pattern, let handler, let parameters):
            return (pattern, handler(request, parameters))
        case .methodNotAllowed(let pattern, let allowed):
            var response = errorResponder(
                .methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed on \(request.path)", request.path)
            response.headers.replaceOrAdd(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
            return (pattern, response)
        case .notFound:
            return (nil, errorResponder(.notFound, "not_found", "no resource at \(request.path)", request.path))
        case .notImplemented:
            return (nil, errorResponder(.notImplemented, "not_implemented", "method \(request.method) is not implemented", request.path))
        }
    }

    private static func split(_ path: String) -> [Substring] {
        let utf8 = path.utf8
        // An ASCII path (nearly every one) is split on the byte: the same segments as splitting
        // on the Character "/", without grapheme breaking. Elsewhere a "/" followed by a
        // combining mark is one Character, not a separator, so those paths keep the slow way.
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            return path.split(separator: "/", omittingEmptySubsequences: true)
        }
        var segments: [Substring] = []
        segments.reserveCapacity(8)
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                if index != start { segments.append(path[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != utf8.endIndex { segments.append(path[start..<utf8.endIndex]) }
        return segments
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

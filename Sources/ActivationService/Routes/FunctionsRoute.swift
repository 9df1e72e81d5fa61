import ActivationMath
import HTTPServer

/// `GET /v1/functions` (optionally `?kind=elementwise|vector`) and `GET /v1/functions/{name}`.
///
/// The list carries `property_definitions`, the glossary of every key in a function's
/// `properties`, beside `functions`. One function's answer is its metadata object alone, the same
/// bytes as its entry in the list; a `Link: </v1/functions>; rel="describedby"` header (RFC 8288)
/// points to where its properties are defined.
///
/// The catalogue never changes while the process runs, so every answer is written once at
/// start-up and served as stored bytes: browsing costs no more than a health check.
struct FunctionsRoute: Sendable {
    private let list: [UInt8]
    private let listByKind: [FunctionKind: [UInt8]]
    private let byName: [ActivationFunction: [UInt8]]

    init() {
        func render(_ entries: [FunctionMetadata]) -> [UInt8] {
            var writer = JSONWriter(capacity: 64 * 1024)
            writer.beginObject()
            writer.key("functions")
            writer.beginArray()
            for entry in entries { entry.write(to: &writer) }
            writer.endArray()
            writer.key("property_definitions")
            PropertyKey.writeDefinitions(to: &writer)
            writer.endObject()
            return writer.finish()
        }
        list = render(Catalogue.all)
        var listByKind: [FunctionKind: [UInt8]] = [:]
        for kind in FunctionKind.allCases {
            listByKind[kind] = render(Catalogue.all.filter { $0.kind == kind })
        }
        self.listByKind = listByKind
        var byName: [ActivationFunction: [UInt8]] = [:]
        for entry in Catalogue.all {
            var writer = JSONWriter(capacity: 4096)
            entry.write(to: &writer)
            byName[entry.function] = writer.finish()
        }
        self.byName = byName
    }

    func list(_ request: HTTPRequest) throws(ServiceError) -> HTTPResponse {
        guard let kindText = request.query.last(where: { $0.name == "kind" })?.value else {
            return Self.json(list)
        }
        guard let kind = FunctionKind(rawValue: kindText) else {
            throw .invalidQuery(name: "kind", allowed: FunctionKind.allCases.map(\.rawValue))
        }
        return Self.json(listByKind[kind] ?? [])
    }

    func function(named name: String) throws(ServiceError) -> HTTPResponse {
        guard let function = ActivationFunction(named: name), let body = byName[function] else {
            throw .unknownFunction(name)
        }
        return Self.json(body, headers: [("Link", "</v1/functions>; rel=\"describedby\"")])
    }

    static func json(_ body: [UInt8], headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: HTTPHeaders([(name: "Content-Type", value: "application/json")] + headers), body: body)
    }
}

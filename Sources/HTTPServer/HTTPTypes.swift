import Synchronization

/// Header fields in arrival order; names compare case-insensitively, repeated fields are kept.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// Room for `count` fields in all, so a response that gains headers one by one grows its
    /// storage once.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    public mutating func add(name: String, value: String) {
        fields.append((name, value))
    }

    /// Replaces every field called `name` with one.
    public mutating func replaceOrAdd(name: String, value: String) {
        fields.removeAll { HTTPByteClass.namesEqual($0.name, name) }
        fields.append((name, value))
    }

    /// Every value of the fields called `name`, in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { HTTPByteClass.namesEqual($0.name, name) ? $0.value : nil }
    }

    /// The first value of the field called `name`.
    public subscript(name: String) -> String? {
        fields.first { HTTPByteClass.namesEqual($0.name, name) }?.value
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

/// A parsed request, handed to the handler with its whole body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent.
    public var target: String
    /// The path, percent-decoded.
    public var path: String
    /// The query's name/value pairs, percent-decoded, in order.
    public var query: [(name: String, value: String)]
    /// "HTTP/1.1" or "HTTP/1.0".
    public var version: String
    public var headers: HTTPHeaders
    /// The body, already decoded from a gzip or deflate Content-Encoding (that field is then
    /// gone and Content-Length states the decoded length). Empty once `takeBody()` was called.
    public var body: [UInt8] {
        get { bodyStorage.bytes.withLock { $0 } }
        set { bodyStorage = HTTPBodyStorage(newValue) }
    }
    /// Shared by the copies of this request until one sets `body`; `takeBody()` empties it.
    private var bodyStorage: HTTPBodyStorage
    /// The peer's address as text ("127.0.0.1:53122", "[::1]:40000").
    public var remoteAddress: String
    /// What the request weighs, known before any work starts (for scheduling and logs).
    public var cost = HTTPRequestCost()

    public init(
        method: HTTPMethod, target: String, path: String, query: [(name: String, value: String)] = [],
        version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        remoteAddress: String = ""
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.bodyStorage = HTTPBodyStorage(body)
        self.remoteAddress = remoteAddress
    }

    /// Hands the body over and lets go of it: for a handler that reads the body once, so its
    /// buffer is freed as soon as the handler is done with it rather than when the request is
    /// (the server and the handler's callers hold copies of the request until the answer is
    /// built). Every copy of this request that shares the body sees it empty afterwards; a copy
    /// whose `body` was set since keeps its own.
    public func takeBody() -> [UInt8] {
        bodyStorage.bytes.withLock { bytes in
            defer { bytes = [] }
            return bytes
        }
    }
}

/// A request body behind a lock, so `takeBody()` can empty it for every copy of the request.
final class HTTPBodyStorage: Sendable {
    let bytes: Mutex<[UInt8]>

    init(_ bytes: [UInt8]) {
        self.bytes = Mutex(bytes)
    }
}

/// What a request weighs, set by the connection when the request is complete: its body and
/// the memory it holds (body plus the working set `workingSetEstimate` gave it). A scheduler
/// can order work by it; zero for requests built in memory.
public struct HTTPRequestCost: Sendable, Equatable {
    /// Body bytes as received (before any content decoding).
    public var bodyBytes: Int
    /// Bytes of the memory budget the request holds while it is handled.
    public var reservedBytes: Int

    public init(bodyBytes: Int = 0, reservedBytes: Int = 0) {
        self.bodyBytes = bodyBytes
        self.reservedBytes = reservedBytes
    }
}

/// What a handler answers.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Handles one request at a time; called on a worker queue, never on the I/O path.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) -> HTTPResponse
}

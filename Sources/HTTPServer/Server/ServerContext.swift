import Dispatch
import Synchronization

/// What every connection of one server shares: settings, handler, workers, TLS context,
/// the registry of open connections and the counters.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let workers: WorkerPool
    let dateCache = HTTPDateCache()
    /// The certificate and key new connections get; nil for plain HTTP.
    let tls: TLSCertificateStore?
    let lanes: [EventLane]
    let statistics = StatisticsCounters()
    let maxConnections: Int
    /// The process-wide memory budget every connection reserves from.
    let memoryBudget: MemoryBudget

    private let stopping = Atomic<Bool>(false)
    private let nextLane = Atomic<Int>(0)
    private let registry = Locked<[ObjectIdentifier: HTTPConnection]>([:])
    /// Called (outside the registry lock) when the last connection closes during shutdown.
    let onLastConnectionClosed = Locked<(@Sendable () -> Void)?>(nil)

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) throws(SocketError) {
        self.configuration = configuration
        self.handler = handler
        self.workers = WorkerPool(width: configuration.workerCount, label: "http.workers", scheduling: configuration.scheduling)
        self.tls = try configuration.tls.map { (tls) throws(SocketError) in
            try TLSCertificateStore(configuration: tls, onReload: configuration.onTLSReload)
        }
        var lanes: [EventLane] = []
        for index in 0..<max(1, configuration.ioThreadCount) {
            lanes.append(try EventLane(index: index, scheduling: configuration.scheduling))
        }
        self.lanes = lanes
        self.maxConnections = configuration.effectiveMaxConnections
        self.memoryBudget = MemoryBudget(capacity: configuration.effectiveMemoryBudget)
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    func markStopping() {
        stopping.store(true, ordering: .relaxed)
    }

    func nextIOLane() -> EventLane {
        let index = nextLane.wrappingAdd(1, ordering: .relaxed).oldValue
        return lanes[index % lanes.count]
    }

    var openConnectionCount: Int { registry.withLock { $0.count } }

    /// Registers a connection unless the cap is reached; false means answer 503 and close.
    func register(_ connection: HTTPConnection) -> Bool {
        registry.withLock { connections in
            guard connections.count < maxConnections else { return false }
            connections[ObjectIdentifier(connection)] = connection
            return true
        }
    }

    func connectionClosed(_ connection: HTTPConnection) {
        let remaining = registry.withLock { connections -> Int in
            connections[ObjectIdentifier(connection)] = nil
            return connections.count
        }
        statistics.recordClosed()
        if remaining == 0 && isStopping {
            let callback = onLastConnectionClosed.withLock { callback in
                defer { callback = nil }
                return callback
            }
            callback?()
        }
    }

    /// A snapshot of the open connections, to message each on its own queue.
    func openConnections() -> [HTTPConnection] {
        registry.withLock { Array($0.values) }
    }

    /// What `request` is expected to cost, before any work on it starts (`HTTPScheduling.cost`).
    func expectedCost(of request: HTTPRequest) -> Int {
        configuration.scheduling.cost(request)
    }

    /// The response for a status the server produces itself, shaped by `errorResponder`.
    func errorResponse(status: HTTPStatus, code: String? = nil, message: String, path: String? = nil) -> HTTPResponse {
        configuration.errorResponder(status, code ?? status.errorCode, message, path)
    }
}

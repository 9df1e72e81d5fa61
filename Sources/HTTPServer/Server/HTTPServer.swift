import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server (HTTPS with `configuration.tls`, its certificate reloaded while it runs:
/// `TLSCertificateStore`) that hands each request to a handler.
///
/// ```swift
/// let server = try HTTPServer(configuration: configuration, handler: router)
/// try server.start()                  // binds; `server.port` is the real port (also for 0)
/// ...
/// server.beginDraining()              // optional: service reports not-ready first
/// await server.shutdown(grace: .seconds(10))
/// ```
/// Shutdown, step by step: stop accepting and close the listener; close idle keep-alive
/// connections; let requests in flight finish and write their responses with
/// `Connection: close`, then close those connections; after `grace`, close whatever is left.
///
/// Threads: the listener is watched by a Dispatch read source on its own queue (accepting
/// is not the hot path); each accepted connection is handed to one of
/// `ioThreadCount` `EventLane`s (an epoll thread each), and every request's handler runs on
/// the `WorkerPool` (`workerCount` at once, plus express workers for small requests; the
/// order is `configuration.scheduling`'s), together with the decoding of its body's content
/// coding and the compression of its response (`ContentCodingStage.swift`).
public final class HTTPServer: Sendable {
    let context: ServerContext
    private let acceptQueue = DispatchQueue(label: "http.accept", qos: .userInitiated)
    private let lifecycle = Locked<Lifecycle>(Lifecycle())
    /// The listener and its source; touched only on `acceptQueue` once started.
    private let listener = Locked<Listener?>(nil)

    /// `@unchecked Sendable`: the Dispatch source is only used under the `listener` lock.
    private struct Listener: @unchecked Sendable {
        var socket: ListeningSocket
        var source: any DispatchSourceRead
        /// Accepting paused after descriptor exhaustion; resumed before cancel.
        var suspended = false
    }
    private let lingeringRejections = Atomic<Int>(0)

    private struct Lifecycle {
        var state: HTTPServerState = .starting
        var port = 0
        var address = ""
        var stopWaiters: [@Sendable () -> Void] = []
    }

    /// `configuration.tls` is loaded here, so a bad certificate or key fails before binding.
    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), handler: any HTTPHandler) throws(SocketError) {
        context = try ServerContext(configuration: configuration, handler: handler)
    }

    public var state: HTTPServerState { lifecycle.withLock { $0.state } }
    /// The bound port (the kernel's choice when configured with 0); 0 before `start()`.
    public var port: Int { lifecycle.withLock { $0.port } }
    /// The bound address, "127.0.0.1:8080" or "[::1]:8080".
    public var localAddress: String { lifecycle.withLock { $0.address } }
    /// Connections open now.
    public var openConnectionCount: Int { context.openConnectionCount }
    /// Counters since start, for the service's metrics.
    public var statistics: HTTPServerStatistics { context.statistics.snapshot }

    /// The memory budget's numbers now: capacity, bytes in use, requests waiting and refused.
    public var memory: MemoryBudgetSnapshot { context.memoryBudget.snapshot }
    /// The connection cap in force: `maxConnections` capped by the descriptor limit.
    public var maxConnections: Int { context.maxConnections }

    /// The certificate new TLS connections are served; nil for plain HTTP.
    public var tlsCertificate: TLSCertificateSummary? { context.tls?.certificate }

    /// Loads the TLS certificate and key again from their files (the executable calls this on
    /// SIGHUP): new connections get the new pair, open ones keep theirs, and a pair that does
    /// not load is reported and leaves the current one in service. Also reported to
    /// `configuration.onTLSReload`. Nil for plain HTTP.
    @discardableResult
    public func reloadTLS() -> Result<TLSCertificateSummary, SocketError>? {
        context.tls?.reload(.request)
    }

    /// Moves the state machine; every transition goes through here. Returns false (and
    /// changes nothing) when the move is not allowed from the current state.
    @discardableResult
    private func transition(to next: HTTPServerState) -> Bool {
        lifecycle.withLock { life in
            guard life.state.canMove(to: next) else { return false }
            life.state = next
            return true
        }
    }

    /// Binds, listens and starts accepting. `SIGPIPE` is ignored from here on: a peer that
    /// vanishes mid-write must cost one connection, not the process (sends also pass
    /// `MSG_NOSIGNAL`, but OpenSSL writes with plain `write`).
    public func start() throws(SocketError) {
        signal(SIGPIPE, SIG_IGN)
        let configuration = context.configuration
        let socket = try ListeningSocket.listen(
            host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        guard transition(to: .listening) else {
            socket.descriptor.close()
            throw .failed(call: "start (server already started)", errno: EALREADY)
        }
        lifecycle.withLock { life in
            life.port = socket.localAddress.port
            life.address = socket.localAddress.description
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: socket.descriptor.rawValue, queue: acceptQueue)
        source.setEventHandler { [self] in acceptPending() }
        source.setCancelHandler { socket.descriptor.close() }
        context.lanes.forEach { $0.start() }
        context.tls?.startWatching()
        listener.withLock { $0 = Listener(socket: socket, source: source) }
        source.resume()
    }

    /// Listening → draining: keeps serving, and calls `configuration.onDraining` so the
    /// service can report not-ready before `shutdown(grace:)`.
    public func beginDraining() {
        guard transition(to: .draining) else { return }
        context.configuration.onDraining?()
    }

    /// Stops the server gracefully (see the type's documentation) and returns when stopped.
    public func shutdown(grace: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            shutdown(grace: grace) { continuation.resume() }
        }
    }

    /// Callback form of `shutdown(grace:)`; `completion` runs once the server is stopped.
    public func shutdown(grace: Duration, completion: @escaping @Sendable () -> Void) {
        beginDraining()
        let alreadyStopped = lifecycle.withLock { life -> Bool in
            if life.state == .stopped { return true }
            life.stopWaiters.append(completion)
            return false
        }
        if alreadyStopped { return completion() }
        guard transition(to: .stopping) else { return }
        context.onLastConnectionClosed.withLock { $0 = { [self] in finishStopping() } }
        context.markStopping()
        acceptQueue.sync {
            listener.withLock { listener in
                if let current = listener {
                    // A suspended source must be resumed before it is cancelled and released.
                    if current.suspended { current.source.resume() }
                    current.source.cancel()
                }
                listener = nil
            }
        }
        for connection in context.openConnections() {
            connection.lane.execute { connection.beginShutdown() }
        }
        if context.openConnectionCount == 0 { finishStopping() }
        acceptQueue.asyncAfter(deadline: .now() + grace.dispatchInterval) { [self] in
            for connection in context.openConnections() {
                connection.lane.execute { connection.close() }
            }
        }
    }

    /// Suspends until the server is stopped (by `shutdown(grace:)` from elsewhere).
    public func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = lifecycle.withLock { life -> Bool in
                if life.state == .stopped { return true }
                life.stopWaiters.append { continuation.resume() }
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    private func finishStopping() {
        let waiters = lifecycle.withLock { life -> [@Sendable () -> Void]? in
            guard life.state.canMove(to: .stopped) else { return nil }
            life.state = .stopped
            defer { life.stopWaiters = [] }
            return life.stopWaiters
        }
        guard let waiters else { return }
        context.tls?.stopWatching()
        context.lanes.forEach { $0.stop() }
        context.workers.stop()
        waiters.forEach { $0() }
    }

    // MARK: accepting

    /// Accepts everything pending (bounded per event), admitting up to the cap.
    private func acceptPending() {
        guard let socket = listener.withLock({ $0?.socket }) else { return }
        for _ in 0..<256 {
            switch socket.accept() {
            case .connection(let descriptor, let peer):
                admit(descriptor, peer: peer)
            case .none:
                return
            case .skipped:
                continue
            case .exhausted:
                // Out of descriptors: stop accepting for a moment instead of spinning; the
                // pending connections wait in the backlog.
                backOffAccepting()
                return
            }
        }
    }

    private func admit(_ descriptor: FileDescriptor, peer: SocketAddress) {
        let connection = HTTPConnection(
            descriptor: descriptor, remoteAddress: peer.description, lane: context.nextIOLane(), context: context)
        guard context.register(connection) else {
            rejectAtCapacity(descriptor)
            return
        }
        context.statistics.recordAccepted()
        connection.lane.execute { connection.start() }
    }

    /// Beyond the cap: a 503 with `Connection: close`, a half-close, and a short drain so the
    /// client reads the answer rather than a reset. Plain text even for TLS listeners would
    /// be unreadable, so TLS connections beyond the cap are simply closed.
    private func rejectAtCapacity(_ descriptor: FileDescriptor) {
        context.statistics.recordRejected()
        guard context.tls == nil, lingeringRejections.load(ordering: .relaxed) < 256 else {
            descriptor.close()
            return
        }
        var bytes: [UInt8] = []
        var framing = ResponseEncoder.Framing()
        framing.closeConnection = true
        let response = context.errorResponse(status: 503, message: "too many connections")
        ResponseEncoder.encode(response, framing: framing, date: context.dateCache.current(), into: &bytes)
        _ = bytes.withUnsafeBytes { descriptor.send($0) }
        descriptor.shutdownWrite()
        lingeringRejections.add(1, ordering: .relaxed)
        acceptQueue.asyncAfter(deadline: .now() + .milliseconds(200)) { [self] in
            var scratch = [UInt8](repeating: 0, count: 4096)
            while case .bytes = scratch.withUnsafeMutableBytes({ descriptor.read(into: $0) }) {}
            descriptor.close()
            lingeringRejections.subtract(1, ordering: .relaxed)
        }
    }

    private func backOffAccepting() {
        listener.withLock { listener in
            guard listener != nil, listener?.suspended == false else { return }
            listener?.source.suspend()
            listener?.suspended = true
        }
        acceptQueue.asyncAfter(deadline: .now() + .milliseconds(50)) { [self] in
            listener.withLock { listener in
                guard listener?.suspended == true else { return }
                listener?.source.resume()
                listener?.suspended = false
            }
        }
    }
}

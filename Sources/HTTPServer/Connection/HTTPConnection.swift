import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// One client connection: its socket, parser, readiness interest, deadline and output.
///
/// Every mutable property is touched only on the thread of its `EventLane`; handlers run on
/// the worker pool and come back through `lane.execute`. One request is handled at a time:
/// the next pipelined request is parsed only after the current response is written
/// (swift-nio's `HTTPServerPipelineHandler` rule: a client cannot pile up work).
///
/// `@unchecked Sendable`: the class is shared with the worker pool and the server's
/// registry, but they only ever call `lane.execute { ... }` with it; all state below is
/// confined to the lane's single thread, so no two threads touch it at once.
final class HTTPConnection: @unchecked Sendable {
    /// Where the connection is in its life; decides what readiness and deadlines mean.
    enum Phase {
        /// TLS handshake not yet finished.
        case handshaking
        /// Reading and parsing a request (or idle between requests).
        case reading
        /// A complete request is with the handler.
        case handling
        /// A response is being written.
        case writing
        /// Final response sent and write side shut: draining input briefly before close.
        case lingering
        case closed
    }

    let descriptor: FileDescriptor
    let remoteAddress: String
    let lane: EventLane
    let context: ServerContext

    var tls: TLSStream?
    var parser: HTTPRequestParser
    var phase: Phase

    /// Readiness the lane watches for; changed only through `setReading`/`setWriting`.
    private(set) var readEnabled = false
    private(set) var writeEnabled = false
    private var registered = false

    /// When the current phase's time runs out (lane clock, nanoseconds); what happens then
    /// depends on the phase. The lane checks it every `EventLane.sweepNanoseconds`.
    var deadline: UInt64?
    /// The current request's head deadline is running (it starts at its first byte).
    var headDeadlineStarted = true

    /// Bytes to send (interim 100 responses, then the response's head, or a whole small
    /// response), then `outputBody` (a handler's body, sent from its own buffer: no join copy),
    /// and how many of the two together are sent.
    var output: [UInt8] = []
    var outputBody: [UInt8] = []
    var outputSent = 0

    /// Bytes of the memory budget the current request holds (body, working set, then answer).
    var memoryReserved = 0
    /// The budget's ticket while the request waits for memory; reads are paused meanwhile.
    var memoryWait: Int?
    /// The head whose body is being read (for its working-set estimate); nil otherwise.
    var bodyHead: HTTPRequestHead?
    /// `100 Continue` is owed once the request is admitted.
    var continuePending = false
    /// The current request was HEAD: its body is dropped on encoding.
    var respondingToHead = false
    /// Close (lingering) once `output` is flushed instead of reading the next request.
    var closeAfterWrite = false
    /// The peer shut its sending side; no further request can arrive.
    var peerClosedInput = false
    /// `shutdown(grace:)` began: finish what is in flight, then close.
    var shutdownRequested = false
    /// Requests being handled inline on the lane, nested through pipelining (lane only).
    var inlineDepth = 0
    /// TLS: a read needs the socket writable, or a write needs it readable.
    var tlsReadWantsWrite = false
    var tlsWriteWantsRead = false

    init(descriptor: FileDescriptor, remoteAddress: String, lane: EventLane, context: ServerContext) {
        self.descriptor = descriptor
        self.remoteAddress = remoteAddress
        self.lane = lane
        self.context = context
        self.parser = HTTPRequestParser(limits: context.configuration.parserLimits)
        self.phase = context.tls == nil ? .reading : .handshaking
    }

    /// Joins the lane's epoll set and starts reading. Called on the lane's thread.
    func start() {
        // Shutdown may have closed the connection before its first turn on the lane.
        guard phase != .closed else { return }
        if let store = context.tls {
            do {
                // The context current now: a reload later does not change this connection's.
                tls = try TLSStream(context: store.context, descriptor: descriptor)
            } catch {
                close()
                return
            }
            setDeadline(after: context.configuration.tlsHandshakeTimeout)
        } else {
            setDeadline(after: context.configuration.headerReadTimeout)
        }
        guard lane.register(self, reading: true, writing: false) else {
            close()
            return
        }
        registered = true
        readEnabled = true
    }

    // MARK: readiness interest

    /// Starts or stops watching for readability (one `epoll_ctl` when it changes).
    func setReading(_ wanted: Bool) {
        guard wanted != readEnabled, phase != .closed else { return }
        readEnabled = wanted
        if registered { lane.update(self, reading: readEnabled, writing: writeEnabled) }
    }

    func setWriting(_ wanted: Bool) {
        guard wanted != writeEnabled, phase != .closed else { return }
        writeEnabled = wanted
        if registered { lane.update(self, reading: readEnabled, writing: writeEnabled) }
    }

    // MARK: deadlines

    /// Sets (or with nil clears) the current phase's deadline.
    func setDeadline(after duration: Duration?) {
        guard let duration else {
            deadline = nil
            return
        }
        deadline = DispatchTime.now().uptimeNanoseconds &+ duration.nanoseconds
    }

    /// Called by the lane's sweep.
    func checkDeadline(now: UInt64) {
        guard let deadline, deadline <= now, phase != .closed else { return }
        self.deadline = nil
        deadlineExpired()
    }

    /// The current phase ran out of time.
    private func deadlineExpired() {
        switch phase {
        case .reading where memoryWait != nil:
            memoryWaitExpired()
        case .reading where parser.isIdle && !peerClosedInput:
            // Idle keep-alive connection, or a client that never sent a byte: close quietly.
            close()
        case .reading:
            // Part of a head, or a body that stopped arriving: 408 then close (RFC 9110 §15.5.9).
            context.statistics.recordTimeout()
            respondWithServerError(status: 408, message: "request not received in time")
        case .handshaking, .writing, .lingering:
            close()
        case .handling, .closed:
            break
        }
    }

    // MARK: closing

    /// Sends what must be sent, half-closes, and drains input for `errorLingerTimeout` so
    /// the client reads our last response instead of a reset caused by its unread bytes.
    func closeLingering() {
        guard phase != .closed, phase != .lingering else { return }
        phase = .lingering
        setWriting(false)
        tls?.close()
        descriptor.shutdownWrite()
        setDeadline(after: context.configuration.errorLingerTimeout)
        setReading(true)
    }

    /// Closes now: leaves the epoll set, closes the socket, tells the server.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        deadline = nil
        if registered { lane.unregister(self) }
        registered = false
        readEnabled = false
        writeEnabled = false
        tls = nil
        descriptor.close()
        output = []
        outputBody = []
        bodyHead = nil
        releaseMemory()
        context.connectionClosed(self)
    }

    // MARK: server requests

    /// `shutdown(grace:)` started: idle connections close now, busy ones after their response.
    func beginShutdown() {
        shutdownRequested = true
        switch phase {
        case .handshaking:
            close()
        case .reading where parser.isIdle:
            close()
        case .handling, .writing:
            closeAfterWrite = true
        case .reading, .lingering, .closed:
            break
        }
    }
}

extension Duration {
    /// Whole nanoseconds, 0 for negative durations, saturating instead of trapping.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let nanos = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if nanos.overflow { return UInt64.max / 2 }
        return nanos.partialValue + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    /// The duration as a Dispatch interval.
    var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(clamping: nanoseconds))
    }
}

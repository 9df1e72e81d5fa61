import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// One client connection: its socket, parser, readiness sources, deadline and output.
///
/// Every mutable property is touched only on `queue`, the serial I/O queue of the lane the
/// connection was assigned to; handlers run on the worker pool and come back through
/// `queue.async`. One request is handled at a time: the next pipelined request is parsed
/// only after the current response is written (swift-nio's `HTTPServerPipelineHandler` rule).
///
/// `@unchecked Sendable`: the class is shared with the worker pool and the server's
/// registry, but they only ever call `queue.async { ... }` on it; all state below is
/// confined to that serial queue, so no two threads touch it at once.
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
    let queue: DispatchQueue
    let lane: IOLane
    let context: ServerContext

    var tls: TLSStream?
    var parser: HTTPRequestParser
    var phase: Phase

    var readSource: (any DispatchSourceRead)?
    var writeSource: (any DispatchSourceWrite)?
    var readEnabled = false
    var writeEnabled = false
    private var timer: (any DispatchSourceTimer)?
    private var timerFiresAt: DispatchTime?
    private var pendingCancellations = 0

    /// When the current phase's time runs out; what happens then depends on the phase.
    var deadline: DispatchTime?
    /// The current request's head deadline is running (it starts at its first byte).
    var headDeadlineStarted = true

    /// Bytes to send (interim 100 responses, then the response) and how many are sent.
    var output: [UInt8] = []
    var outputSent = 0
    /// The current request was HEAD: its body is dropped on encoding.
    var respondingToHead = false
    /// Close (lingering) once `output` is flushed instead of reading the next request.
    var closeAfterWrite = false
    /// The peer shut its sending side; no further request can arrive.
    var peerClosedInput = false
    /// `shutdown(grace:)` began: finish what is in flight, then close.
    var shutdownRequested = false
    /// TLS: a read needs the socket writable, or a write needs it readable.
    var tlsReadWantsWrite = false
    var tlsWriteWantsRead = false

    init(descriptor: FileDescriptor, remoteAddress: String, lane: IOLane, context: ServerContext) {
        self.descriptor = descriptor
        self.remoteAddress = remoteAddress
        self.lane = lane
        self.queue = lane.queue
        self.context = context
        self.parser = HTTPRequestParser(limits: context.configuration.parserLimits)
        self.phase = context.tlsContext == nil ? .reading : .handshaking
    }

    /// Creates the readiness sources and the timer and starts reading. Called on `queue`.
    func start() {
        let read = DispatchSource.makeReadSource(fileDescriptor: descriptor.rawValue, queue: queue)
        let write = DispatchSource.makeWriteSource(fileDescriptor: descriptor.rawValue, queue: queue)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        read.setEventHandler { [unowned self] in handleReadable() }
        write.setEventHandler { [unowned self] in handleWritable() }
        timer.setEventHandler { [unowned self] in handleTimer() }
        // The descriptor is closed only after both readiness sources are cancelled, so the
        // kernel cannot reuse its number while a source still watches it.
        pendingCancellations = 2
        for source in [read as any DispatchSourceProtocol, write] {
            source.setCancelHandler { [self] in
                pendingCancellations -= 1
                if pendingCancellations == 0 { releaseDescriptor() }
            }
        }
        readSource = read
        writeSource = write
        self.timer = timer
        timer.schedule(deadline: .distantFuture)
        timer.resume()
        if let tlsContext = context.tlsContext {
            do {
                tls = try TLSStream(context: tlsContext, descriptor: descriptor)
            } catch {
                close()
                return
            }
            setDeadline(after: context.configuration.tlsHandshakeTimeout)
        } else {
            setDeadline(after: context.configuration.headerReadTimeout)
        }
        setReading(true)
    }

    // MARK: readiness interest

    /// Starts or stops watching for readability; balanced suspend/resume of the source.
    func setReading(_ wanted: Bool) {
        guard let readSource, wanted != readEnabled else { return }
        readEnabled = wanted
        if wanted { readSource.resume() } else { readSource.suspend() }
    }

    func setWriting(_ wanted: Bool) {
        guard let writeSource, wanted != writeEnabled else { return }
        writeEnabled = wanted
        if wanted { writeSource.resume() } else { writeSource.suspend() }
    }

    // MARK: deadlines

    /// Sets the phase deadline. The timer is moved only when the new deadline is earlier
    /// than the one it is set for: later deadlines are picked up when it fires, so a busy
    /// keep-alive connection does not reprogram the timer for every request.
    func setDeadline(after duration: Duration?) {
        guard let duration else {
            deadline = nil
            return
        }
        let when = DispatchTime.now() + duration.dispatchInterval
        deadline = when
        if let timerFiresAt, timerFiresAt <= when { return }
        timerFiresAt = when
        timer?.schedule(deadline: when)
    }

    private func handleTimer() {
        timerFiresAt = nil
        guard let deadline, phase != .closed else { return }
        if deadline > DispatchTime.now() {
            timerFiresAt = deadline
            timer?.schedule(deadline: deadline)
            return
        }
        self.deadline = nil
        deadlineExpired()
    }

    /// The current phase ran out of time.
    private func deadlineExpired() {
        switch phase {
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

    /// Closes now: cancels the sources (the descriptor closes when both have stopped).
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        deadline = nil
        timer?.cancel()
        timer = nil
        // A suspended source must be resumed before it can be cancelled and released.
        if let readSource {
            if !readEnabled { readSource.resume() }
            readSource.cancel()
        }
        if let writeSource {
            if !writeEnabled { writeSource.resume() }
            writeSource.cancel()
        }
        readEnabled = false
        writeEnabled = false
        if readSource == nil { releaseDescriptor() }
        output = []
        context.connectionClosed(self)
    }

    private func releaseDescriptor() {
        tls = nil
        descriptor.close()
        readSource = nil
        writeSource = nil
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
    /// The duration as a Dispatch interval in nanoseconds, saturating instead of trapping.
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if nanos.overflow || seconds < 0 { return seconds < 0 ? .nanoseconds(0) : .never }
        return .nanoseconds(Int(clamping: nanos.partialValue + attoseconds / 1_000_000_000))
    }
}

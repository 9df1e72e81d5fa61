import Dispatch

/// Reading: readiness → bytes → parser → handler, with the limits that keep a client from
/// holding more than its share of memory or time.
extension HTTPConnection {
    /// Reads are capped per readiness event so one busy connection cannot starve the others
    /// sharing its I/O lane.
    private static let readsPerEvent = 8
    /// Pipelined requests handled inline one inside another's write before the next goes to
    /// the pool (which breaks the recursion).
    private static let maxInlineDepth = 4

    /// Whether bytes from the socket are wanted now: always while reading a request; while a
    /// request is handled or answered, only until `maxPipelinedBytes` of the next are buffered
    /// (after that TCP flow control pushes back on the client).
    var wantsInput: Bool {
        if peerClosedInput { return false }
        switch phase {
        case .reading:
            return memoryWait == nil
        case .handshaking, .lingering:
            return true
        case .handling, .writing:
            return !closeAfterWrite && parser.bufferedByteCount < context.configuration.maxPipelinedBytes
        case .closed:
            return false
        }
    }

    func handleReadable() {
        switch phase {
        case .handshaking:
            continueHandshake()
        case .lingering:
            drainLingeringInput()
        case .closed:
            return
        case .reading, .handling, .writing:
            if tlsWriteWantsRead {
                tlsWriteWantsRead = false
                flushOutput()
            }
            readAvailable()
        }
    }

    private func continueHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done:
            phase = .reading
            setWriting(false)
            setDeadline(after: context.configuration.headerReadTimeout)
            setReading(true)
            readAvailable()
        case .wouldBlock(let wantsWrite):
            setWriting(wantsWrite)
            setReading(!wantsWrite)
        case .failed:
            close()
        }
    }

    /// Reads what the socket (and, for TLS, OpenSSL's buffer) holds, feeding the parser.
    ///
    /// Heads (and whatever arrives with them) are read into the lane's buffer and copied into
    /// the parser's. The rest of a Content-Length body, once admitted, is read straight into
    /// the body's final buffer (`HTTPRequestParser.readBodyDirectly`): no copy on our side,
    /// and one `read` takes as much as the socket holds, not 64 KiB at a time.
    func readAvailable() {
        let buffer = lane.readBuffer
        var reads = 0
        reading: while wantsInput && phase != .lingering {
            reads += 1
            let result: IOResult
            let room: Int
            let directRoom = phase == .reading ? parser.directBodyRoom : 0
            if directRoom > 0 {
                room = directRoom
                var outcome = IOResult.wouldBlock(wantsWrite: false)
                parser.readBodyDirectly { [tls, descriptor] storage in
                    outcome = tls.map { $0.read(into: storage) } ?? descriptor.read(into: storage)
                    if case .bytes(let count) = outcome { return count }
                    return 0
                }
                result = outcome
                if case .bytes(let count) = result { context.statistics.recordReadInPlace(count) }
            } else {
                room = buffer.count
                result = tls.map { $0.read(into: buffer) } ?? descriptor.read(into: buffer)
                if case .bytes(let count) = result {
                    parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
            }
            switch result {
            case .bytes(let count):
                if phase == .reading { processInput() }
                let tlsHasMore = (tls?.pendingBytes ?? 0) > 0
                if !tlsHasMore && count < room { break reading }
                if reads >= Self.readsPerEvent {
                    // Let other connections run; come back for the rest.
                    if tlsHasMore { lane.execute { [self] in handleReadable() } }
                    break reading
                }
            case .wouldBlock(let wantsWrite):
                if wantsWrite {
                    tlsReadWantsWrite = true
                    setWriting(true)
                }
                break reading
            case .endOfFile:
                peerClosedInput = true
                inputEnded()
                return
            case .failed:
                close()
                return
            }
        }
        if phase != .closed && phase != .lingering { setReading(wantsInput) }
    }

    /// Takes events from the parser until it needs more bytes or hands out a request.
    func processInput() {
        while phase == .reading {
            switch parser.next() {
            case .needMoreData:
                // A chunked body reserves more as its chunk sizes announce it growing.
                if parser.isReadingBody && !coverMemory() { return }
                armReadDeadline()
                return
            case .head(let head):
                bodyHead = head
                continuePending = head.expectsContinue
                // Admission before a byte of the body is read or asked for.
                guard coverMemory() else { return }
                if continuePending {
                    continuePending = false
                    // RFC 9110 §10.1.1: the client waits for this before sending the body.
                    output.append(contentsOf: ResponseEncoder.continueResponse)
                    flushOutput()
                }
            case .request(var request):
                request.remoteAddress = remoteAddress
                request.cost = HTTPRequestCost(
                    bodyBytes: request.body.count, reservedBytes: memoryReserved)
                bodyHead = nil
                startHandling(request)
                return
            case .error(let error):
                context.statistics.recordParseError()
                respondWithServerError(status: error.status, message: error.reason, path: parser.headPath)
                return
            }
        }
    }

    /// While reading: a body must keep arriving, a head must complete in time from its first
    /// byte, and an idle connection keeps the deadline it was given when it became idle.
    private func armReadDeadline() {
        if parser.isReadingBody {
            setDeadline(after: context.configuration.bodyProgressTimeout)
        } else if !parser.isIdle && !headDeadlineStarted {
            headDeadlineStarted = true
            setDeadline(after: context.configuration.headerReadTimeout)
        }
    }

    /// The client shut its sending side. A response already owed is still written.
    private func inputEnded() {
        switch phase {
        case .reading:
            // Between requests this is the normal end; mid-request the client gave up.
            close()
        case .handling, .writing:
            setReading(false)
        case .handshaking, .lingering, .closed:
            close()
        }
    }

    /// After the final response: discard whatever arrives until end of file or the deadline.
    private func drainLingeringInput() {
        let buffer = lane.readBuffer
        for _ in 0..<Self.readsPerEvent {
            switch descriptor.read(into: buffer) {
            case .bytes:
                continue
            case .wouldBlock:
                return
            case .endOfFile, .failed:
                close()
                return
            }
        }
    }

    // MARK: handing requests to the handler

    private func startHandling(_ request: HTTPRequest) {
        phase = .handling
        deadline = nil
        respondingToHead = request.method == "HEAD"
        let keepAlive = request.keepAlive && !shutdownRequested && !context.isStopping
        closeAfterWrite = !keepAlive
        let announceKeepAlive = keepAlive && request.version == "HTTP/1.0"
        setReading(wantsInput)
        let context = context
        let cost = context.expectedCost(of: request)
        if inlineDepth < Self.maxInlineDepth, cost <= lane.inlineAllowance,
           context.configuration.scheduling.runsInline(request, cost: cost) {
            // Handled here, on the I/O thread: no hand-off to a worker and back. The depth
            // bound stops a long pipeline of inline requests from recursing without end
            // (the answer's write goes on to the next buffered request).
            lane.inlineAllowance -= cost
            context.statistics.recordInline()
            inlineDepth += 1
            defer { inlineDepth -= 1 }
            finishHandling(context.respond(to: request), announceKeepAlive: announceKeepAlive)
            return
        }
        context.workers.submit(cost: cost) { [self] in
            // Content codings are undone and applied here, on the worker, with the handler.
            let response = context.respond(to: request)
            lane.execute { [self] in
                finishHandling(response, announceKeepAlive: announceKeepAlive)
            }
        }
    }

    private func finishHandling(_ response: HTTPResponse, announceKeepAlive: Bool) {
        guard phase == .handling else { return }
        context.statistics.recordResponse()
        if shutdownRequested || context.isStopping { closeAfterWrite = true }
        // A handler may close the connection after its response (RFC 9112 §9.6): the service
        // does so while draining, so keep-alive clients move to other instances early.
        if HTTPConnectionSemantics.listElements(response.headers.values(for: "Connection")).contains("close") {
            closeAfterWrite = true
        }
        var framing = ResponseEncoder.Framing()
        framing.isHeadRequest = respondingToHead
        framing.closeConnection = closeAfterWrite
        framing.announceKeepAlive = announceKeepAlive && !closeAfterWrite
        if ResponseEncoder.encodeHead(response, framing: framing, date: context.dateCache.current(), into: &output) {
            outputBody = response.body
        }
        // The handler's memory is free now; the answer is what this request still holds.
        settleMemory(answerBytes: output.count + outputBody.count)
        phase = .writing
        flushOutput()
    }

    /// Answers with a status the server makes itself (through `errorResponder`), then closes.
    func respondWithServerError(
        status: HTTPStatus, code: String? = nil, message: String, headers: [(String, String)] = [], path: String? = nil
    ) {
        guard phase != .closed, phase != .lingering else { return }
        var framing = ResponseEncoder.Framing()
        framing.closeConnection = true
        closeAfterWrite = true
        bodyHead = nil
        continuePending = false
        var response = context.errorResponse(status: status, code: code, message: message, path: path)
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        ResponseEncoder.encode(response, framing: framing, date: context.dateCache.current(), into: &output)
        phase = .writing
        setReading(false)
        flushOutput()
    }
}

import Dispatch

/// Writing: partial writes and `EAGAIN`, a progress deadline, and what follows a response.
extension HTTPConnection {
    func handleWritable() {
        switch phase {
        case .handshaking:
            handleReadable()
        case .reading, .handling, .writing:
            if tlsReadWantsWrite {
                tlsReadWantsWrite = false
                readAvailable()
            }
            flushOutput()
        case .lingering, .closed:
            setWriting(false)
        }
    }

    /// Writes as much of `output` as the socket takes. When the socket is full the write
    /// source takes over and the progress deadline runs: `writeTimeout`, or the shorter
    /// `stalledWriteTimeout` while more than `writeBufferLimit` bytes are unsent, so a
    /// client that stops reading a large response is cut off instead of pinning its memory.
    func flushOutput() {
        guard phase != .closed, phase != .lingering else { return }
        var progressed = false
        while outputSent < output.count + outputBody.count {
            let result: IOResult = output.withUnsafeBytes { head in
                outputBody.withUnsafeBytes { body in
                    if outputSent < head.count {
                        let unsent = UnsafeRawBufferPointer(rebasing: head[outputSent...])
                        if let tls { return tls.write(unsent) }
                        return body.isEmpty ? descriptor.send(unsent) : descriptor.send(unsent, body)
                    }
                    let unsent = UnsafeRawBufferPointer(rebasing: body[(outputSent - head.count)...])
                    return tls.map { $0.write(unsent) } ?? descriptor.send(unsent)
                }
            }
            switch result {
            case .bytes(let count):
                outputSent += count
                progressed = true
            case .wouldBlock(let wantsWrite):
                if wantsWrite {
                    setWriting(true)
                } else {
                    tlsWriteWantsRead = true
                    setReading(true)
                }
                if progressed || deadline == nil || phase != .writing { armWriteDeadline() }
                return
            case .endOfFile, .failed:
                close()
                return
            }
        }
        outputSent = 0
        // The answer's buffer goes back as soon as it is sent.
        outputBody = []
        if output.capacity > 1 << 16 {
            output = []
        } else {
            output.removeAll(keepingCapacity: true)
        }
        setWriting(false)
        if phase == .writing { responseWritten() }
    }

    private func armWriteDeadline() {
        let configuration = context.configuration
        let unsent = output.count + outputBody.count - outputSent
        let allowed = unsent > configuration.writeBufferLimit
            ? min(configuration.stalledWriteTimeout, configuration.writeTimeout)
            : configuration.writeTimeout
        if phase == .writing { setDeadline(after: allowed) }
    }

    /// The response is on the wire: close, or go back to reading the next request (which
    /// may already be buffered: pipelining is answered in order, one at a time).
    private func responseWritten() {
        releaseMemory()
        if closeAfterWrite || shutdownRequested {
            closeLingering()
            return
        }
        phase = .reading
        headDeadlineStarted = false
        if parser.isIdle {
            if peerClosedInput {
                close()
                return
            }
            setDeadline(after: context.configuration.idleTimeout)
        }
        processInput()
        guard phase == .reading else { return }
        if peerClosedInput {
            // No complete request is buffered and none can follow.
            close()
            return
        }
        setReading(true)
        // Bytes may already sit in OpenSSL's buffer, which readiness does not announce.
        if (tls?.pendingBytes ?? 0) > 0 { lane.execute { [self] in handleReadable() } }
    }
}

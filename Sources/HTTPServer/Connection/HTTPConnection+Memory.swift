/// Admission against the memory budget: a request with a body reserves its body plus the
/// working set its handling needs before the body is read; one that does not fit waits with
/// the connection's reads paused (backpressure: TCP flow control holds the client, nothing is
/// buffered on our side) and is answered 503 with `Retry-After` when the wait runs out; one
/// that could never fit is answered 413 at once. A chunked body reserves ahead in steps as its
/// chunk sizes announce it growing. The reservation shrinks (or grows) to the answer's size
/// once the handler returns, and is released when the answer is on the wire.
///
/// Requests without a body are not held back: their size is bounded by the header limits and
/// counted in the process's baseline, so `/healthz` and `/readyz` answer whatever waits.
extension HTTPConnection {
    /// Body bytes a chunked body reserves ahead of what it announced: the next power of two
    /// from 64 KiB, so a body of n bytes asks the budget O(log n) times.
    static func chunkedReservationLength(_ announced: Int, limit: Int) -> Int {
        var length = 64 << 10
        while length < announced && length < limit { length <<= 1 }
        return min(max(length, announced), max(limit, announced))
    }

    /// The bytes the request being read needs for `bodyLength`: body plus working set (saturating).
    private func memoryNeeded(_ head: HTTPRequestHead, bodyLength: Int) -> Int {
        let estimate = max(0, context.configuration.workingSetEstimate(head, bodyLength))
        let (sum, overflow) = bodyLength.addingReportingOverflow(estimate)
        return overflow ? Int.max : sum
    }

    /// Makes the current request's reservation cover what it needs now. True: carry on
    /// reading. False: the request waits for memory (reads paused) or was refused (413 on its
    /// way); the caller stops processing input.
    func coverMemory() -> Bool {
        if memoryWait != nil { return false }
        guard let head = bodyHead else { return true }
        let budget = context.memoryBudget
        let announced = parser.announcedBodyLength
        let needed = memoryNeeded(head, bodyLength: announced)
        guard needed > memoryReserved else { return true }
        guard budget.canEverFit(needed) else {
            budget.recordRefused(neverFits: true)
            respondWithServerError(
                status: 413, code: "payload_too_large",
                message: "the request needs about \(needed) bytes of memory, more than the server's budget of "
                    + "\(budget.capacity) bytes",
                path: head.path)
            return false
        }
        if case .chunked = head.framing {
            // Ahead in steps when that fits now; else exactly what is announced (which may wait).
            let ahead = Self.chunkedReservationLength(
                announced, limit: context.configuration.parserLimits.maxBodyLength)
            let aheadNeeded = memoryNeeded(head, bodyLength: ahead)
            if aheadNeeded > needed, budget.tryReserve(aheadNeeded - memoryReserved) {
                memoryReserved = aheadNeeded
                return true
            }
        }
        let delta = needed - memoryReserved
        let lane = lane
        // Nearly always the bytes are there: reserved without making the waiting closure. When
        // they are not, `reserveOrWait` checks again under its lock before queueing.
        let ticket = budget.tryReserve(delta) ? nil : budget.reserveOrWait(delta) { [self] in
            lane.execute { [self] in memoryGranted(delta) }
        }
        guard let ticket else {
            memoryReserved += delta
            if case .contentLength(let length) = head.framing { parser.reserveBody(length) }
            return true
        }
        memoryWait = ticket
        setReading(false)
        setDeadline(after: context.configuration.memoryWaitTimeout)
        return false
    }

    /// The budget reserved `bytes` for this connection's wait (called on the lane).
    func memoryGranted(_ bytes: Int) {
        guard memoryWait != nil, phase == .reading else {
            // Closed (or answered) meanwhile: the grant raced the cancellation; give it back.
            context.memoryBudget.release(bytes)
            return
        }
        memoryWait = nil
        memoryReserved += bytes
        if let head = bodyHead, case .contentLength(let length) = head.framing { parser.reserveBody(length) }
        if continuePending {
            continuePending = false
            output.append(contentsOf: ResponseEncoder.continueResponse)
            flushOutput()
        }
        setDeadline(after: context.configuration.bodyProgressTimeout)
        processInput()
        if phase == .reading { setReading(wantsInput) }
        guard phase == .reading else { return }
        // Bytes may already sit in OpenSSL's buffer, which readiness does not announce.
        if (tls?.pendingBytes ?? 0) > 0 { lane.execute { [self] in handleReadable() } }
    }

    /// The wait ran out: 503 with Retry-After, unless the grant is already on its way.
    func memoryWaitExpired() {
        guard let ticket = memoryWait else { return }
        let budget = context.memoryBudget
        guard budget.cancelWait(ticket) else { return }
        memoryWait = nil
        budget.recordRefused(neverFits: false)
        respondWithServerError(
            status: 503, code: "insufficient_memory",
            message: "the server's memory budget stayed in use by other requests; retry later",
            headers: [("Retry-After", String(max(1, context.configuration.memoryRetryAfterSeconds)))],
            path: bodyHead?.path)
    }

    /// The reservation becomes the answer's size: what the handler held is returned, an
    /// answer larger than estimated is counted as it is (it exists already).
    func settleMemory(answerBytes: Int) {
        let budget = context.memoryBudget
        if answerBytes < memoryReserved {
            budget.release(memoryReserved - answerBytes)
        } else {
            budget.forceReserve(answerBytes - memoryReserved)
        }
        memoryReserved = answerBytes
    }

    /// Returns everything this connection holds, and stops any wait.
    func releaseMemory() {
        let budget = context.memoryBudget
        if let ticket = memoryWait {
            // False: granted already; `memoryGranted` gives it back as the connection moved on.
            _ = budget.cancelWait(ticket)
            memoryWait = nil
        }
        if memoryReserved > 0 {
            budget.release(memoryReserved)
            memoryReserved = 0
        }
    }
}

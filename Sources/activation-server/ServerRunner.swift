import ActivationService
import Dispatch
import HTTPServer
import Logging
import Prometheus
#if canImport(Glibc)
import Glibc
#endif

/// Starts the service and runs its life: serve, drain on the first signal, stop, exit.
///
/// On SIGTERM or SIGINT, in order:
/// 1. readiness answers 503 at once (`/readyz`), responses carry `Connection: close`;
/// 2. requests are still served for `drainSeconds`, while load balancers notice;
/// 3. `shutdown(grace:)`: no more accepting, idle connections closed, requests in flight
///    get `shutdownGraceSeconds` to finish;
/// 4. exit 0.
/// A second signal at any point exits at once (status 128 + signal, as shells report it).
struct ServerRunner {
    let settings: ServeSettings

    func run() throws {
        // First, while this is the only thread: every thread started from here on inherits the
        // blocked mask, so the two signals stay pending until Dispatch reads them.
        SignalWatcher.blockInEveryThread([SIGTERM, SIGINT])
        Self.keepLargeBuffersInTheHeap()
        let format = settings.logFormat
        let level = settings.logLevel
        let logger = Logger(label: "activation-server") { label in
            LineLogHandler(label: label, format: format, level: level)
        }
        let registry = PrometheusCollectorRegistry()
        let service = ActivationService(
            configuration: settings.serviceConfiguration, logger: logger,
            metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
        var configuration = settings.serverConfiguration
        configuration.errorResponder = service.errorResponder
        configuration.onDraining = { service.lifecycle.startDraining() }
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: configuration, handler: service)
            try server.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw error
        }
        let signals = SignalWatcher(signals: [SIGTERM, SIGINT]) { signal, count in
            if count > 1 {
                logger.warning("second signal: exiting at once", metadata: ["signal": "\(signal)"])
                exit(128 + signal)
            }
            logger.notice(
                "draining", metadata: ["signal": "\(signal)", "drain_seconds": "\(settings.drainSeconds)"])
            server.beginDraining()
            service.lifecycle.startDraining()
            DispatchQueue.global().asyncAfter(deadline: .now() + settings.drainSeconds) {
                logger.notice("shutting down", metadata: ["grace_seconds": "\(settings.shutdownGraceSeconds)"])
                server.shutdown(grace: .seconds(settings.shutdownGraceSeconds)) {
                    logger.notice("stopped")
                    exit(0)
                }
            }
        }
        signals.start()
        service.connectionCounter = { server.openConnectionCount }
        logger.notice(
            "listening",
            metadata: [
                "address": "\(server.localAddress)", "tls": "\(configuration.tls != nil)",
                "workers": "\(configuration.workerCount)", "max_elements": "\(service.configuration.maxElements)",
            ])

        dispatchMain()
    }
}

/// glibc's `mallopt(3)`; <malloc.h> is not part of the Glibc module map. Two `int` arguments
/// and an `int` result travel in the same registers under the Swift and C conventions.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

extension ServerRunner {
    /// A 1.2 MB request and its answer allocate a few buffers of about a megabyte each. By
    /// default glibc serves those with fresh mmap()s and returns them with munmap()/madvise(),
    /// so every request page-faults its buffers in again: perf showed about 40% of the time of
    /// a 65,536-element request in the kernel's page-fault path. Raising the mmap and trim
    /// thresholds (32 MiB is glibc's maximum mmap threshold on 64-bit) keeps such buffers in
    /// the heap for reuse; memory stays bounded by the largest requests in flight.
    static func keepLargeBuffersInTheHeap() {
        // <malloc.h>: M_TRIM_THRESHOLD is -1 and M_MMAP_THRESHOLD is -3.
        _ = glibcMallopt(-3, 32 << 20)
        _ = glibcMallopt(-1, 128 << 20)
    }
}

/// Turns signals into calls on a Dispatch queue (never inside a C signal handler), counting
/// them so the caller can tell a first signal from a second.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]
    private let queue = DispatchQueue(label: "signals")

    init(signals: [Int32], handler: @escaping @Sendable (_ signal: Int32, _ count: Int) -> Void) {
        let queue = self.queue
        let counter = SignalCounter()
        sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number, counter.next()) }
            return source
        }
    }

    /// Blocks `signals` in the calling thread, and so in every thread it starts later.
    ///
    /// Dispatch reads signals through a signalfd, which only sees a signal that no thread
    /// accepts. A thread that left it unblocked (an I/O thread started before the source was
    /// registered) would take the signal instead and, with the disposition at SIG_IGN, drop it:
    /// a second SIGINT was lost that way under load. Call it before any thread exists.
    static func blockInEveryThread(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    func start() {
        // No SIG_IGN here: the signals are blocked in every thread, so their default action never
        // runs, and setting SIG_IGN would discard a signal already pending (POSIX), one that
        // arrived between start-up and this call.
        for source in sources { source.resume() }
    }
}

/// Signals received so far.
// @unchecked Sendable is safe: `next()` is only called from the SignalWatcher's serial queue,
// so `count` is never touched by two threads at once.
private final class SignalCounter: @unchecked Sendable {
    private var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}

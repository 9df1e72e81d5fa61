import ActivationService
import ArgumentParser
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
///
/// On SIGHUP, at any time: the TLS certificate and key and the API key file are read again;
/// new connections get the new certificate, open ones keep theirs, and a file that does not
/// load is logged while what was loaded before stays in force (the files are also watched,
/// every `RELOAD_CHECK_SECONDS`).
struct ServerRunner {
    let settings: ServeSettings

    func run() throws {
        // First, while this is the only thread: every thread started from here on inherits the
        // blocked mask, so the signals stay pending until the loop below takes them.
        let handledSignals = [SIGTERM, SIGINT, SIGHUP]
        SignalWaiter.blockInEveryThread(handledSignals)
        Self.keepLargeBuffersInTheHeap()
        let format = settings.logFormat
        let level = settings.logLevel
        let logger = Logger(label: "activation-server") { label in
            LineLogHandler(label: label, format: format, level: level)
        }
        let registry = PrometheusCollectorRegistry()
        var serviceConfiguration = settings.serviceConfiguration
        if let path = settings.apiKeyFile {
            do {
                serviceConfiguration.apiKeys = try APIKeyStore(path: path, reloadCheckInterval: settings.reloadCheckInterval)
            } catch {
                logger.critical("cannot start: API key file refused", metadata: ["path": "\(path)", "error": "\(error)"])
                throw ExitCode.failure
            }
        }
        let apiKeys = serviceConfiguration.apiKeys
        let service = ActivationService(
            configuration: serviceConfiguration, logger: logger,
            metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
        var configuration = settings.serverConfiguration
        configuration.errorResponder = service.errorResponder
        configuration.responseCompression.appliesTo = ActivationService.compressesResponse
        configuration.onDraining = { service.lifecycle.startDraining() }
        configuration.workingSetEstimate = service.workingSetEstimate(maxBodyLength: configuration.parserLimits.maxBodyLength)
        configuration.onTLSReload = { service.tlsReloaded($0) }
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: configuration, handler: service)
            try server.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw error
        }
        service.connectionCounter = { server.openConnectionCount }
        service.memoryStatus = { server.memory }
        logger.notice(
            "listening",
            metadata: [
                "address": "\(server.localAddress)", "tls": "\(configuration.tls != nil)",
                "workers": "\(configuration.workerCount)", "max_elements": "\(service.configuration.maxElements)",
                "kernels": "\(service.configuration.kernels.rawValue)",
                "tls_profile": "\(configuration.tls?.profile.rawValue ?? "none")",
                "api_keys": "\(apiKeys?.count ?? 0)", "cors_origins": "\(settings.corsAllowOrigins.joined(separator: ","))",
            ])

        // The main thread's only job from here on: take the signals, in order, synchronously.
        var received = 0
        while true {
            let signal = SignalWaiter.next(of: handledSignals)
            if signal == SIGHUP {
                logger.notice("SIGHUP: reloading the TLS certificate and API keys")
                server.reloadTLS()
                apiKeys?.reload()
                continue
            }
            received += 1
            if received > 1 {
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

/// Takes SIGTERM, SIGINT and SIGHUP synchronously on the main thread with sigwait(3).
///
/// The signals are blocked in every thread (blocked before the first thread starts, and every
/// thread inherits the mask), so they stay pending until `sigwait` takes them: none is lost, none
/// runs its default action. Neither Dispatch signal sources nor `dispatchMain()` fit here: on
/// Linux `dispatchMain()` parks the main thread in `sigsuspend` with an empty mask, so a signal
/// could land there and either kill the process (default action) or vanish (SIG_IGN).
enum SignalWaiter {
    /// Blocks `signals` in the calling thread, and so in every thread it starts later.
    /// Call it before any thread exists.
    static func blockInEveryThread(_ signals: [Int32]) {
        var set = makeSet(signals)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for the next of `signals` and returns its number.
    static func next(of signals: [Int32]) -> Int32 {
        var set = makeSet(signals)
        var signal: Int32 = 0
        while sigwait(&set, &signal) != 0 {}
        return signal
    }

    private static func makeSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        return set
    }
}

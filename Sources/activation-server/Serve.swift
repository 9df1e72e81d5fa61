import ActivationService
import ArgumentParser
import HTTPServer
import Logging

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}
extension TLSProfile: ExpressibleByArgument {}

/// `--kernels`: the kernel build to run, or `auto` for the fastest this processor supports.
enum KernelSelection: String, ExpressibleByArgument, CaseIterable {
    case auto, baseline
    case x86_64_v3 = "x86-64-v3"
}

/// `--response-compression`: `on` or `off`.
enum OnOff: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

/// `--scheduling`: waiting requests by expected cost (`HTTPScheduling`), or in arrival order.
enum SchedulingPolicy: String, ExpressibleByArgument, CaseIterable {
    case cost, arrival
}

/// `activation-server [serve]`: every setting as a flag with its environment variable.
///
/// The names are a contract: the Dockerfile, the Kubernetes manifests and the scripts set
/// HOST, PORT, LOG_LEVEL, LOG_FORMAT, DRAIN_SECONDS, SHUTDOWN_GRACE_SECONDS and MAX_ELEMENTS;
/// the secrets' paths (TLS_CERTIFICATE, TLS_KEY, API_KEY_FILE) come from mounted volumes.
/// Limits left unset keep the server's and engine's documented defaults.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API (the default subcommand).")

    // MARK: Listening

    @Option(help: "Address to listen on: 0.0.0.0, ::, or one address (env HOST, default 0.0.0.0).")
    var host: String?
    @Option(help: "TCP port; 0 picks a free one (env PORT, default 8080).")
    var port: Int?
    @Option(help: "PEM certificate; with --tls-key, serve HTTPS (env TLS_CERTIFICATE).")
    var tlsCertificate: String?
    @Option(help: "PEM private key of --tls-certificate (env TLS_KEY).")
    var tlsKey: String?
    @Option(help: "intermediate (Mozilla's: TLS 1.2 with ECDHE and AEAD suites, and TLS 1.3) or modern (TLS 1.3 only) (env TLS_PROFILE, default intermediate).")
    var tlsProfile: TLSProfile?
    @Option(help: "Seconds between checks of the TLS certificate, key and API key files for changes; 0 = reload only on SIGHUP (env RELOAD_CHECK_SECONDS, default 5).")
    var reloadCheckSeconds: Double?

    // MARK: Access

    @Option(help: "File of API keys, one per line (blank lines and # comments ignored); every route but /healthz, /readyz and /v2/health/* then needs Authorization: Bearer KEY (env API_KEY_FILE, default none).")
    var apiKeyFile: String?
    @Option(help: "on: /metrics answers without an API key (env PUBLIC_METRICS, default off).")
    var publicMetrics: OnOff?
    @Option(help: "Origin browsers may call the API from (CORS), e.g. https://app.example.com; repeat for more; * for any (env CORS_ALLOW_ORIGIN, comma-separated; default none: CORS off).")
    var corsAllowOrigin: [String] = []

    // MARK: Logging

    @Option(help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL, default info).")
    var logLevel: Logger.Level?
    @Option(help: "text or json (one JSON object per line) (env LOG_FORMAT, default text).")
    var logFormat: LogFormat?

    // MARK: Lifecycle

    @Option(help: "Seconds to keep serving after SIGTERM/SIGINT while /readyz answers 503 (env DRAIN_SECONDS, default 5).")
    var drainSeconds: Double?
    @Option(help: "Seconds requests in flight get to finish after the drain (env SHUTDOWN_GRACE_SECONDS, default 10).")
    var shutdownGraceSeconds: Double?

    // MARK: Work

    @Option(help: "Most elements per request, inputs and grad_output together (env MAX_ELEMENTS, default 4194304).")
    var maxElements: Int?
    @Option(help: "Kernel build: auto (the fastest this CPU runs), baseline or x86-64-v3; all give the same answers (env KERNELS, default auto).")
    var kernels: KernelSelection?
    @Option(help: "Requests handled at once; 0 = one per processor (env WORKERS, default 0).")
    var workers: Int?
    @Option(help: "Order of requests waiting for a worker: cost (small requests first, with aging, and express workers for small ones) or arrival (env SCHEDULING, default cost).")
    var scheduling: SchedulingPolicy?
    @Option(help: "Largest POST body in bytes handled on its I/O thread instead of a worker; 0 = none (env INLINE_COST, default 16384; docs/scheduling.md).")
    var inlineCost: Int?
    @Option(help: "Nice value added to the workers that run large requests, 0 to 19 (env WORKER_NICE, default 10; docs/scheduling.md).")
    var workerNice: Int?

    // MARK: Server limits

    @Option(help: "Largest request body in bytes; larger gets 413 (env MAX_BODY_BYTES, default 67108864).")
    var maxBodyBytes: Int?
    @Option(help: "Longest request line in bytes; longer gets 414 (env MAX_REQUEST_LINE_BYTES, default 8192).")
    var maxRequestLineBytes: Int?
    @Option(help: "Largest header section in bytes; larger gets 431 (env MAX_HEADER_BYTES, default 16384).")
    var maxHeaderBytes: Int?
    @Option(help: "Most header fields; more gets 431 (env MAX_HEADER_COUNT, default 100).")
    var maxHeaderCount: Int?
    @Option(help: "Seconds allowed to receive a request's head; then 408 (env HEADER_TIMEOUT_SECONDS, default 10).")
    var headerTimeoutSeconds: Double?
    @Option(help: "Longest pause in seconds while a body arrives; then 408 (env BODY_TIMEOUT_SECONDS, default 30).")
    var bodyTimeoutSeconds: Double?
    @Option(help: "Seconds a keep-alive connection may stay idle (env IDLE_TIMEOUT_SECONDS, default 60).")
    var idleTimeoutSeconds: Double?
    @Option(help: "Longest pause in seconds while a response is written (env WRITE_TIMEOUT_SECONDS, default 30).")
    var writeTimeoutSeconds: Double?
    @Option(help: "Memory budget in bytes for request bodies, their working sets and answers; a request that does not fit waits, then gets 503, one that never fits 413 (env MEMORY_BUDGET_BYTES, default 3/4 of the cgroup memory limit, else 1/2 of physical memory).")
    var memoryBudgetBytes: Int?
    @Option(help: "Seconds a request waits for memory, its reads paused, before 503 with Retry-After (env MEMORY_WAIT_SECONDS, default 10).")
    var memoryWaitSeconds: Double?
    @Option(help: "Open connections allowed; more get 503 (env MAX_CONNECTIONS, default 10000).")
    var maxConnections: Int?
    @Option(help: "listen(2) backlog (env BACKLOG, default 1024).")
    var backlog: Int?
    @Option(help: "Compress answers of 1 KiB or more with gzip or deflate when Accept-Encoding asks; off when a proxy compresses (env RESPONSE_COMPRESSION, default on).")
    var responseCompression: OnOff?

    func validate() throws {
        _ = try settings(EnvironmentDefaults.process)
    }

    func run() throws {
        let settings = try settings(EnvironmentDefaults.process)
        try ServerRunner(settings: settings).run()
    }

    /// Every option resolved against the environment, checked once, before anything starts.
    func settings(_ env: EnvironmentDefaults) throws -> ServeSettings {
        var settings = ServeSettings()
        settings.host = try env.resolve(host, "HOST", settings.host)
        settings.port = try env.resolve(port, "PORT", settings.port)
        settings.tlsCertificate = try env.resolve(tlsCertificate, "TLS_CERTIFICATE")
        settings.tlsKey = try env.resolve(tlsKey, "TLS_KEY")
        settings.tlsProfile = try env.resolve(tlsProfile, "TLS_PROFILE", settings.tlsProfile)
        settings.reloadCheckSeconds = try env.resolve(reloadCheckSeconds, "RELOAD_CHECK_SECONDS", settings.reloadCheckSeconds)
        settings.apiKeyFile = try env.resolve(apiKeyFile, "API_KEY_FILE")
        settings.publicMetrics = try env.resolve(publicMetrics, "PUBLIC_METRICS", settings.publicMetrics)
        settings.corsAllowOrigins = env.list(corsAllowOrigin, "CORS_ALLOW_ORIGIN")
        settings.logLevel = try env.resolve(logLevel, "LOG_LEVEL", settings.logLevel)
        settings.logFormat = try env.resolve(logFormat, "LOG_FORMAT", settings.logFormat)
        settings.drainSeconds = try env.resolve(drainSeconds, "DRAIN_SECONDS", settings.drainSeconds)
        settings.shutdownGraceSeconds = try env.resolve(
            shutdownGraceSeconds, "SHUTDOWN_GRACE_SECONDS", settings.shutdownGraceSeconds)
        settings.maxElements = try env.resolve(maxElements, "MAX_ELEMENTS")
        settings.kernels = try env.resolve(kernels, "KERNELS", settings.kernels)
        settings.workers = try env.resolve(workers, "WORKERS")
        settings.scheduling = try env.resolve(scheduling, "SCHEDULING", settings.scheduling)
        settings.inlineCost = try env.resolve(inlineCost, "INLINE_COST", settings.inlineCost)
        settings.workerNice = try env.resolve(workerNice, "WORKER_NICE", settings.workerNice)
        settings.maxBodyBytes = try env.resolve(maxBodyBytes, "MAX_BODY_BYTES")
        settings.maxRequestLineBytes = try env.resolve(maxRequestLineBytes, "MAX_REQUEST_LINE_BYTES")
        settings.maxHeaderBytes = try env.resolve(maxHeaderBytes, "MAX_HEADER_BYTES")
        settings.maxHeaderCount = try env.resolve(maxHeaderCount, "MAX_HEADER_COUNT")
        settings.headerTimeoutSeconds = try env.resolve(headerTimeoutSeconds, "HEADER_TIMEOUT_SECONDS")
        settings.bodyTimeoutSeconds = try env.resolve(bodyTimeoutSeconds, "BODY_TIMEOUT_SECONDS")
        settings.idleTimeoutSeconds = try env.resolve(idleTimeoutSeconds, "IDLE_TIMEOUT_SECONDS")
        settings.writeTimeoutSeconds = try env.resolve(writeTimeoutSeconds, "WRITE_TIMEOUT_SECONDS")
        settings.memoryBudgetBytes = try env.resolve(memoryBudgetBytes, "MEMORY_BUDGET_BYTES")
        settings.memoryWaitSeconds = try env.resolve(memoryWaitSeconds, "MEMORY_WAIT_SECONDS")
        settings.maxConnections = try env.resolve(maxConnections, "MAX_CONNECTIONS")
        settings.backlog = try env.resolve(backlog, "BACKLOG")
        settings.responseCompression = try env.resolve(responseCompression, "RESPONSE_COMPRESSION", settings.responseCompression)
        try settings.validate()
        return settings
    }
}

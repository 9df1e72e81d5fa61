import ActivationEngine
import ActivationService
import ArgumentParser
import HTTPServer
import Logging

/// The resolved settings of `serve`, and how they become the server's and service's
/// configurations. `nil` limits keep the library defaults, so the defaults live in one place.
struct ServeSettings {
    var host = "0.0.0.0"
    var port = 8080
    var tlsCertificate: String?
    var tlsKey: String?
    var tlsProfile = TLSProfile.intermediate
    var reloadCheckSeconds = 5.0
    var apiKeyFile: String?
    var publicMetrics = OnOff.off
    var corsAllowOrigins: [String] = []
    var logLevel = Logger.Level.info
    var logFormat = LogFormat.text
    var drainSeconds = 5.0
    var shutdownGraceSeconds = 10.0
    var maxElements: Int?
    var kernels = KernelSelection.auto
    var workers: Int?
    var scheduling = SchedulingPolicy.cost
    var inlineCost = HTTPScheduling.defaultInlineCost
    var workerNice = HTTPScheduling().regularWorkerNice
    var maxBodyBytes: Int?
    var maxRequestLineBytes: Int?
    var maxHeaderBytes: Int?
    var maxHeaderCount: Int?
    var headerTimeoutSeconds: Double?
    var bodyTimeoutSeconds: Double?
    var idleTimeoutSeconds: Double?
    var writeTimeoutSeconds: Double?
    var maxConnections: Int?
    var memoryBudgetBytes: Int?
    var memoryWaitSeconds: Double?
    var backlog: Int?
    var responseCompression = OnOff.on

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("port \(port) is not in 0...65535") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
        for origin in corsAllowOrigins {
            if case .failure(let error) = CORSPolicy.validate(origin) { throw ValidationError("--cors-allow-origin: \(error)") }
        }
        for (name, value) in [
            ("drain-seconds", drainSeconds), ("shutdown-grace-seconds", shutdownGraceSeconds),
            ("reload-check-seconds", reloadCheckSeconds),
        ]
        where !(value >= 0 && value <= 86_400) {
            throw ValidationError("--\(name) must be between 0 and 86400")
        }
        let timeouts = [
            ("header-timeout-seconds", headerTimeoutSeconds), ("body-timeout-seconds", bodyTimeoutSeconds),
            ("idle-timeout-seconds", idleTimeoutSeconds), ("write-timeout-seconds", writeTimeoutSeconds),
            ("memory-wait-seconds", memoryWaitSeconds),
        ]
        for (name, value) in timeouts {
            if let value, !(value > 0 && value <= 86_400) {
                throw ValidationError("--\(name) must be above 0 and at most 86400")
            }
        }
        let counts = [
            ("max-elements", maxElements, 1), ("workers", workers, 0), ("max-body-bytes", maxBodyBytes, 0),
            ("max-request-line-bytes", maxRequestLineBytes, 1), ("max-header-bytes", maxHeaderBytes, 1),
            ("max-header-count", maxHeaderCount, 1), ("max-connections", maxConnections, 1), ("backlog", backlog, 1),
            ("memory-budget-bytes", memoryBudgetBytes, 1),
        ]
        for (name, value, minimum) in counts {
            if let value, value < minimum { throw ValidationError("--\(name) must be at least \(minimum)") }
        }
        if kernels == .x86_64_v3 && !KernelBuild.x86_64_v3.isAvailable {
            throw ValidationError(
                "--kernels x86-64-v3: this processor lacks x86-64-v3 (AVX2, FMA) or this binary has no such build; "
                    + "use auto or baseline")
        }
    }

    /// How often watched files are checked; nil (0 s) leaves reloading to SIGHUP.
    var reloadCheckInterval: Duration? {
        reloadCheckSeconds > 0 ? .milliseconds(Int64(reloadCheckSeconds * 1000)) : nil
    }

    var kernelBuild: KernelBuild {
        switch kernels {
        case .auto: .best
        case .baseline: .baseline
        case .x86_64_v3: .x86_64_v3
        }
    }

    var serviceConfiguration: ServiceConfiguration {
        var configuration = ServiceConfiguration()
        if let maxElements { configuration.maxElements = maxElements }
        configuration.kernels = kernelBuild
        configuration.publicMetrics = publicMetrics == .on
        configuration.cors = CORSPolicy(allowedOrigins: corsAllowOrigins.compactMap { try? CORSPolicy.validate($0).get() })
        configuration.strictTransportSecurity = tlsCertificate != nil
        return configuration
    }

    /// The server's configuration; `errorResponder` is the service's, installed by the runner.
    var serverConfiguration: HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        if let tlsCertificate, let tlsKey {
            configuration.tls = TLSConfiguration(
                certificatePath: tlsCertificate, keyPath: tlsKey, profile: tlsProfile, reloadCheckInterval: reloadCheckInterval)
        }
        if let workers, workers > 0 { configuration.workerCount = workers }
        if scheduling == .arrival {
            configuration.scheduling = .arrivalOrder
        } else {
            configuration.scheduling.regularWorkerNice = min(max(workerNice, 0), 19)
            // The service's POST routes compute from the body alone (no file, no wait), so
            // small ones may run on their I/O thread: docs/scheduling.md, "Inline".
            configuration.scheduling.inlineCost = max(0, inlineCost)
            configuration.scheduling.mayRunInline = { $0.method == .post }
        }
        if let maxBodyBytes { configuration.parserLimits.maxBodyLength = maxBodyBytes }
        if let maxRequestLineBytes { configuration.parserLimits.maxRequestLineLength = maxRequestLineBytes }
        if let maxHeaderBytes { configuration.parserLimits.maxHeaderSectionLength = maxHeaderBytes }
        if let maxHeaderCount { configuration.parserLimits.maxHeaderCount = maxHeaderCount }
        if let headerTimeoutSeconds { configuration.headerReadTimeout = .seconds(headerTimeoutSeconds) }
        if let bodyTimeoutSeconds { configuration.bodyProgressTimeout = .seconds(bodyTimeoutSeconds) }
        if let idleTimeoutSeconds { configuration.idleTimeout = .seconds(idleTimeoutSeconds) }
        if let writeTimeoutSeconds { configuration.writeTimeout = .seconds(writeTimeoutSeconds) }
        if let maxConnections { configuration.maxConnections = maxConnections }
        if let memoryBudgetBytes { configuration.memoryBudget = memoryBudgetBytes }
        if let memoryWaitSeconds { configuration.memoryWaitTimeout = .milliseconds(Int64(memoryWaitSeconds * 1000)) }
        if let backlog { configuration.backlog = Int32(clamping: backlog) }
        if responseCompression == .off { configuration.responseCompression = .disabled }
        return configuration
    }
}

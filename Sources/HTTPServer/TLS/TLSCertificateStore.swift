import Dispatch

/// The TLS context new connections get, and its replacement when the certificate is renewed.
///
/// The pair is loaded once at start-up (a bad pair fails `HTTPServer.init`), then again on
/// `reload(_:)` (SIGHUP in the executable) and whenever `FileChangeWatcher` sees either file
/// change. A reload builds a complete new context first and swaps it in only when the
/// certificate, the key and their match all check out: until then, and after a failure, the
/// old context keeps serving. Connections already open keep the context they were accepted
/// with (each `SSL` holds a reference to its `SSL_CTX`), so a rotation never cuts a
/// keep-alive connection or a handshake in progress.
///
/// Every load, successful or not, is reported to `onReload` (the service logs it and exports
/// the certificate's expiry).
final class TLSCertificateStore: Sendable {
    let configuration: TLSConfiguration
    private let current: Locked<TLSContext>
    private let onReload: (@Sendable (TLSReloadEvent) -> Void)?
    /// Reloads happen one at a time, here (the watcher's checks run here too).
    private let queue = DispatchQueue(label: "http.tls-reload")
    private let watcher: Locked<FileChangeWatcher?> = Locked(nil)

    init(configuration: TLSConfiguration, onReload: (@Sendable (TLSReloadEvent) -> Void)?) throws(SocketError) {
        self.configuration = configuration
        self.onReload = onReload
        let context = try TLSContext(configuration)
        current = Locked(context)
        onReload?(TLSReloadEvent(trigger: .start, result: .success(context.certificate)))
    }

    /// The context for a connection accepted now.
    var context: TLSContext { current.withLock { $0 } }

    /// The certificate new connections are served.
    var certificate: TLSCertificateSummary { context.certificate }

    /// Loads the pair again, now; returns (and reports) what happened.
    @discardableResult
    func reload(_ trigger: TLSReloadEvent.Trigger) -> Result<TLSCertificateSummary, SocketError> {
        queue.sync { load(trigger) }
    }

    /// Starts polling the files when the configuration asks for it.
    func startWatching() {
        guard let interval = configuration.reloadCheckInterval else { return }
        let watcher = FileChangeWatcher(
            paths: [configuration.certificatePath, configuration.keyPath], interval: interval, queue: queue
        ) { [weak self] in
            _ = self?.load(.fileChange)
        }
        self.watcher.withLock { $0 = watcher }
        watcher.start()
    }

    func stopWatching() {
        watcher.withLock { watcher in
            watcher?.cancel()
            watcher = nil
        }
    }

    /// Builds a new context from the files and swaps it in when it is complete. On `queue`.
    private func load(_ trigger: TLSReloadEvent.Trigger) -> Result<TLSCertificateSummary, SocketError> {
        let result: Result<TLSCertificateSummary, SocketError>
        do {
            let context = try TLSContext(configuration)
            current.withLock { $0 = context }
            result = .success(context.certificate)
        } catch {
            result = .failure(error)
        }
        onReload?(TLSReloadEvent(trigger: trigger, result: result))
        return result
    }
}

/// One attempt to load the certificate and key, for logs and metrics.
public struct TLSReloadEvent: Sendable {
    /// What caused the load.
    public enum Trigger: String, Sendable {
        /// The server was created.
        case start
        /// `HTTPServer.reloadTLS()` was called (the executable does on SIGHUP).
        case request
        /// The watcher saw the certificate or key file change.
        case fileChange = "file_change"
    }

    public var trigger: Trigger
    /// The certificate now served to new connections, or why the new pair was refused (the
    /// previous certificate then stays in service).
    public var result: Result<TLSCertificateSummary, SocketError>
}

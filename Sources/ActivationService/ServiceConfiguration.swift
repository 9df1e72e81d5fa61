import ActivationEngine

/// What the service itself needs to know; the server's limits live in `HTTPServerConfiguration`.
/// The default value is a valid configuration.
public struct ServiceConfiguration: Sendable {
    /// Most elements one request may carry, inputs and grad_output together. Default 4 Mi, the
    /// engine's own default: a 64 MiB body of float64 numbers in 17 digits holds about 3.3 Mi,
    /// and the memory such a request may hold (`WorkingSet`: 74 bytes a number, about 310 MB,
    /// plus its body) fits the default budget of the deploy manifests (docs/deploy.md).
    public var maxElements: Int = EngineConfiguration().maxElements

    /// Which compilation of the kernels evaluates requests: by default the fastest this
    /// processor runs (``KernelBuild/best``). Both give the same answers.
    public var kernels: KernelBuild = .best

    /// API keys every route but the probes requires (`AccessControl`), reloaded when their file
    /// changes. Default nil: no keys, every route open (a mesh or gateway in front decides).
    public var apiKeys: APIKeyStore?

    /// With API keys: `/metrics` answers without one too, for scrapers that cannot send a
    /// token. Default false: Prometheus can (`authorization` in its scrape config).
    public var publicMetrics = false

    /// Origins browsers may call the API from (`CORSPolicy`). Default: none, CORS off.
    public var cors = CORSPolicy()

    /// The service is served over TLS: answers carry `Strict-Transport-Security`. Default false.
    public var strictTransportSecurity = false

    /// The service's name and version, reported by `GET /healthz`.
    public var version: String = ServiceConfiguration.currentVersion

    public static let currentVersion = "1.0.0"

    public init() {}
}

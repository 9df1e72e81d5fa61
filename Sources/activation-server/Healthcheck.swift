import ActivationService
import ArgumentParser

/// `activation-server healthcheck`: exit 0 when `GET /healthz` answers 200, 1 otherwise.
///
/// The container image has no curl; Docker's HEALTHCHECK runs this instead.
struct Healthcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when GET /healthz on a running server answers 200 (for container health checks)."
    )

    @Option(help: "Port of the server to probe (env PORT, default 8080).")
    var port: Int?

    @Option(help: "Host of the server to probe (default 127.0.0.1).")
    var host: String = "127.0.0.1"

    @Option(help: "Seconds allowed for connecting and for the answer.")
    var timeoutSeconds: Int = 3

    @Option(help: "on: probe over HTTPS, without checking the certificate (env: on when TLS_CERTIFICATE is set, as the server then serves HTTPS).")
    var tls: OnOff?

    func run() throws {
        let environment = EnvironmentDefaults.process
        let port = try environment.resolve(port, "PORT", 8080)
        let certificate: String? = try environment.resolve(nil, "TLS_CERTIFICATE")
        let overTLS = tls.map { $0 == .on } ?? (certificate != nil)
        do {
            let status = try HealthProbe.status(host: host, port: port, timeoutSeconds: max(1, timeoutSeconds), tls: overTLS)
            guard status == 200 else {
                print("unhealthy: GET /healthz answered \(status)")
                throw ExitCode.failure
            }
            print("healthy")
        } catch let failure as HealthProbe.Failure {
            print("unhealthy: \(failure)")
            throw ExitCode.failure
        }
    }
}

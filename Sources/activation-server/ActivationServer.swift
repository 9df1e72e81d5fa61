import ArgumentParser

/// The executable: a thin shell over ActivationService. Serving is the default subcommand so
/// that `activation-server --port 9000` and the container's bare entrypoint both serve.
@main
struct ActivationServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activation-server",
        abstract: "Neural-network activation functions and their gradients over HTTP.",
        discussion: """
            Every option of `serve` also reads an environment variable (named in its help); a flag \
            given on the command line wins over the variable, which wins over the default.
            SIGTERM or SIGINT: /readyz answers 503 at once, requests are still served for the drain \
            period (with Connection: close), then the server shuts down gracefully and exits 0. \
            A second signal exits at once. \
            SIGHUP: the TLS certificate and key and the API key file are read again (new connections \
            get the new certificate; a file that does not load is logged and the old one stays in force).
            """,
        subcommands: [Serve.self, Healthcheck.self, CatalogueCommand.self],
        defaultSubcommand: Serve.self
    )
}

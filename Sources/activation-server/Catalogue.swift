import ActivationService
import ArgumentParser

/// `activation-server catalogue`: the function table in Markdown, as the README shows it.
struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Print the catalogue of functions as a Markdown table (the README's, generated from the metadata)."
    )

    func run() {
        print(CatalogueTable.markdown(), terminator: "")
    }
}

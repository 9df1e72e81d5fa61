import ActivationService
import ArgumentParser

/// `activation-server catalogue`: the function table in Markdown, as the README shows it.
struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Print the catalogue of functions as a Markdown table (the README's, generated from the metadata)."
    )

    @Flag(help: "Print docs/accuracy.md's table of accuracy statements instead.")
    var accuracy = false

    func run() {
        print(accuracy ? CatalogueTable.accuracyMarkdown() : CatalogueTable.markdown(), terminator: "")
    }
}

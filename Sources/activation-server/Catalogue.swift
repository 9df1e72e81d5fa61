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

    @Flag(help: "Print the README's glossary and table of properties instead.")
    var properties = false

    @Flag(help: "Print the glossary of properties (docs/api.md's) instead.")
    var definitions = false

    func run() {
        let text =
            accuracy ? CatalogueTable.accuracyMarkdown()
            : properties ? CatalogueTable.propertiesBlock()
            : definitions ? CatalogueTable.definitionsMarkdown() : CatalogueTable.markdown()
        print(text, terminator: "")
    }
}

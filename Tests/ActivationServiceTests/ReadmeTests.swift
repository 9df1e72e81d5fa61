import ActivationMath
import Foundation
import Testing

@testable import ActivationService

/// The README's generated catalogue must match the metadata the service serves.
@Suite struct ReadmeTests {
    @Test func catalogueTableIsCurrent() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let spliced = try #require(CatalogueTable.splice(into: readme), "README.md lacks the catalogue markers")
        #expect(spliced == readme, "README.md is stale: run scripts/gen-readme-catalogue.sh")
    }

    /// docs/accuracy.md's table of accuracy statements is the metadata's (the README's columns and
    /// `GET /v1/functions` serve the same numbers).
    @Test func accuracyTableIsCurrent() throws {
        let document = try String(
            contentsOf: repositoryRoot.appendingPathComponent("docs/accuracy.md"), encoding: .utf8)
        let spliced = try #require(CatalogueTable.spliceAccuracy(into: document), "docs/accuracy.md lacks the accuracy markers")
        #expect(spliced == document, "docs/accuracy.md is stale: run scripts/gen-readme-catalogue.sh")
        let rows = CatalogueTable.accuracyMarkdown().split(separator: "\n").dropFirst(2)
        #expect(rows.count == ActivationMath.Catalogue.all.count)
    }

    /// The README's glossary and property table, and docs/api.md's glossary, are the definitions
    /// and properties `GET /v1/functions` serves.
    @Test func propertyBlocksAreCurrent() throws {
        let root = repositoryRoot
        for (path, begin, end, content) in [
            ("README.md", CatalogueTable.propertiesBeginMarker, CatalogueTable.propertiesEndMarker,
             CatalogueTable.propertiesBlock()),
            ("docs/api.md", CatalogueTable.definitionsBeginMarker, CatalogueTable.definitionsEndMarker,
             CatalogueTable.definitionsMarkdown()),
        ] {
            let document = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            let spliced = try #require(
                CatalogueTable.splice(content, into: document, begin: begin, end: end), "\(path) lacks the markers")
            #expect(spliced == document, "\(path) is stale: run scripts/gen-readme-catalogue.sh")
        }
        let rows = CatalogueTable.propertiesMarkdown().split(separator: "\n").dropFirst(2)
        let halves = ActivationMath.Catalogue.all.filter { $0.valueHalfProperties != nil }.count
        #expect(rows.count == ActivationMath.Catalogue.all.count + halves)
        for key in PropertyKey.allCases {
            #expect(CatalogueTable.definitionsMarkdown().contains(key.definition.definition), "\(key)")
        }
    }

    @Test func tableHasOneRowPerFunction() {
        let rows = CatalogueTable.markdown().split(separator: "\n").dropFirst(2)
        #expect(rows.count == ActivationMath.Catalogue.all.count)
        #expect(zip(rows, ActivationMath.Catalogue.all).allSatisfy { $0.hasPrefix("| `\($1.name)` |") })
    }
}

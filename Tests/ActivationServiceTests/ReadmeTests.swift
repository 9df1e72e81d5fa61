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

    @Test func tableHasOneRowPerFunction() {
        let rows = CatalogueTable.markdown().split(separator: "\n").dropFirst(2)
        #expect(rows.count == ActivationMath.Catalogue.all.count)
        #expect(zip(rows, ActivationMath.Catalogue.all).allSatisfy { $0.hasPrefix("| `\($1.name)` |") })
    }
}

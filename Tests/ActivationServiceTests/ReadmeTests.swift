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

    @Test func tableHasOneRowPerFunction() {
        let rows = CatalogueTable.markdown().split(separator: "\n").dropFirst(2)
        #expect(rows.count == ActivationMath.Catalogue.all.count)
        #expect(zip(rows, ActivationMath.Catalogue.all).allSatisfy { $0.hasPrefix("| `\($1.name)` |") })
    }
}

import Foundation
import Testing
@testable import HTTPServer

/// The fuzzer's seed corpus doubles as a regression table: each file's name starts with the
/// outcome it must have ("ok-…": every request accepted and nothing left over; "400-…" etc.:
/// refused with that status, nothing accepted before), fed whole, byte by byte and at every split.
@Suite struct ParserCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    static let seeds: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }()

    @Test func corpusIsThere() {
        #expect(Self.seeds.count >= 30)
    }

    @Test(arguments: seeds)
    func seedHasTheOutcomeItsNameSays(name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(name)))
        let events = parse(bytes, everySplit: true)
        let expected = try #require(name.split(separator: "-").first.map(String.init))
        if expected == "ok" {
            #expect(!events.isEmpty && events.allSatisfy { if case .error = $0 { false } else { true } }, "\(events)")
            let (_, parser) = feed(bytes)
            #expect(parser.isIdle, "bytes left over or a request incomplete")
        } else {
            #expect(events.last == .error(try #require(Int(expected))), "\(events)")
            #expect(!events.contains { $0.request != nil }, "\(events)")
        }
    }
}

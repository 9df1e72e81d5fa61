import Foundation
import HTTPServer
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import ActivationService

/// The explorer page and `GET /v1/functions/{name}/plot.svg`, over a real socket: the page's
/// files are served as committed in explorer/, under the page's security policy, with nothing
/// inline; the SVG is well-formed and its curves are the API's numbers. (The page itself runs
/// in Chromium in scripts/page-checks.sh.)
@Suite struct ExplorerPageTests {
    /// The repository's explorer/ folder, found from this file.
    static let explorer = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("explorer")

    /// Every file of explorer/, with the path and type it must be served at: the page at `/`,
    /// the icon where browsers look for it, the rest under `/explorer/`.
    static func files() throws -> [(path: String, file: String, type: String)] {
        let types = ["html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
                     "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        return try FileManager.default.contentsOfDirectory(atPath: explorer.path).sorted().map { file in
            let path = file == "index.html" ? "/" : file == "favicon.svg" ? "/favicon.svg" : "/explorer/\(file)"
            return (path, file, types[String(file.split(separator: ".").last ?? "")] ?? "?")
        }
    }

    /// The embedded copy is current: each file is served byte for byte as explorer/ holds it
    /// (run scripts/embed-explorer.py after editing the page).
    @Test func servesEachFileAsCommitted() async throws {
        let live = try LiveService()
        var total = 0
        let files = try Self.files()
        #expect(files.count >= 9, "\(files.map(\.file))")
        // Every file is served, and the service serves no other page file.
        #expect(Set(files.map(\.path)) == ExplorerRoutes.openPaths)
        for entry in files {
            let committed = try [UInt8](Data(contentsOf: Self.explorer.appendingPathComponent(entry.file)))
            let response = try live.send("GET", entry.path)
            #expect(response.status == 200, "\(entry.path)")
            #expect(response.header("Content-Type") == entry.type, "\(entry.path)")
            #expect(response.header("Cache-Control") == "max-age=300", "\(entry.path)")
            #expect(response.body == committed, "\(entry.path) differs from explorer/\(entry.file): run scripts/embed-explorer.py")
            total += response.body.count
        }
        #expect(total < 300 * 1024, "the page weighs \(total) bytes")
        await live.stop()
    }

    /// The page runs under `ContentSecurityPolicy.page` as it is: no inline script, no inline
    /// style, no event-handler attribute, and every file it names is one the service serves.
    @Test func thePageNeedsNothingInlineAndNothingFromElsewhere() async throws {
        let live = try LiveService()
        let page = try live.send("GET", "/")
        #expect(page.header("Content-Security-Policy") == ContentSecurityPolicy.page)
        #expect(page.header("X-Content-Type-Options") == "nosniff")
        let html = page.text
        #expect(!html.contains("<style"), "an inline <style> would be refused")
        #expect(!html.contains(" style="), "a style attribute would be refused")
        #expect(html.range(of: #"<script(?![^>]*\ssrc=)"#, options: .regularExpression) == nil, "an inline script would be refused")
        #expect(html.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "an event-handler attribute would be refused")
        let references = html.matches(of: /(?:src|href)="([^"]*)"/).map { String($0.1) }
        #expect(references.contains("/explorer/main.js") && references.contains("/explorer/explorer.css")
            && references.contains("/favicon.svg"))
        for reference in references where !reference.hasPrefix("#") {
            #expect(reference.hasPrefix("/") && !reference.hasPrefix("//"), "\(reference) is not on this origin")
            let answer = try live.send("GET", reference)
            #expect(answer.status == 200, "\(reference) is not served")
        }
        // The modules load nothing by absolute URL (the one URL is the SVG namespace, an
        // identifier) and import only each other, by relative path.
        var urls: [String] = []
        for entry in try Self.files() where entry.file.hasSuffix(".js") {
            let script = try live.send("GET", entry.path).text
            urls += script.matches(of: /https?:\/\/[^'"\s)]+/).map { String($0.0) }
            for imported in script.matches(of: /from '([^']*)'/).map({ String($0.1) }) {
                #expect(imported.hasPrefix("./"), "\(entry.file) imports \(imported)")
                #expect(try live.send("GET", "/explorer/" + imported.dropFirst(2)).status == 200, "\(imported)")
            }
        }
        #expect(urls == ["http://www.w3.org/2000/svg"], "\(urls)")
        await live.stop()
    }

    /// With API keys, a browser can load the page (it cannot send a key when it navigates) but
    /// not the API or the plot without one.
    @Test func withKeysThePageIsOpenAndThePlotIsNot() async throws {
        let (live, _) = try APIKeyTests.liveService(keys: APIKeyTests.key)
        for entry in try Self.files() {
            #expect(try live.send("GET", entry.path).status == 200, "\(entry.path)")
        }
        #expect(try live.send("GET", "/v1/functions/relu/plot.svg").status == 401)
        #expect(try live.send("GET", "/v1/functions/relu/plot.svg", headers: APIKeyTests.bearer).status == 200)
        #expect(try live.send("GET", "/v1/functions").status == 401)
        await live.stop()
    }

    // MARK: - plot.svg

    /// The curves' path data, by `aria-label`, parsed as XML (which fails on a malformed document).
    final class SVGReader: NSObject, XMLParserDelegate {
        var paths: [String: String] = [:]
        var title = ""
        var root = ""
        private var inTitle = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root.isEmpty { root = name }
            if name == "path", let label = attributes["aria-label"] { paths[label] = attributes["d"] }
            inTitle = name == "title" && title.isEmpty
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle { title += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            inTitle = false
        }

        static func read(_ bytes: [UInt8]) throws -> SVGReader {
            let reader = SVGReader()
            let parser = XMLParser(data: Data(bytes))
            parser.delegate = reader
            #expect(parser.parse(), "the SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
            return reader
        }
    }

    static func points(_ d: String) -> [(Double, Double)] {
        d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { part in
            let numbers = part.split(separator: " ").compactMap { Double($0) }
            return (numbers[0], numbers[1])
        }
    }

    /// Each drawn point of f and f′ is where the API's number for that x belongs, to the
    /// hundredth of a pixel the document is written in.
    @Test(arguments: [
        ("leaky_relu", "alpha=0.2&min=-3&max=2", #"{"alpha":0.2}"#, -3.0, 2.0, "leaky_relu (alpha=0.2), float64"),
        ("gelu", "approximate=tanh&dtype=float32", #"{"approximate":"tanh"}"#, -6.0, 6.0, "gelu (approximate=tanh), float32"),
        ("silu", "", "{}", -6.0, 6.0, "swish (beta=1), float64"),
    ])
    func theCurvesAreTheAPIsNumbers(
        name: String, query: String, params: String, low: Double, high: Double, title: String
    ) async throws {
        let live = try LiveService()
        let response = try live.send("GET", "/v1/functions/\(name)/plot.svg?\(query)")
        #expect(response.status == 200, "\(response.text)")
        #expect(response.header("Content-Type") == "image/svg+xml; charset=utf-8")
        #expect(response.header("Content-Security-Policy") == ContentSecurityPolicy.api)
        let svg = try SVGReader.read(response.body)
        #expect(svg.root == "svg")
        #expect(svg.title == title)

        let count = PlotRoute.samples
        let xs = (0..<count).map { low + (high - low) * Double($0) / Double(count - 1) }
        let dtype = query.contains("float32") ? "float32" : "float64"
        let body = #"{"function":"\#(name)","params":\#(params),"dtype":"\#(dtype)","inputs":[\#(xs.map { "\($0)" }.joined(separator: ","))]}"#
        let answer = try live.activate(body)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        let values = try #require(json["values"] as? [Double])
        let gradients = try #require(json["gradients"] as? [Double])
        let (yLow, yHigh) = SVGPlot.paddedRange(values + gradients)
        let plotWidth = 720.0 - 64 - 16, plotHeight = 440.0 - 56 - 40
        for (label, numbers) in [("f(x)", values), ("f′(x)", gradients)] {
            let drawn = Self.points(try #require(svg.paths[label], "no \(label) curve"))
            #expect(drawn.count == count, "\(label)")
            var worst = 0.0
            for ((px, py), (x, y)) in zip(drawn, zip(xs, numbers)) {
                let ex = 64 + (x - low) / (high - low) * plotWidth
                let ey = 56 + (yHigh - y) / (yHigh - yLow) * plotHeight
                worst = max(worst, abs(px - ex), abs(py - ey))
            }
            #expect(worst <= 0.005 + 1e-9, "\(name) \(label): a point is \(worst) px from the API's number")
        }
        await live.stop()
    }

    /// A vector function is drawn along its documented line: softmax's first output for [x, 0].
    @Test func vectorFunctionsAreDrawnAlongTheirLine() async throws {
        let live = try LiveService()
        let response = try live.send("GET", "/v1/functions/softmax/plot.svg?min=-1&max=1")
        #expect(response.status == 200)
        let svg = try SVGReader.read(response.body)
        #expect(String(decoding: response.body, as: UTF8.self).contains("first output for the input [x, 0]"))
        let f = Self.points(try #require(svg.paths["f(x)"]))
        #expect(f.count == PlotRoute.samples)
        // softmax([x, 0])₀ is the logistic sigmoid: increasing, so each point is higher (smaller y).
        #expect(zip(f, f.dropFirst()).allSatisfy { $0.1 > $1.1 })
        for name in ["glu", "swiglu", "sparsemax", "log_softmax"] {
            #expect(try live.send("GET", "/v1/functions/\(name)/plot.svg").status == 200, "\(name)")
        }
        await live.stop()
    }

    /// Refusals: an unknown function 404, a bad range or dtype 400, a parameter the engine
    /// refuses 422 with its code, all as JSON errors.
    @Test func refusals() async throws {
        let live = try LiveService()
        let cases: [(String, Int, String)] = [
            ("/v1/functions/nope/plot.svg", 404, "unknown_function"),
            ("/v1/functions/relu/plot.svg?min=2&max=1", 400, "invalid_query"),
            ("/v1/functions/relu/plot.svg?min=nan", 400, "invalid_query"),
            ("/v1/functions/relu/plot.svg?max=1e300", 400, "invalid_query"),
            ("/v1/functions/relu/plot.svg?dtype=float16", 400, "invalid_query"),
            ("/v1/functions/leaky_relu6/plot.svg?alpha=3", 422, "parameter_out_of_range"),
            ("/v1/functions/relu/plot.svg?alpha=3", 422, "unknown_parameter"),
            ("/v1/functions/gelu/plot.svg?approximate=cubic", 422, "invalid_parameter_value"),
            ("/v1/functions/hardtanh/plot.svg?min_val=2", 422, "parameter_constraint_violated"),
        ]
        for (target, status, code) in cases {
            let response = try live.send("GET", target)
            #expect(response.status == status, "\(target): \(response.text)")
            #expect(response.header("Content-Type") == "application/json", "\(target)")
            #expect(response.header("Cache-Control") == "no-store", "\(target)")
            let error = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["error"] as? [String: Any]
            #expect(error?["code"] as? String == code, "\(target): \(response.text)")
        }
        #expect(try live.send("POST", "/v1/functions/relu/plot.svg").status == 405)
        await live.stop()
    }

    @Test func ticksAreRoundNumbersWrittenExactly() {
        #expect(SVGPlot.ticks(-6, 6).map(\.label) == ["-6", "-4", "-2", "0", "2", "4", "6"])
        #expect(SVGPlot.ticks(-0.05, 0.32).map(\.label) == ["-0.05", "0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3"])
        #expect(SVGPlot.ticks(0.1, 0.7).map(\.label) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        #expect(SVGPlot.ticks(1, 1).isEmpty)
        #expect(SVGPlot.decimalText(-25, decimals: 2) == "-0.25")
        #expect(SVGPlot.decimalText(30, decimals: 1) == "3")
        #expect(SVGPlot.paddedRange([.nan, .infinity]) == (-1, 1))
        #expect(SVGPlot.escaped(#"<a & "b">"#) == "&lt;a &amp; &quot;b&quot;&gt;")
    }
}

/// Draws f and f′ over a range as a standalone SVG 1.1 document: axes with round-number ticks,
/// f solid, f′ dashed, a legend, and a `<title>`/`<desc>` for screen readers.
///
/// Colours are presentation attributes, not a `<style>` element: the document is served under
/// `ContentSecurityPolicy.api`, which forbids inline style when the SVG is opened on its own.
/// The background is white so the plot reads the same on light and dark pages. Points where a
/// value is not finite break the curve; the y range covers every finite value of both curves.
struct SVGPlot {
    let title: String
    /// A line under the title (how a vector function was cut), if any.
    let slice: String?
    let xs: [Double]
    let values: [Double]
    let derivatives: [Double]

    static let width = 720.0
    static let height = 440.0
    private static let (left, right, top, bottom) = (64.0, 16.0, 56.0, 40.0)
    static let valueColour = "#1f5fa8"
    static let derivativeColour = "#b4420c"

    func render() -> String {
        let xRange = (xs.first ?? -1, xs.last ?? 1)
        let yRange = Self.paddedRange(values + derivatives)
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + (x - xRange.0) / (xRange.1 - xRange.0) * plotWidth }
        func py(_ y: Double) -> Double { Self.top + (yRange.1 - y) / (yRange.1 - yRange.0) * plotHeight }

        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.fixed(Self.width))" height="\(Self.fixed(Self.height))" \
            viewBox="0 0 \(Self.fixed(Self.width)) \(Self.fixed(Self.height))" role="img" aria-labelledby="plot-title plot-desc" \
            font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">
            <title id="plot-title">\(Self.escaped(title))</title>
            <desc id="plot-desc">f(x) (solid) and its derivative f′(x) (dashed) for x from \(Self.shortest(xRange.0)) to \(Self.shortest(xRange.1)), computed by activation-service.</desc>
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="\(Self.fixed(Self.left))" y="22" font-size="15" font-weight="600" fill="#111111">\(Self.escaped(title))</text>\n
            """
        if let slice {
            svg += "<text x=\"\(Self.fixed(Self.left))\" y=\"40\" fill=\"#555555\">\(Self.escaped(slice))</text>\n"
        }
        // Grid and tick labels.
        svg += "<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n"
        let xTicks = Self.ticks(xRange.0, xRange.1), yTicks = Self.ticks(yRange.0, yRange.1)
        for tick in xTicks { svg += "<line x1=\"\(Self.fixed(px(tick.value)))\" y1=\"\(Self.fixed(Self.top))\" x2=\"\(Self.fixed(px(tick.value)))\" y2=\"\(Self.fixed(Self.height - Self.bottom))\"/>\n" }
        for tick in yTicks { svg += "<line x1=\"\(Self.fixed(Self.left))\" y1=\"\(Self.fixed(py(tick.value)))\" x2=\"\(Self.fixed(Self.width - Self.right))\" y2=\"\(Self.fixed(py(tick.value)))\"/>\n" }
        svg += "</g>\n<g fill=\"#444444\">\n"
        for tick in xTicks {
            svg += "<text x=\"\(Self.fixed(px(tick.value)))\" y=\"\(Self.fixed(Self.height - Self.bottom + 16))\" text-anchor=\"middle\">\(tick.label)</text>\n"
        }
        for tick in yTicks {
            svg += "<text x=\"\(Self.fixed(Self.left - 6))\" y=\"\(Self.fixed(py(tick.value) + 4))\" text-anchor=\"end\">\(tick.label)</text>\n"
        }
        svg += "</g>\n"
        // The axes through 0, when 0 is in view.
        svg += "<g stroke=\"#888888\" stroke-width=\"1\">\n"
        if xRange.0 <= 0, 0 <= xRange.1 { svg += "<line x1=\"\(Self.fixed(px(0)))\" y1=\"\(Self.fixed(Self.top))\" x2=\"\(Self.fixed(px(0)))\" y2=\"\(Self.fixed(Self.height - Self.bottom))\"/>\n" }
        if yRange.0 <= 0, 0 <= yRange.1 { svg += "<line x1=\"\(Self.fixed(Self.left))\" y1=\"\(Self.fixed(py(0)))\" x2=\"\(Self.fixed(Self.width - Self.right))\" y2=\"\(Self.fixed(py(0)))\"/>\n" }
        svg += "</g>\n"
        // The curves.
        svg += Self.path(xs, values, px: px, py: py, attributes: "stroke=\"\(Self.valueColour)\" stroke-width=\"2.25\"", label: "f(x)")
        svg += Self.path(xs, derivatives, px: px, py: py, attributes: "stroke=\"\(Self.derivativeColour)\" stroke-width=\"2\" stroke-dasharray=\"7 4\"", label: "f′(x)")
        // The legend, top right.
        let legendX = Self.width - Self.right - 150
        svg += """
            <g font-size="13" fill="#111111">
            <line x1="\(Self.fixed(legendX))" y1="22" x2="\(Self.fixed(legendX + 28))" y2="22" stroke="\(Self.valueColour)" stroke-width="2.25"/>
            <text x="\(Self.fixed(legendX + 34))" y="26">f(x)</text>
            <line x1="\(Self.fixed(legendX + 76))" y1="22" x2="\(Self.fixed(legendX + 104))" y2="22" stroke="\(Self.derivativeColour)" stroke-width="2" stroke-dasharray="7 4"/>
            <text x="\(Self.fixed(legendX + 110))" y="26">f′(x)</text>
            </g>
            </svg>\n
            """
        return svg
    }

    /// One `<path>` per curve; a non-finite value ends a run and the next finite one starts another.
    private static func path(
        _ xs: [Double], _ ys: [Double], px: (Double) -> Double, py: (Double) -> Double, attributes: String, label: String
    ) -> String {
        var data = ""
        var drawing = false
        for (x, y) in zip(xs, ys) {
            guard y.isFinite else { drawing = false; continue }
            data += (drawing ? "L" : "M") + fixed(px(x)) + " " + fixed(py(y))
            drawing = true
        }
        return "<path d=\"\(data)\" fill=\"none\" \(attributes) stroke-linejoin=\"round\" aria-label=\"\(label)\"/>\n"
    }

    /// The finite values' range with 5 % margins; [-1, 1] around a constant or when none is finite.
    static func paddedRange(_ values: [Double]) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else { return (-1, 1) }
        if high - low < 1e-12 * max(1, abs(low)) { (low, high) = (low - 1, high + 1) }
        let margin = (high - low) * 0.05
        return (low - margin, high + margin)
    }

    /// Ticks at round numbers (1, 2 or 5 times a power of ten), about six over the range, each
    /// with a label written from integers so that 0.1 × 3 prints as 0.3.
    static func ticks(_ low: Double, _ high: Double) -> [(value: Double, label: String)] {
        let raw = (high - low) / 6
        guard raw.isFinite, raw > 0 else { return [] }
        var magnitude = 1.0
        var decimals = 0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10; decimals += 1 }
        let normalised = raw / magnitude
        let factor = normalised < 1.5 ? 1.0 : normalised < 3.5 ? 2.0 : normalised < 7.5 ? 5.0 : 10.0
        let step = factor * magnitude
        var ticks: [(Double, String)] = []
        var k = (low / step - 1e-9).rounded(.up)
        // A tick at the end of the range counts even when k · step rounds just past it (7 · 0.1).
        while k * step <= high + step * 1e-9, ticks.count < 20 {
            let value = k * step
            let label: String
            if abs(value) >= 1e15 || decimals > 15 {
                label = shortest(value)
            } else if decimals == 0 {
                label = String(Int(value.rounded()))
            } else {
                // value = k · factor · 10^-decimals, written as an integer with a decimal point.
                var scale = 1.0
                for _ in 0..<decimals { scale *= 10 }
                label = decimalText(Int((value * scale).rounded()), decimals: decimals)
            }
            ticks.append((value, label))
            k += 1
        }
        return ticks
    }

    /// `units` / 10^decimals as text: (-25, 2) is "-0.25", (30, 1) is "3".
    static func decimalText(_ units: Int, decimals: Int) -> String {
        var digits = String(units.magnitude)
        while digits.count <= decimals { digits = "0" + digits }
        let split = digits.index(digits.endIndex, offsetBy: -decimals)
        var fraction = String(digits[split...])
        while fraction.last == "0" { fraction.removeLast() }
        let whole = String(digits[..<split])
        return (units < 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// A coordinate with two decimals (a hundredth of a pixel).
    static func fixed(_ value: Double) -> String {
        decimalText(Int((value * 100).rounded()), decimals: 2)
    }

    /// The shortest text that reads back to `value`, without a trailing ".0".
    static func shortest(_ value: Double) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// Text for element content and attribute values.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}

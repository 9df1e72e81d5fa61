import Foundation
@testable import ActivationMath

/// The adversarial search's worst elementwise cases (scripts/references/adversarial.py):
/// Tests/ActivationMathTests/References/adversarial.tsv, one input a line, tab-separated:
/// function, parameter set (an index into the manifest's cases), dtype, then x, f, d (PyTorch's
/// kink convention), dj (JAX's) and the learnable partials ("-" when none, else comma-separated),
/// all as IEEE bit patterns in hex of the dtype, the references correctly rounded from mpmath.
enum AdversarialData {
    struct Row: Sendable {
        var function: String
        var parameterSet: Int
        var dtype: String
        var x: Double
        var f: Double
        var d: Double
        var dj: Double
        var partials: [Double]
    }

    static let rows: [Row] = {
        let url = ReferenceData.directory.appendingPathComponent("adversarial.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8, let set = Int(fields[1]) else { return nil }
            let float32 = fields[2] == "f32"
            func decode(_ hex: String) -> Double {
                let bits = UInt64(hex, radix: 16) ?? 0
                return float32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))) : Double(bitPattern: bits)
            }
            return Row(
                function: fields[0], parameterSet: set, dtype: fields[2], x: decode(fields[3]), f: decode(fields[4]),
                d: decode(fields[5]), dj: decode(fields[6]),
                partials: fields[7] == "-" ? [] : fields[7].split(separator: ",").map { decode(String($0)) })
        }
    }()

    /// The rows of one reference case.
    static func rows(for reference: ReferenceCase) -> [Row] {
        rows.filter { $0.function == reference.function && $0.parameterSet == reference.parameterSet
            && $0.dtype == reference.dtype }
    }
}

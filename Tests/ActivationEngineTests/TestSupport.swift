import Foundation
import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// Error in units of the dtype's spacing at |reference| (for a reference of 0, the smallest
/// subnormal). Equal special values (same NaN-ness, same infinity) count as 0; +0 and −0 are
/// equal; a special value against a finite one is infinitely wrong.
func ulpError(_ actual: Double, _ reference: Double, dtype: DType, scale: Double? = nil) -> Double {
    if actual.isNaN || reference.isNaN { return actual.isNaN && reference.isNaN ? 0 : .infinity }
    if actual.isInfinite || reference.isInfinite { return actual == reference ? 0 : .infinity }
    let magnitude = Swift.max(Swift.abs(reference), scale ?? 0)
    let unit: Double
    switch dtype {
    case .float32: unit = magnitude == 0 ? Double(Float.leastNonzeroMagnitude) : Double(Float(magnitude).ulp)
    case .float64: unit = magnitude == 0 ? Double.leastNonzeroMagnitude : magnitude.ulp
    }
    return Swift.abs(actual - reference) / unit
}

/// Bit-for-bit equality of two tensors (NaNs compared by payload too).
func sameBits(_ a: Tensor?, _ b: Tensor?) -> Bool {
    switch (a?.storage, b?.storage) {
    case (nil, nil): return true
    case (.float32(let x)?, .float32(let y)?): return a?.shape == b?.shape && x.map(\.bitPattern) == y.map(\.bitPattern)
    case (.float64(let x)?, .float64(let y)?): return a?.shape == b?.shape && x.map(\.bitPattern) == y.map(\.bitPattern)
    default: return false
    }
}

/// The error an engine call throws, or `nil` when it succeeds.
func engineError(_ batch: [Evaluation]) -> EngineError? {
    engineError(Engine(), batch)
}

/// The error `engine` throws for `batch`, or `nil` when it succeeds.
func engineError(_ engine: Engine, _ batch: [Evaluation]) -> EngineError? {
    do {
        _ = try engine.evaluate(batch)
        return nil
    } catch {
        return error
    }
}

/// A tensor of the given shape filled with a deterministic pattern covering both signs.
func patterned(_ shape: [Int], dtype: DType = .float64, scale: Double = 3) -> Tensor {
    let count = Tensor.elementCount(of: shape)!
    let doubles = (0..<count).map { i in scale * sin(Double(i) * 0.7371 + 0.3) }
    switch dtype {
    case .float64: return try! Tensor(shape: shape, float64: doubles)
    case .float32: return try! Tensor(shape: shape, float32: doubles.map { Float($0) })
    }
}

/// One line of Tests/ActivationEngineTests/References/vector.tsv or vector-adversarial.tsv (see
/// scripts/references/vector_references.py for the format, scripts/references/adversarial.py for
/// how the second is found).
struct VectorReference {
    var function: String
    var dtype: DType
    var parameters: [String: ParameterInput]
    var x: [Double]
    var g: [Double]
    var y: [Double]
    var dx: [Double]
    /// Which table the case comes from.
    var table: String

    /// The random and fixed cases of vector_references.py.
    static let all: [VectorReference] = load("vector.tsv")
    /// The worst cases the adversarial search has found.
    static let adversarial: [VectorReference] = load("vector-adversarial.tsv")

    static func load(_ name: String) -> [VectorReference] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("References/" + name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let dtype: DType = fields[1] == "f32" ? .float32 : .float64
            var parameters: [String: ParameterInput] = [:]
            if fields[2] != "-" {
                for pair in fields[2].split(separator: ",") {
                    let parts = pair.split(separator: "=").map(String.init)
                    parameters[parts[0]] = .string(parts[1])
                }
            }
            func decode(_ field: String, _ type: DType) -> [Double] {
                field.split(separator: ",").map { hex in
                    let bits = UInt64(hex, radix: 16)!
                    return type == .float32 ? Double(Float(bitPattern: UInt32(bits))) : Double(bitPattern: bits)
                }
            }
            return VectorReference(
                function: fields[0], dtype: dtype, parameters: parameters, x: decode(fields[3], dtype),
                g: decode(fields[4], dtype), y: decode(fields[5], dtype), dx: decode(fields[6], dtype),
                table: name)
        }
    }

    func tensor(_ values: [Double]) -> Tensor {
        dtype == .float32 ? Tensor(float32: values.map { Float($0) }) : Tensor(values)
    }

    var evaluation: Evaluation {
        Evaluation(function: function, parameters: parameters, dtype: dtype, input: tensor(x), gradOutput: tensor(g))
    }
}

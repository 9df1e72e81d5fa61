import Foundation
@testable import ActivationMath

/// The committed reference vectors (scripts/references/generate.py): for each function,
/// parameter set and dtype, inputs with f, f' under both kink conventions and the learnable
/// partials, computed with mpmath and rounded correctly to the dtype.
///
/// Found through `#filePath` rather than as package resources, so that Package.swift stays
/// free of test data and the files can be regenerated in place.
enum ReferenceData {
    /// The directory holding manifest.json and the binary tables.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("References")

    /// Every case in the manifest, in catalogue order; empty if the manifest cannot be read
    /// (the tests then fail on the missing cases rather than crash).
    static let cases: [ReferenceCase] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("manifest.json")),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
        else { return [] }
        return manifest.cases
    }()

    /// The cases of one function and dtype.
    static func cases(for function: ActivationFunction, dtype: String) -> [ReferenceCase] {
        cases.filter { $0.function == function.name && $0.dtype == dtype }
    }

    private struct Manifest: Decodable {
        var cases: [ReferenceCase]
    }
}

/// One parameter value in the manifest: a number (written exactly, as hex, in `parameterBits`)
/// or a choice.
enum ManifestParameter: Decodable, Hashable, Sendable {
    case number(Double)
    case choice(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .choice(text)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }
}

/// One table: its function, parameters, dtype, columns and where its rows are.
struct ReferenceCase: Decodable, Sendable, CustomStringConvertible {
    var function: String
    var parameterSet: Int
    var dtype: String
    var file: String
    var parameters: [String: ManifestParameter]
    var parameterBits: [String: String]
    var columns: [String]
    var count: Int
    var kinks: [Double]

    var activation: ActivationFunction? { ActivationFunction(rawValue: function) }

    /// The parameters as the engine resolves them: numbers exact (from their hex spelling, which
    /// for float32 cases is already the float32 value), choices as strings.
    var resolved: ResolvedParameters {
        var values: [String: ParameterValue] = [:]
        for (name, value) in parameters {
            switch value {
            case .choice(let text): values[name] = .choice(text)
            case .number(let number):
                values[name] = .number(parameterBits[name].flatMap { Double($0) } ?? number)
            }
        }
        return ResolvedParameters(values)
    }

    /// "alpha=0.2, cap=6" for tables and messages.
    var parameterText: String {
        let text = parameters.keys.sorted().map { name -> String in
            switch parameters[name]! {
            case .choice(let choice): return "\(name)=\(choice)"
            case .number(let number): return "\(name)=\(number.formatted6)"
            }
        }
        return text.isEmpty ? "-" : text.joined(separator: ", ")
    }

    var description: String { "\(function)(\(parameterText)) \(dtype)" }

    /// The table's columns by name ("x", "f", "d", optionally "dj", and "d_<parameter>").
    func load<T: ReferenceScalar>(as _: T.Type) -> [String: [T]] {
        guard let data = try? Data(contentsOf: ReferenceData.directory.appendingPathComponent(file)),
            data.count == count * columns.count * MemoryLayout<T.Bits>.size
        else { return [:] }
        var table: [String: [T]] = [:]
        for name in columns { table[name] = [] }
        data.withUnsafeBytes { raw in
            for row in 0..<count {
                for (k, name) in columns.enumerated() {
                    let offset = (row * columns.count + k) * MemoryLayout<T.Bits>.size
                    let bits = raw.loadUnaligned(fromByteOffset: offset, as: T.Bits.self)
                    table[name]!.append(T(bitPattern: T.Bits(littleEndian: bits)))
                }
            }
        }
        return table
    }
}

/// Float and Double as the tests drive them through the engine.
protocol ReferenceScalar: BinaryFloatingPoint, Sendable {
    /// The unsigned integer of the same width (the file stores bit patterns).
    associatedtype Bits: FixedWidthInteger
    init(bitPattern: Bits)
    static var dtype: String { get }
    static func run(
        _ function: ActivationFunction, _ parameters: ResolvedParameters,
        _ convention: KinkConvention, _ buffers: ElementwiseBuffers<Self>
    ) -> ParameterGradientSums
}

extension Double: ReferenceScalar {
    typealias Bits = UInt64
    static var dtype: String { "f64" }
    static func run(
        _ function: ActivationFunction, _ parameters: ResolvedParameters,
        _ convention: KinkConvention, _ buffers: ElementwiseBuffers<Double>
    ) -> ParameterGradientSums {
        ElementwiseEvaluator.run(function, parameters: parameters, convention: convention, buffers)
    }
}

extension Float: ReferenceScalar {
    typealias Bits = UInt32
    static var dtype: String { "f32" }
    static func run(
        _ function: ActivationFunction, _ parameters: ResolvedParameters,
        _ convention: KinkConvention, _ buffers: ElementwiseBuffers<Float>
    ) -> ParameterGradientSums {
        ElementwiseEvaluator.run(function, parameters: parameters, convention: convention, buffers)
    }
}

extension Double {
    /// Up to six significant digits, for tables.
    var formatted6: String {
        if self == rounded(), magnitude < 1e6 { return String(Int(self)) }
        return String(format: "%.6g", self)
    }
}

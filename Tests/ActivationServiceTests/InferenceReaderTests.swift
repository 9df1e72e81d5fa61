import ActivationEngine
import ActivationMath
import Testing

@testable import ActivationService

/// The inference request reader in memory: JSON and binary inputs into the engine's types,
/// parameters and outputs, and every framing fault answered with its own error.
@Suite struct InferenceReaderTests {
    static let reader = InferenceRequestReader(maxElements: 1 << 20)

    static func model(_ name: String) -> FunctionMetadata {
        Catalogue.metadata(for: ActivationFunction(named: name)!)!
    }

    /// A body of `json` followed by `binary`, and the header length when there is binary data.
    static func read(
        _ json: String, binary: [UInt8] = [], headerLength: String? = nil, model: String = "gelu",
        maxElements: Int = 1 << 20
    ) throws(ServiceError) -> InferenceRequest {
        let body = Array(json.utf8) + binary
        let length = headerLength ?? (binary.isEmpty ? nil : String(json.utf8.count))
        return try InferenceRequestReader(maxElements: maxElements).read(body, headerLength: length, model: Self.model(model))
    }

    static func error(
        _ json: String, binary: [UInt8] = [], headerLength: String? = nil, model: String = "gelu",
        maxElements: Int = 1 << 20, sourceLocation: SourceLocation = #_sourceLocation
    ) -> ServiceError? {
        do {
            let request = try read(json, binary: binary, headerLength: headerLength, model: model, maxElements: maxElements)
            Issue.record("expected an error, read \(request)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    static func bytes(_ values: [Float]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }
    static func bytes(_ values: [Double]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    @Test func jsonInputFlatOrNestedBecomesTheEngineTensor() throws {
        for data in ["[1, 2, 3, 4, 5, 6]", "[[1, 2, 3], [4, 5, 6]]"] {
            let request = try Self.read(#"{"inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP64", "data": \#(data)}]}"#)
            #expect(request.evaluation.input == (try Tensor(shape: [2, 3], float64: [1, 2, 3, 4, 5, 6])))
            #expect(request.evaluation.function == "gelu")
            #expect(request.evaluation.dtype == .float64)
            #expect(request.evaluation.outputs == .both)
            #expect(request.outputs.map(\.output) == [.values, .gradients])
            #expect(request.outputs.allSatisfy { !$0.binary })
        }
    }

    @Test func float32TextIsRoundedOnceToFloat32() throws {
        // What tritonclient sends for float32 data in JSON: the double of each float32.
        let request = try Self.read(
            #"{"inputs": [{"name": "x", "shape": [3], "datatype": "FP32", "data": [0.10000000149011612, 1e-45, 3.4028234663852886e38]}]}"#)
        #expect(request.evaluation.input == Tensor(float32: [0.1, Float(bitPattern: 1), .greatestFiniteMagnitude]))
    }

    @Test func bareAndQuotedNonFiniteNumbersAreAccepted() throws {
        let request = try Self.read(
            #"{"inputs": [{"name": "x", "shape": [6], "datatype": "FP64", "data": [NaN, Infinity, -Infinity, "NaN", "Infinity", "-Infinity"]}]}"#)
        let values = request.evaluation.input.storage.doubles
        #expect(values[0].isNaN && values[3].isNaN)
        #expect(values[1] == .infinity && values[4] == .infinity && values[2] == -.infinity && values[5] == -.infinity)
    }

    @Test func binaryInputsAreTakenInOrderBitForBit() throws {
        let x: [Float] = [-1.5, .nan, 0, -0.0, .infinity, Float(bitPattern: 1)]
        let g: [Float] = [1, 2, 3, 4, 5, 6]
        let json = """
            {"inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP32", "parameters": {"binary_data_size": 24}},
                        {"name": "grad_output", "shape": [2, 3], "datatype": "FP32", "parameters": {"binary_data_size": 24}}],
             "parameters": {"binary_data_output": true, "approximate": "tanh", "conventions": "jax"}}
            """
        let request = try Self.read(json, binary: Self.bytes(x) + Self.bytes(g))
        guard case .float32(let stored) = request.evaluation.input.storage else {
            Issue.record("x should be float32")
            return
        }
        #expect(stored.map(\.bitPattern) == x.map(\.bitPattern))
        #expect(request.evaluation.input.shape == [2, 3])
        #expect(request.evaluation.gradOutput == (try Tensor(shape: [2, 3], float32: g)))
        #expect(request.evaluation.parameters == ["approximate": .string("tanh")])
        #expect(request.evaluation.conventions == .jax)
        #expect(request.outputs.allSatisfy { $0.binary })
    }

    @Test func outputsSelectWhatIsComputedAndHowItIsSent() throws {
        let json = """
            {"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [1]}],
             "parameters": {"binary_data_output": true},
             "outputs": [{"name": "param_gradients.alpha", "parameters": {"binary_data": false}}, {"name": "values"}]}
            """
        let request = try Self.read(json, model: "prelu")
        #expect(request.outputs == [
            .init(output: .parameterGradient("alpha"), binary: false), .init(output: .values, binary: true),
        ])
        #expect(request.evaluation.outputs == .both)
        let valuesOnly = try Self.read(
            #"{"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [1]}], "outputs": [{"name": "values"}]}"#)
        #expect(valuesOnly.evaluation.outputs == .values)
        let gradientsOnly = try Self.read(
            #"{"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [1]}], "outputs": [{"name": "gradients"}]}"#)
        #expect(gradientsOnly.evaluation.outputs == .gradients)
    }

    @Test func perChannelParameterArrivesAsATensorAndScalarsAsParameters() throws {
        let json = """
            {"id": "req-7", "inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [1, -1, -2]},
                        {"name": "alpha", "shape": [3], "datatype": "FP32", "data": [0.5, 0.25, 0.125]}],
             "parameters": {"priority": 3, "timeout": 1000, "sequence_id": 0, "triton_enable_empty_final_response": true}}
            """
        let request = try Self.read(json, model: "prelu")
        #expect(request.id == "req-7")
        #expect(request.evaluation.parameters == ["alpha": .numbers([0.5, 0.25, 0.125])])
        let scalar = try Self.read(
            #"{"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [1]}], "parameters": {"alpha": 0.5, "axis": 0}}"#,
            model: "prelu")
        #expect(scalar.evaluation.parameters == ["alpha": .number(0.5)])
        #expect(scalar.evaluation.axis == 0)
    }

    @Test func framingFaultsAreBinaryFramingErrors() {
        let x = Self.bytes([Float](repeating: 1, count: 4))
        let header = #"{"inputs": [{"name": "x", "shape": [4], "datatype": "FP32", "parameters": {"binary_data_size": 16}}]}"#
        let cases: [(String, [UInt8], String?, String)] = [
            (header, x + [0], nil, "bytes follow the last binary tensor"),
            (header, Array(x.prefix(15)), nil, "only 15 remain"),
            (header, [], nil, "no binary data"),
            (header, x, "12a", "decimal byte count"),
            (header, x, "+12", "decimal byte count"),
            (header, x, "", "decimal byte count"),
            (header, x, "0", "but the body has"),
            (header, x, String(header.utf8.count + 17), "but the body has"),
            (header, x, "99999999999999999999", "decimal byte count"),
            (header.replacingOccurrences(of: "16}", with: "12}"), Array(x.prefix(12)), nil, "take 16"),
        ]
        for (json, binary, length, message) in cases {
            guard let error = Self.error(json, binary: binary, headerLength: length) else { continue }
            #expect(error.code == .binaryFraming, "\(error.message)")
            #expect(error.status == .badRequest)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func shapesAreCheckedBeforeAnythingIsStored() {
        let bad: [(String, ServiceError.Code)] = [
            (#"[-1]"#, .invalidValue), (#"[1.5]"#, .invalidType), (#"[2e-1]"#, .invalidType), (#"["2"]"#, .invalidType),
            (#"[4611686018427387904]"#, .invalidValue), (#"[1,1,1,1,1,1,1,1,1]"#, .tooManyDimensions),
            (#"[4294967296, 4294967296]"#, .invalidValue), (#"[1048577]"#, .tooManyElements),
        ]
        for (shape, code) in bad {
            let json = #"{"inputs": [{"name": "x", "shape": \#(shape), "datatype": "FP32", "parameters": {"binary_data_size": 4}}]}"#
            let error = Self.error(json, binary: [0, 0, 0, 0])
            #expect(error?.code == code, "\(shape): \(error?.message ?? "")")
        }
        // JSON Schema's integers include 4.0 and 4e0; so do shapes and sizes.
        let integral = #"{"inputs": [{"name": "x", "shape": [4.0], "datatype": "FP32", "parameters": {"binary_data_size": 16e0}}]}"#
        #expect((try? Self.read(integral, binary: Self.bytes([Float](repeating: 1, count: 4))))?.evaluation.input.shape == [4])
        let mismatch = Self.error(#"{"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP64", "data": [1, 2, 3]}]}"#)
        #expect(mismatch?.code == .shapeMismatch)
        let nested = Self.error(#"{"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP64", "data": [[1], [2], [3], [4]]}]}"#)
        #expect(nested?.code == .shapeMismatch)
    }

    @Test func requestFaultsNameWhatIsWrong() {
        let x = #"{"name": "x", "shape": [1], "datatype": "FP64", "data": [1]}"#
        let cases: [(String, String, ServiceError.Code, String)] = [
            (#"{"inputs": [{"name": "y", "shape": [1], "datatype": "FP64", "data": [1]}]}"#, "gelu", .invalidValue, "unknown input 'y'"),
            (#"{"inputs": [\#(x), \#(x)]}"#, "gelu", .invalidValue, "given twice"),
            (#"{"inputs": []}"#, "gelu", .invalidValue, "must include the input 'x'"),
            (#"{"outputs": []}"#, "gelu", .missingField, "inputs"),
            (#"{"inputs": [{"name": "x", "shape": [1], "datatype": "FP16", "data": [1]}]}"#, "gelu", .invalidValue, "FP16"),
            (#"{"inputs": [{"name": "x", "shape": [1], "datatype": "FP64"}]}"#, "gelu", .missingField, "data"),
            (#"{"inputs": [{"name": "x", "datatype": "FP64", "data": [1]}]}"#, "gelu", .missingField, "shape"),
            (#"{"inputs": [\#(x)], "outputs": [{"name": "logits"}]}"#, "gelu", .invalidValue, "unknown output 'logits'"),
            (#"{"inputs": [\#(x)], "outputs": [{"name": "param_gradients.alpha"}]}"#, "gelu", .invalidValue, "unknown output"),
            (#"{"inputs": [\#(x)], "outputs": []}"#, "gelu", .invalidValue, "at least one output"),
            (#"{"inputs": [\#(x)], "outputs": [{"name": "values"}, {"name": "values"}]}"#, "gelu", .invalidValue, "twice"),
            (#"{"inputs": [\#(x)], "outputs": [{"name": "values", "parameters": {"classification": 2}}]}"#, "gelu", .invalidValue,
             "classification"),
            (#"{"inputs": [\#(x)], "parameters": {"binary_data_output": 1}}"#, "gelu", .invalidType, "boolean"),
            (#"{"inputs": [\#(x)], "parameters": {"alpha": true}}"#, "prelu", .invalidType, "a number or a string"),
            (#"{"inputs": [\#(x)], "parameters": {"axis": 0.5}}"#, "softmax", .invalidType, "integer"),
            (#"{"inputs": [\#(x)], "parameters": {"conventions": "tf"}}"#, "gelu", .invalidValue, "pytorch"),
            (#"{"inputs": [\#(x)], "inputz": []}"#, "gelu", .unknownField, "inputz"),
            (#"{"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [1], "parameters": {"shared_memory_region": "r"}}]}"#,
             "gelu", .invalidValue, "shared memory"),
            (#"{"inputs": [\#(x), {"name": "grad_output", "shape": [1], "datatype": "FP32", "data": [1]}]}"#, "gelu", .invalidValue,
             "datatype FP32"),
            (#"{"inputs": [\#(x), {"name": "alpha", "shape": [1], "datatype": "FP64", "data": [1]}], "parameters": {"alpha": 1}}"#,
             "prelu", .invalidValue, "both"),
            (#"{"inputs": [\#(x), {"name": "alpha", "shape": [1, 1], "datatype": "FP64", "data": [1]}]}"#, "prelu", .invalidValue,
             "one value per channel"),
            (#"{"inputs": [\#(x)]} x"#, "gelu", .malformedJSON, "after the JSON header"),
            (#"[]"#, "gelu", .invalidType, "an inference request object"),
            (#"{"inputs": [{"name": "x", "shape": [2], "datatype": "FP32", "data": [1, 1e39]}]}"#, "gelu", .invalidValue, "float32"),
        ]
        for (json, model, code, message) in cases {
            guard let error = Self.error(json, model: model) else { continue }
            #expect(error.code == code, "\(json): \(error.message)")
            #expect(error.message.contains(message), "\(json): \(error.message)")
        }
        #expect(Self.error(#"{"inputs": [\#(x)]}"#, maxElements: 0)?.code == .tooManyElements)
    }

    @Test func arbitraryBytesNeverCrashTheReader() {
        // A deterministic sweep of mutations of a valid binary request: every one either
        // reads or fails with a ServiceError (the fuzzer does this at scale).
        let header = #"{"inputs":[{"name":"x","shape":[2],"datatype":"FP64","parameters":{"binary_data_size":16}}]}"#
        let body = Array(header.utf8) + Self.bytes([1.0, 2.0])
        var generator = JSONTestSupport.Generator(seed: 42)
        for _ in 0..<2000 {
            var mutated = body
            for _ in 0..<(1 + generator.below(4)) {
                mutated[generator.below(mutated.count)] = UInt8(truncatingIfNeeded: generator.next())
            }
            let cut = generator.below(mutated.count + 1)
            let length = generator.below(3) == 0 ? String(generator.below(body.count + 2)) : String(header.utf8.count)
            _ = try? Self.reader.read(Array(mutated[0..<cut]), headerLength: length, model: Self.model("gelu"))
        }
    }
}

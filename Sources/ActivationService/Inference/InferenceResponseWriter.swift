import ActivationEngine
import HTTPServer

/// The answer to an inference request: the JSON inference response, then, for the outputs
/// asked for as binary, their little-endian bytes in output order (the binary tensor data
/// extension), with `Inference-Header-Content-Length` giving the JSON part's length.
///
/// JSON `data` is the flat row-major list of the output's elements, written as the shortest
/// text that reads back to the same float in the dtype (as v1 writes them); non-finite
/// elements are v1's strings `"NaN"`, `"Infinity"`, `"-Infinity"` (valid JSON, and what
/// numpy, hence tritonclient's `as_numpy`, turns back into the floats). Binary outputs carry
/// every float exactly, NaN payloads included.
enum InferenceResponseWriter {
    static func response(_ result: EvaluationResult, for request: InferenceRequest) -> HTTPResponse {
        let outputs = request.outputs.map { (requested: $0, tensor: tensor($0.output, of: result)) }
        var jsonBytes = 256
        var binaryBytes = 0
        for (requested, tensor) in outputs {
            if requested.binary {
                binaryBytes += tensor.count * tensor.dtype.byteWidth
            } else {
                jsonBytes += tensor.count * (tensor.dtype == .float32 ? 16 : 26)
            }
        }
        // The header only: the binary part is appended after it with one copy per output.
        var writer = JSONWriter(capacity: jsonBytes)
        writer.beginObject()
        writer.key("model_name"); writer.string(result.function.name)
        writer.key("model_version"); writer.string(InferenceRoutes.modelVersion)
        if let id = request.id {
            writer.key("id"); writer.string(id)
        }
        writeParameters(result, to: &writer)
        writer.key("outputs")
        writer.beginArray()
        for (requested, tensor) in outputs {
            writer.beginObject()
            writer.key("name"); writer.string(requested.output.name)
            writer.key("datatype"); writer.string(tensor.dtype.inferenceDatatype)
            writer.key("shape"); writer.ints(tensor.shape)
            if requested.binary {
                writer.key("parameters")
                writer.beginObject()
                writer.key("binary_data_size"); writer.int(tensor.count * tensor.dtype.byteWidth)
                writer.endObject()
            } else {
                writer.key("data")
                switch tensor.storage {
                case .float32(let elements): writer.numbers(elements, shape: [elements.count])
                case .float64(let elements): writer.numbers(elements, shape: [elements.count])
                }
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        let json = writer.finish()
        guard binaryBytes > 0 else {
            return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "application/json")]), body: json)
        }
        let headerLength = json.count
        var body = json
        body.reserveCapacity(headerLength + binaryBytes)
        for (requested, tensor) in outputs where requested.binary {
            switch tensor.storage {
            case .float32(let elements): elements.withUnsafeBytes { body.append(contentsOf: $0) }
            case .float64(let elements): elements.withUnsafeBytes { body.append(contentsOf: $0) }
            }
        }
        return HTTPResponse(
            status: .ok,
            headers: HTTPHeaders([
                ("Content-Type", "application/octet-stream"), ("Inference-Header-Content-Length", String(headerLength)),
            ]),
            body: body)
    }

    /// The output as a tensor of the evaluation's dtype. Parameter gradients are a scalar
    /// (shape `[]`) or one value per channel (shape `[C]`).
    static func tensor(_ output: InferenceOutput, of result: EvaluationResult) -> Tensor {
        switch output {
        case .values: return result.values ?? emptyTensor(result.dtype)
        case .gradients: return result.gradients ?? emptyTensor(result.dtype)
        case .parameterGradient(let name):
            let values: [Double]
            let shape: [Int]
            switch result.parameterGradient(name) {
            case .number(let value)?: (values, shape) = ([value], [])
            case .numbers(let list)?: (values, shape) = (list, [list.count])
            case nil: (values, shape) = ([], [0])
            }
            let storage: TensorStorage =
                result.dtype == .float32 ? .float32(values.map { Float($0) }) : .float64(values)
            return (try? Tensor(shape: shape, storage: storage)) ?? emptyTensor(result.dtype)
        }
    }

    private static func emptyTensor(_ dtype: DType) -> Tensor {
        dtype == .float32 ? Tensor(float32: []) : Tensor([])
    }

    /// The parameters as used (defaults filled in), as the protocol's scalar parameters; a
    /// per-channel list is not a protocol parameter value and is left out.
    private static func writeParameters(_ result: EvaluationResult, to writer: inout JSONWriter) {
        let names = (Catalogue.metadata(for: result.function)?.parameters.map(\.name) ?? [])
            .filter { name in
                if case .numbers? = result.parameters[name] { return false }
                return result.parameters[name] != nil
            }
        guard !names.isEmpty else { return }
        writer.key("parameters")
        writer.beginObject()
        for name in names {
            writer.key(name)
            switch result.parameters[name] {
            case .number(let value)?:
                result.dtype == .float32 ? writer.number(Float(value)) : writer.number(value)
            case .choice(let value)?: writer.string(value)
            case .numbers?, nil: break
            }
        }
        writer.endObject()
    }
}

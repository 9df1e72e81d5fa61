import ActivationEngine
import ActivationMath

extension JSONWriter {
    /// The body of a `POST /v1/activate` answer: one result object, or an array of them when
    /// the request was an array (`batch`), in request order.
    public static func activateResponse(_ results: [EvaluationResult], batch: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: estimatedCapacity(results))
        if batch {
            writer.beginArray()
            for result in results { result.write(to: &writer) }
            writer.endArray()
        } else if let result = results.first {
            result.write(to: &writer)
        }
        return writer.finish()
    }

    /// About 26 bytes per float64 number and 16 per float32, written once or twice.
    static func estimatedCapacity(_ results: [EvaluationResult]) -> Int {
        var bytes = 512
        for result in results {
            let perNumber = result.dtype == .float32 ? 16 : 26
            bytes += perNumber * ((result.values?.count ?? 0) + (result.gradients?.count ?? 0)) + 256
        }
        return bytes
    }
}

/// One result as the API answers it: `function`, `params`, `dtype`, `shape`, then `values`,
/// `gradients` and `param_gradients` when they were computed.
extension EvaluationResult {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("function"); writer.string(function.name)
        writer.key("params")
        writer.beginObject()
        // Metadata order first (stable, documented), then anything else the engine resolved.
        let specified = Catalogue.metadata(for: function)?.parameters.map(\.name) ?? []
        let names = specified.filter { parameters[$0] != nil }
            + parameters.values.keys.filter { !specified.contains($0) }.sorted()
        for name in names {
            writer.key(name)
            parameters[name]!.write(to: &writer, dtype: dtype)
        }
        writer.endObject()
        writer.key("dtype"); writer.string(dtype.rawValue)
        writer.key("shape"); writer.ints(shape)
        if let values {
            writer.key("values"); writer.tensor(values)
        }
        if let gradients {
            writer.key("gradients"); writer.tensor(gradients)
        }
        if gradients != nil, !parameterGradients.isEmpty {
            writer.key("param_gradients")
            writer.beginObject()
            for (name, gradient) in parameterGradients {
                writer.key(name)
                switch gradient {
                case .number(let value): writer.number(value, dtype: dtype)
                case .numbers(let values):
                    writer.beginArray(); values.forEach { writer.number($0, dtype: dtype) }; writer.endArray()
                }
            }
            writer.endObject()
        }
        writer.endObject()
    }
}

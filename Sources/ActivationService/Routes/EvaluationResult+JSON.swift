import ActivationEngine
import ActivationMath

extension JSONWriter {
    /// The body of a `POST /v1/activate` answer: one result object, or an array of them when
    /// the request was an array (`batch`), in request order.
    public static func activateResponse(_ results: [EvaluationResult], batch: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: estimatedCapacity(results))
        if batch {
            writer.beginArray()
            // By index: `for result in results` would copy each result (and count references).
            for index in results.indices { results[index].write(to: &writer) }
            writer.endArray()
        } else if let result = results.first {
            result.write(to: &writer)
        }
        return writer.finish()
    }

    /// The body of a `POST /v1/activate` answer to `request`, evaluated by `evaluator`: each
    /// result is written as soon as it is computed and dropped, never copied out of an array of
    /// results (a copy counts a reference for each of its arrays), and a single evaluation goes
    /// to the engine without a batch of one around it. Nothing is written when the request is
    /// refused. The inputs live until the answer is written, within what `WorkingSet` counts per
    /// number (the input, both outputs and the answer text at once).
    static func activateResponse(_ request: consuming ActivateRequest, evaluator: Evaluator) throws(ServiceError) -> [UInt8] {
        switch consume request {
        case .single(let evaluation):
            var writer = JSONWriter(
                capacity: 512 + estimatedBytes(dtype: evaluation.dtype, outputs: evaluation.outputs, count: evaluation.input.count))
            try evaluator.evaluate(evaluation) { result in result.write(to: &writer) }
            return writer.finish()
        case .batch(let batch):
            var bytes = 512
            // Field by field: `estimatedBytes(batch[index])` would copy each evaluation.
            for index in batch.indices {
                bytes += estimatedBytes(dtype: batch[index].dtype, outputs: batch[index].outputs, count: batch[index].input.count)
            }
            var writer = JSONWriter(capacity: bytes)
            writer.beginArray()
            try evaluator.evaluate(batch) { result in result.write(to: &writer) }
            writer.endArray()
            return writer.finish()
        }
    }

    /// What `estimatedCapacity` counts for the result of an evaluation, from the request: the
    /// gradients are shaped like the input, the values too (a GLU's are half of it, which
    /// leaves room to spare).
    static func estimatedBytes(dtype: DType, outputs: OutputSelection, count: Int) -> Int {
        estimatedBytes(dtype: dtype, numbers: count * ((outputs.wantsValues ? 1 : 0) + (outputs.wantsGradients ? 1 : 0)))
    }

    /// About 26 bytes per float64 number and 16 per float32, written once or twice.
    static func estimatedCapacity(_ results: [EvaluationResult]) -> Int {
        var bytes = 512
        for index in results.indices {
            bytes += estimatedBytes(
                dtype: results[index].dtype,
                numbers: (results[index].values?.count ?? 0) + (results[index].gradients?.count ?? 0))
        }
        return bytes
    }

    /// One result's room: its `numbers` at about 26 bytes each for float64 and 16 for float32,
    /// and 256 for its keys, name and shape.
    private static func estimatedBytes(dtype: DType, numbers: Int) -> Int {
        (dtype == .float32 ? 16 : 26) * numbers + 256
    }
}

/// One result as the API answers it: `function`, `params`, `dtype`, `shape`, then `values`,
/// `gradients` and `param_gradients` when they were computed.
extension EvaluationResult {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key(ascii: "function"); writer.string(function.name)
        writer.key(ascii: "params")
        writer.beginObject()
        // Metadata order first (stable, documented), then anything else the engine resolved
        // (sorted; the engine resolves only the metadata's names, so this list is built only
        // if that ever changes).
        let specified = function.parameterNames
        var written = 0
        for name in specified {
            guard let value = parameters[name] else { continue }
            writer.key(name)
            value.write(to: &writer, dtype: dtype)
            written += 1
        }
        if written < parameters.values.count {
            for name in parameters.values.keys.filter({ !specified.contains($0) }).sorted() {
                writer.key(name)
                parameters[name]!.write(to: &writer, dtype: dtype)
            }
        }
        writer.endObject()
        writer.key(ascii: "dtype"); writer.string(dtype.rawValue)
        writer.key(ascii: "shape"); writer.ints(shape)
        if let values {
            writer.key(ascii: "values"); writer.tensor(values)
        }
        if let gradients {
            writer.key(ascii: "gradients"); writer.tensor(gradients)
        }
        if gradients != nil, !parameterGradients.isEmpty {
            writer.key(ascii: "param_gradients")
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

import ActivationEngine

/// Model metadata (`GET /v2/models/{name}`) for one catalogue function.
///
/// Every model has the same tensor names: inputs `x` (required), `grad_output` (optional,
/// shaped like the output it multiplies) and, for a parameter that can be one value per
/// channel (prelu's `alpha`), an input of that name; outputs `values`, `gradients` and
/// `param_gradients.<name>` per learnable parameter. A tensor's `datatype` is the one most
/// clients send, FP32; FP64 is accepted the same way and answered in FP64 (`parameters.
/// datatypes` lists both, since the protocol's metadata has room for one). Shapes are `[-1]`:
/// any rank from 0 to 8 and any size (the protocol has no notation for a free rank). The
/// function's own metadata (formula, parameters with bounds and defaults, kinks, accuracy) is
/// at `parameters.metadata`, `/v1/functions/{name}`.
extension InferenceRoutes {
    static func modelMetadata(_ model: FunctionMetadata) -> [UInt8] {
        var writer = JSONWriter(capacity: 2048)
        writer.beginObject()
        writer.key("name"); writer.string(model.name)
        writer.key("versions"); writer.beginArray(); writer.string(modelVersion); writer.endArray()
        writer.key("platform"); writer.string(platform)
        writer.key("inputs")
        writer.beginArray()
        for name in model.inferenceInputs { tensor(name, to: &writer) }
        writer.endArray()
        writer.key("outputs")
        writer.beginArray()
        for output in InferenceOutput.all(for: model) { tensor(output.name, to: &writer) }
        writer.endArray()
        writer.key("parameters")
        writer.beginObject()
        writer.key("metadata"); writer.string("/v1/functions/\(model.name)")
        writer.key("summary"); writer.string(model.summary)
        writer.key("formula"); writer.string(model.formula)
        writer.key("kind"); writer.string(model.kind.rawValue)
        writer.key("aliases"); writer.string(model.aliases.joined(separator: ","))
        writer.key("datatypes"); writer.string("FP32,FP64")
        writer.key("function_parameters"); writer.string(model.parameters.map(\.name).joined(separator: ","))
        writer.key("learnable_parameters"); writer.string(model.learnableParameters.map(\.name).joined(separator: ","))
        writer.key("request_parameters")
        writer.string((model.parameters.map(\.name) + (model.kind == .vector ? ["axis"] : []) + ["conventions"])
            .joined(separator: ","))
        writer.endObject()
        writer.endObject()
        return writer.finish()
    }

    private static func tensor(_ name: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("name"); writer.string(name)
        writer.key("datatype"); writer.string(DType.float32.inferenceDatatype)
        writer.key("shape"); writer.ints([-1])
        writer.endObject()
    }
}

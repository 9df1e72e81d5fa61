/// The answer to one evaluation, in the terms of the wire format, for the JSON writer.
///
/// The route fills it from the engine's result; keeping it separate from the engine's types
/// lets the wire format (field names, order, number text) live in one place.
public struct EvaluationOutput: Sendable {
    /// Canonical function name.
    public var function: String
    /// Resolved parameters, defaults filled in, in the order they are to be written.
    public var params: [(name: String, value: ParamInput)]
    public var dtype: NumericArray.ElementType
    public var shape: [Int]
    /// Present when requested; stored in `dtype`, shaped as `shape`.
    public var values: NumericArray?
    public var gradients: NumericArray?
    /// Gradients with respect to learnable parameters (absent when the function has none or
    /// gradients were not requested). Written in `dtype`, like the other outputs.
    public var paramGradients: [(name: String, value: ParamInput)]

    public init(
        function: String, params: [(name: String, value: ParamInput)], dtype: NumericArray.ElementType,
        shape: [Int], values: NumericArray?, gradients: NumericArray?,
        paramGradients: [(name: String, value: ParamInput)] = []
    ) {
        self.function = function
        self.params = params
        self.dtype = dtype
        self.shape = shape
        self.values = values
        self.gradients = gradients
        self.paramGradients = paramGradients
    }
}

extension JSONWriter {
    /// The response body for a request: one object, or an array when the request was a batch.
    public static func activateResponse(_ outputs: [EvaluationOutput], batch: Bool) -> [UInt8] {
        let numbers = outputs.reduce(0) { $0 + ($1.values?.count ?? 0) + ($1.gradients?.count ?? 0) }
        var writer = JSONWriter(capacity: numbers * bytesPerNumber + 256 * (outputs.count + 1))
        if batch { writer.beginArray() }
        for output in outputs { writer.evaluationOutput(output) }
        if batch { writer.endArray() }
        return writer.finish()
    }

    /// `{"function", "params", "dtype", "shape", "values"?, "gradients"?, "param_gradients"?}`.
    public mutating func evaluationOutput(_ output: EvaluationOutput) {
        beginObject()
        key("function")
        string(output.function)
        key("params")
        paramObject(output.params, dtype: .float64)
        key("dtype")
        string(output.dtype.rawValue)
        key("shape")
        ints(output.shape)
        if let values = output.values {
            key("values")
            numericArray(values)
        }
        if let gradients = output.gradients {
            key("gradients")
            numericArray(gradients)
        }
        if !output.paramGradients.isEmpty {
            key("param_gradients")
            paramObject(output.paramGradients, dtype: output.dtype)
        }
        endObject()
    }

    /// Parameters as an object; numbers printed shortest in `dtype` (parameters the client set
    /// are doubles and print as such; float32 parameter gradients print as float32 text).
    private mutating func paramObject(_ entries: [(name: String, value: ParamInput)], dtype: NumericArray.ElementType) {
        beginObject()
        for (name, value) in entries {
            key(name)
            switch value {
            case .number(let number): typedNumber(number, dtype)
            case .numbers(let numbers):
                beginArray()
                for number in numbers { typedNumber(number, dtype) }
                endArray()
            case .string(let text): string(text)
            }
        }
        endObject()
    }

    private mutating func typedNumber(_ value: Double, _ dtype: NumericArray.ElementType) {
        switch dtype {
        case .float32: number(Float(value))
        case .float64: number(value)
        }
    }
}

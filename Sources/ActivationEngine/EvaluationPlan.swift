import ActivationMath

/// A validated evaluation: the function resolved, parameters resolved, the axis normalised and
/// the output shape known. Building one performs every check; computing one cannot fail.
struct EvaluationPlan: Sendable {
    let evaluation: Evaluation
    let function: ActivationFunction
    let metadata: FunctionMetadata
    let parameters: ResolvedParameters
    /// The normalised axis of a vector function (0 for a scalar input); 0 for elementwise ones.
    let axis: Int
    /// The shape of the values and of grad_output.
    let outputShape: [Int]

    init(_ evaluation: Evaluation, configuration: EngineConfiguration) throws(EngineError) {
        guard let function = ActivationFunction(named: evaluation.function) else {
            throw .unknownFunction(evaluation.function)
        }
        guard let metadata = Catalogue.metadata(for: function) else {
            // Every catalogue case has metadata once the metadata arrays are written; until then
            // the function is known but cannot be described, which is reported as unknown.
            throw .unknownFunction(evaluation.function)
        }
        let input = evaluation.input
        guard input.ndim <= configuration.maxDimensions else {
            throw .tooManyDimensions(ndim: input.ndim, limit: configuration.maxDimensions)
        }
        guard input.dtype == evaluation.dtype else {
            throw .dtypeMismatch(tensor: "inputs", expected: evaluation.dtype, actual: input.dtype)
        }
        let channels = input.ndim >= 2 ? input.shape[1] : nil
        let parameters = try ParameterResolver.resolve(
            evaluation.parameters, metadata: metadata, dtype: evaluation.dtype, channels: channels)

        var axis = 0
        var outputShape = input.shape
        if function.kind == .vector {
            axis = try EvaluationPlan.normalise(axis: evaluation.axis, ndim: input.ndim)
            if VectorFunction.splitsAxis(function) {
                let length = input.ndim == 0 ? 1 : input.shape[axis]
                guard length % 2 == 0 else {
                    throw .oddSplitDimension(axis: evaluation.axis, length: length, function: function)
                }
                outputShape[axis] = length / 2
            }
        }
        if let gradOutput = evaluation.gradOutput {
            guard gradOutput.dtype == evaluation.dtype else {
                throw .dtypeMismatch(tensor: "grad_output", expected: evaluation.dtype, actual: gradOutput.dtype)
            }
            guard gradOutput.shape == outputShape else {
                throw .gradOutputShapeMismatch(expected: outputShape, actual: gradOutput.shape)
            }
        }
        self.evaluation = evaluation
        self.function = function
        self.metadata = metadata
        self.parameters = parameters
        self.axis = axis
        self.outputShape = outputShape
    }

    /// `axis` in [-ndim, ndim) made non-negative; a scalar accepts -1 and 0 (a slice of one).
    static func normalise(axis: Int, ndim: Int) throws(EngineError) -> Int {
        if ndim == 0 {
            guard axis == 0 || axis == -1 else { throw .axisOutOfRange(axis: axis, ndim: ndim) }
            return 0
        }
        guard axis >= -ndim && axis < ndim else { throw .axisOutOfRange(axis: axis, ndim: ndim) }
        return axis < 0 ? axis + ndim : axis
    }

    var wantsValues: Bool { evaluation.outputs.wantsValues }
    var wantsGradients: Bool { evaluation.outputs.wantsGradients }
}

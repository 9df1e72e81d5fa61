import ActivationMath

/// A validated evaluation: the function resolved, parameters resolved, the axis normalised and
/// the output shape known. Building one performs every check; computing one cannot fail.
struct EvaluationPlan: Sendable {
    let evaluation: Evaluation
    let function: ActivationFunction
    /// The function's metadata and what is derived from it once per process. Unowned and
    /// unchecked: every entry is held by `FunctionTable`'s static tables, which live as long as
    /// the process, so the reference cannot dangle; not counting it spares every evaluation, on
    /// every thread, atomic updates of one shared count.
    unowned(unsafe) let entry: FunctionEntry
    /// The resolved parameters, also in the form of the engine's kernel build.
    let kernelParameters: KernelParameters
    var parameters: ResolvedParameters { kernelParameters.resolved }
    /// The normalised axis of a vector function (0 for a scalar input); 0 for elementwise ones.
    let axis: Int
    /// The shape of the values and of grad_output.
    let outputShape: [Int]

    init(_ evaluation: consuming Evaluation, configuration: EngineConfiguration) throws(EngineError) {
        // A function without metadata (a catalogue case whose metadata is not written yet) is
        // known but cannot be described, and is reported as unknown too.
        guard let entry = FunctionTable.entry(named: evaluation.function) else {
            throw .unknownFunction(evaluation.function)
        }
        let function = entry.function
        let input = evaluation.input
        guard input.ndim <= configuration.maxDimensions else {
            throw .tooManyDimensions(ndim: input.ndim, limit: configuration.maxDimensions)
        }
        guard input.dtype == evaluation.dtype else {
            throw .dtypeMismatch(tensor: "inputs", expected: evaluation.dtype, actual: input.dtype)
        }
        let channels = input.ndim >= 2 ? input.shape[1] : nil
        let parameters = try entry.resolve(
            evaluation.parameters, dtype: evaluation.dtype, channels: channels, build: configuration.kernels)

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
        self.entry = entry
        kernelParameters = parameters
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

import ActivationMath

/// The two element types, with what the engine needs to treat them generically: wrapping and
/// unwrapping storage, and calling the math module's overload for the type (the Float overload
/// computes in double and rounds once).
protocol EngineScalar: BinaryFloatingPoint, Sendable {
    static var dtype: DType { get }
    static func elements(of storage: TensorStorage) -> [Self]
    static func storage(_ elements: [Self]) -> TensorStorage
    /// Runs one elementwise chunk with the given kernel build.
    static func runElementwise(
        _ build: KernelBuild, _ function: ActivationFunction, parameters: KernelParameters,
        convention: KinkConvention, _ buffers: ElementwiseBuffers<Self>
    ) -> ParameterGradientSums
}

extension EngineScalar {
    /// Runs one elementwise chunk with parameters not yet in the build's form.
    static func runElementwise(
        _ build: KernelBuild, _ function: ActivationFunction, parameters: ResolvedParameters,
        convention: KinkConvention, _ buffers: ElementwiseBuffers<Self>
    ) -> ParameterGradientSums {
        runElementwise(
            build, function, parameters: KernelParameters(parameters, for: build), convention: convention, buffers)
    }
}

extension Float: EngineScalar {
    static var dtype: DType { .float32 }

    static func elements(of storage: TensorStorage) -> [Float] {
        guard case .float32(let elements) = storage else { preconditionFailure("validated as float32") }
        return elements
    }

    static func storage(_ elements: [Float]) -> TensorStorage { .float32(elements) }

    static func runElementwise(
        _ build: KernelBuild, _ function: ActivationFunction, parameters: KernelParameters,
        convention: KinkConvention, _ buffers: ElementwiseBuffers<Float>
    ) -> ParameterGradientSums {
        #if canImport(ActivationMathV3)
        if build == .x86_64_v3 {
            return KernelsV3.run(function, parameters: parameters.v3, convention: convention, buffers)
        }
        #endif
        return ElementwiseEvaluator.run(function, parameters: parameters.resolved, convention: convention, buffers)
    }
}

extension Double: EngineScalar {
    static var dtype: DType { .float64 }

    static func elements(of storage: TensorStorage) -> [Double] {
        guard case .float64(let elements) = storage else { preconditionFailure("validated as float64") }
        return elements
    }

    static func storage(_ elements: [Double]) -> TensorStorage { .float64(elements) }

    static func runElementwise(
        _ build: KernelBuild, _ function: ActivationFunction, parameters: KernelParameters,
        convention: KinkConvention, _ buffers: ElementwiseBuffers<Double>
    ) -> ParameterGradientSums {
        #if canImport(ActivationMathV3)
        if build == .x86_64_v3 {
            return KernelsV3.run(function, parameters: parameters.v3, convention: convention, buffers)
        }
        #endif
        return ElementwiseEvaluator.run(function, parameters: parameters.resolved, convention: convention, buffers)
    }
}

/// Allocates up to two output arrays of `count` elements and lets `body` fill them through
/// pointers, without initialising them first (every element is written by the kernels).
func withOutputs<E: EngineScalar>(
    count: Int, values wantsValues: Bool, gradients wantsGradients: Bool,
    _ body: (UnsafeMutableBufferPointer<E>?, UnsafeMutableBufferPointer<E>?) -> Void
) -> (values: [E]?, gradients: [E]?) {
    func make(_ fill: (UnsafeMutableBufferPointer<E>) -> Void) -> [E] {
        [E](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer)
            initialized = count
        }
    }
    switch (wantsValues, wantsGradients) {
    case (true, true):
        var gradients: [E] = []
        let values = make { v in gradients = make { g in body(v, g) } }
        return (values, gradients)
    case (true, false):
        return (make { v in body(v, nil) }, nil)
    case (false, true):
        return (nil, make { g in body(nil, g) })
    case (false, false):
        body(nil, nil)
        return (nil, nil)
    }
}

import ActivationMath

/// Which vector functions split their axis into two halves (the GLU family).
enum VectorFunction {
    static func splitsAxis(_ function: ActivationFunction) -> Bool {
        switch function {
        case .glu, .reglu, .geglu, .swiglu: true
        default: false
        }
    }
}

/// Computes a vector function slice by slice along the plan's axis.
///
/// The tensor is viewed as outer × length × inner (length = shape[axis]); slice (o, i) holds the
/// elements (o·length + k)·inner + i for k < length, so a non-last axis is read with stride
/// `inner`. Each slice is gathered into double scratch (widening float32 exactly), computed in
/// double, and scattered back rounded once. Groups of slices run in parallel above the
/// threshold; every output element belongs to exactly one slice, so the paths agree bit for bit.
enum VectorExecution<E: EngineScalar> {
    static func run(_ plan: EvaluationPlan, _ executor: ChunkExecutor) -> EvaluationResult {
        let input = E.elements(of: plan.evaluation.input.storage)
        let gradOutput = plan.evaluation.gradOutput.map { E.elements(of: $0.storage) }
        let shape = plan.evaluation.input.shape
        let axis = plan.axis
        let length = shape.isEmpty ? 1 : shape[axis]
        let outputLength = VectorFunction.splitsAxis(plan.function) ? length / 2 : length
        let outer = shape.isEmpty ? 1 : shape[..<axis].reduce(1, *)
        let inner = shape.isEmpty ? 1 : shape[(axis + 1)...].reduce(1, *)
        let kernel = VectorKernel(
            plan.function, parameters: plan.parameters, convention: plan.evaluation.conventions,
            kernels: executor.configuration.kernels)
        let outputCount = outer * outputLength * inner
        let wantsGradients = plan.wantsGradients
        let isGated = VectorFunction.splitsAxis(plan.function)
        let float32 = E.dtype == .float32
        let kernels = executor.configuration.kernels

        let slices = outer * inner
        let perPiece = Swift.max(1, executor.configuration.chunkLength / Swift.max(length, 1))
        let pieces = length == 0 ? 0 : (slices + perPiece - 1) / perPiece

        var values: [E] = []
        var gradients: [E]?
        values = [E](unsafeUninitializedCapacity: outputCount) { v, initializedValues in
            gradients = withOutputs(count: input.count, values: false, gradients: wantsGradients) {
                (_: UnsafeMutableBufferPointer<E>?, dxOut: UnsafeMutableBufferPointer<E>?) in
                input.withUnsafeBufferPointer { x in
                    withOptionalBuffer(gradOutput) { go in
                        executor.forEach(pieces: pieces, elements: input.count) { piece in
                            let first = piece * perPiece
                            let n = Swift.min(slices, first + perPiece) - first
                            // Scratch, slice after slice: x and dx (n × length each), work (n × 3·length),
                            // y and g (n × outputLength each), and for the GLU family h, a, da (n × half
                            // each).
                            let gatedExtra = isGated ? 3 * n * outputLength : 0
                            let scratch = UnsafeMutableBufferPointer<Double>.allocate(
                                capacity: n * (5 * length + 2 * outputLength) + gatedExtra)
                            defer { scratch.deallocate() }
                            func region(_ start: Int, _ count: Int) -> UnsafeMutableBufferPointer<Double> {
                                UnsafeMutableBufferPointer(rebasing: scratch[start..<start + count])
                            }
                            let xs = region(0, n * length)
                            let dxs = region(n * length, n * length)
                            let ys = region(5 * n * length, n * outputLength)
                            let gs = region(5 * n * length + n * outputLength, n * outputLength)
                            for s in 0..<n {
                                let o = (first + s) / inner, i = (first + s) % inner
                                let inBase = o * length * inner + i
                                let outBase = o * outputLength * inner + i
                                for k in 0..<length { xs[s * length + k] = Double(x[inBase + k * inner]) }
                                if let go {
                                    for k in 0..<outputLength { gs[s * outputLength + k] = Double(go[outBase + k * inner]) }
                                }
                            }
                            if case .gated(var unit) = kernel {
                                unit.outputIsFloat32 = float32
                                let half = outputLength
                                let base = n * (5 * length + 2 * outputLength)
                                unit.apply(
                                    slices: n, half: half, x: xs, g: go == nil ? nil : gs, y: ys,
                                    dx: dxOut == nil ? nil : dxs, h: region(base, n * half),
                                    a: region(base + n * half, n * half), da: region(base + 2 * n * half, n * half))
                            } else {
                                for s in 0..<n {
                                    let gSlice = region(5 * n * length + n * outputLength + s * outputLength, outputLength)
                                    kernel.apply(
                                        region(s * length, length), g: go == nil ? nil : gSlice,
                                        y: region(5 * n * length + s * outputLength, outputLength),
                                        dx: dxOut == nil ? nil : region(n * length + s * length, length),
                                        work: region(2 * n * length + 3 * s * length, 3 * length), kernels: kernels,
                                        float32: float32)
                                }
                            }
                            for s in 0..<n {
                                let o = (first + s) / inner, i = (first + s) % inner
                                let inBase = o * length * inner + i
                                let outBase = o * outputLength * inner + i
                                for k in 0..<outputLength { v[outBase + k * inner] = E(ys[s * outputLength + k]) }
                                if let dxOut {
                                    for k in 0..<length { dxOut[inBase + k * inner] = E(dxs[s * length + k]) }
                                }
                            }
                        }
                    }
                }
            }.gradients
            initializedValues = outputCount
        }

        var outputShape = shape
        if !shape.isEmpty { outputShape[axis] = outputLength }
        return EvaluationResult(
            function: plan.function, parameters: plan.parameters, dtype: E.dtype, shape: outputShape,
            values: plan.wantsValues ? Tensor(checkedShape: outputShape, storage: E.storage(values)) : nil,
            gradients: gradients.map { Tensor(checkedShape: shape, storage: E.storage($0)) },
            parameterGradients: [])
    }
}

import ActivationMath

/// Computes an elementwise evaluation: fixed-length chunks of the contiguous storage, each one
/// tight loop in the math module, run in parallel above the configured threshold. A per-channel
/// prelu `alpha` is handled by running each (batch, channel) block with that channel's alpha.
enum ElementwiseExecution<E: EngineScalar> {
    static func run(_ plan: EvaluationPlan, _ executor: ChunkExecutor) -> EvaluationResult {
        let input = E.elements(of: plan.evaluation.input.storage)
        let gradOutput = plan.evaluation.gradOutput.map { E.elements(of: $0.storage) }
        let learnable = plan.entry.learnableNames
        let wantsPartials = plan.wantsGradients && !learnable.isEmpty

        var perChannelAlpha: [Double]?
        if plan.function == .prelu, case .numbers(let list)? = plan.parameters["alpha"] { perChannelAlpha = list }

        // One sum per channel for a per-channel alpha, else the single one (no array).
        var sums: [ParameterGradientSums] = []
        var single = ParameterGradientSums()
        let (values, gradients) = withOutputs(
            count: input.count, values: plan.wantsValues, gradients: plan.wantsGradients
        ) { (v: UnsafeMutableBufferPointer<E>?, g: UnsafeMutableBufferPointer<E>?) in
            input.withUnsafeBufferPointer { x in
                withOptionalBuffer(gradOutput) { go in
                    let buffers = ElementwiseBuffers(
                        input: x, gradOutput: go, values: v, gradients: g, wantsParameterGradients: wantsPartials)
                    if let alphas = perChannelAlpha {
                        sums = runPerChannel(plan, alphas: alphas, buffers, executor)
                    } else {
                        single = runChunked(plan, plan.kernelParameters, buffers, executor)
                    }
                }
            }
        }

        var parameterGradients: [(name: String, value: ParameterGradient)] = []
        if wantsPartials {
            if perChannelAlpha != nil {
                parameterGradients = [("alpha", .numbers(sums.map { rounded($0.sums.0) }))]
            } else {
                let pair = single.sums
                for (position, name) in learnable.enumerated() {
                    parameterGradients.append((name, .number(rounded(position == 0 ? pair.0 : pair.1))))
                }
            }
        }
        let shape = plan.evaluation.input.shape
        return EvaluationResult(
            function: plan.function, parameters: plan.parameters, dtype: E.dtype, shape: shape,
            values: values.map { Tensor(checkedShape: shape, storage: E.storage($0)) },
            gradients: gradients.map { Tensor(checkedShape: shape, storage: E.storage($0)) },
            parameterGradients: parameterGradients)
    }

    /// A parameter gradient in the evaluation's dtype.
    static func rounded(_ sum: Double) -> Double { Double(E(sum)) }

    /// The buffers restricted to `range`.
    static func slice(_ buffers: ElementwiseBuffers<E>, _ range: Range<Int>) -> ElementwiseBuffers<E> {
        ElementwiseBuffers(
            input: UnsafeBufferPointer(rebasing: buffers.input[range]),
            gradOutput: buffers.gradOutput.map { UnsafeBufferPointer(rebasing: $0[range]) },
            values: buffers.values.map { UnsafeMutableBufferPointer(rebasing: $0[range]) },
            gradients: buffers.gradients.map { UnsafeMutableBufferPointer(rebasing: $0[range]) },
            wantsParameterGradients: buffers.wantsParameterGradients)
    }

    /// One parameter set over the whole buffer, in chunks whose sums are merged in order.
    static func runChunked(
        _ plan: EvaluationPlan, _ parameters: KernelParameters, _ buffers: ElementwiseBuffers<E>,
        _ executor: ChunkExecutor
    ) -> ParameterGradientSums {
        let count = buffers.input.count
        let length = executor.configuration.chunkLength
        let chunks = (count + length - 1) / length
        guard chunks > 1 else {
            return E.runElementwise(
                executor.configuration.kernels, plan.function, parameters: parameters,
                convention: plan.evaluation.conventions, buffers)
        }
        let partial = UnsafeMutableBufferPointer<ParameterGradientSums>.allocate(capacity: chunks)
        defer { partial.deallocate() }
        partial.initialize(repeating: ParameterGradientSums())
        executor.forEach(pieces: chunks, elements: count) { chunk in
            let range = chunk * length..<min(count, (chunk + 1) * length)
            partial[chunk] = E.runElementwise(
                executor.configuration.kernels, plan.function, parameters: parameters, convention: plan.evaluation.conventions, slice(buffers, range))
        }
        var total = ParameterGradientSums()
        for chunk in partial { total.merge(chunk) }
        return total
    }

    /// prelu with one alpha per channel (axis 1), or a single-element list for the whole tensor.
    /// Channels are distributed across threads; each channel's blocks run in order, so its sum
    /// is the same on either path.
    static func runPerChannel(
        _ plan: EvaluationPlan, alphas: [Double], _ buffers: ElementwiseBuffers<E>, _ executor: ChunkExecutor
    ) -> [ParameterGradientSums] {
        if alphas.count == 1 {
            var parameters = plan.parameters
            parameters["alpha"] = .number(alphas[0])
            return [runChunked(plan, KernelParameters(parameters, for: executor.configuration.kernels), buffers, executor)]
        }
        let shape = plan.evaluation.input.shape
        let channels = shape[1]
        let batch = shape[0]
        let inner = shape.dropFirst(2).reduce(1, *)
        let perChannel = UnsafeMutableBufferPointer<ParameterGradientSums>.allocate(capacity: channels)
        defer { perChannel.deallocate() }
        perChannel.initialize(repeating: ParameterGradientSums())
        executor.forEach(pieces: channels, elements: buffers.input.count) { channel in
            var resolved = plan.parameters
            resolved["alpha"] = .number(alphas[channel])
            let parameters = KernelParameters(resolved, for: executor.configuration.kernels)
            if inner >= gatherBelow {
                var sums = ParameterGradientSums()
                for n in 0..<batch {
                    let start = (n * channels + channel) * inner
                    sums.merge(E.runElementwise(
                        executor.configuration.kernels, plan.function, parameters: parameters, convention: plan.evaluation.conventions,
                        slice(buffers, start..<start + inner)))
                }
                perChannel[channel] = sums
            } else {
                perChannel[channel] = runGathered(
                    plan, parameters, buffers, executor, blocks: (0..<batch).map { ($0 * channels + channel) * inner },
                    inner: inner)
            }
        }
        return Array(perChannel)
    }

    /// Below this many elements per (batch, channel) block, a channel's blocks are gathered into
    /// one contiguous buffer and run as one loop: with shape [N, C] every block is one element,
    /// and a call per element (kernel set-up, parameter lookup) would cost more than the work.
    static var gatherBelow: Int { 256 }

    /// Runs the blocks starting at `blocks` (each `inner` long) as one contiguous loop: gather the
    /// inputs (and grad_output), evaluate, scatter values and gradients back.
    static func runGathered(
        _ plan: EvaluationPlan, _ parameters: KernelParameters, _ buffers: ElementwiseBuffers<E>,
        _ executor: ChunkExecutor, blocks: [Int], inner: Int
    ) -> ParameterGradientSums {
        let count = blocks.count * inner
        let scratch = UnsafeMutableBufferPointer<E>.allocate(capacity: 4 * count)
        defer { scratch.deallocate() }
        func region(_ k: Int) -> UnsafeMutableBufferPointer<E> {
            UnsafeMutableBufferPointer(rebasing: scratch[k * count..<(k + 1) * count])
        }
        let (x, g, v, d) = (region(0), region(1), region(2), region(3))
        for (b, start) in blocks.enumerated() {
            for k in 0..<inner {
                x[b * inner + k] = buffers.input[start + k]
                if let go = buffers.gradOutput { g[b * inner + k] = go[start + k] }
            }
        }
        let gathered = ElementwiseBuffers(
            input: UnsafeBufferPointer(x), gradOutput: buffers.gradOutput == nil ? nil : UnsafeBufferPointer(g),
            values: buffers.values == nil ? nil : v, gradients: buffers.gradients == nil ? nil : d,
            wantsParameterGradients: buffers.wantsParameterGradients)
        let sums = E.runElementwise(
            executor.configuration.kernels, plan.function, parameters: parameters,
            convention: plan.evaluation.conventions, gathered)
        for (b, start) in blocks.enumerated() {
            for k in 0..<inner {
                buffers.values?[start + k] = v[b * inner + k]
                buffers.gradients?[start + k] = d[b * inner + k]
            }
        }
        return sums
    }
}

/// Calls `body` with a buffer over `array`, or with `nil` when there is no array.
func withOptionalBuffer<E, R>(_ array: [E]?, _ body: (UnsafeBufferPointer<E>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0) }
}

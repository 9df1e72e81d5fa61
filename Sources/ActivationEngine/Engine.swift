// The engine's public API, in brief (what the service builds on):
//
//   let engine = Engine(configuration: EngineConfiguration(maxElements: ...))
//   let input = try Tensor(shape: [2, 3], float32: [...])          // throws invalid_shape, too_many_dimensions
//   let evaluation = Evaluation(function: "gelu", parameters: ["approximate": .string("tanh")],
//                               dtype: .float32, axis: -1, conventions: .pytorch, input: input,
//                               gradOutput: nil, outputs: .both)
//   let results = try engine.evaluate([evaluation])                 // throws(EngineError), all validated first
//   results[0].values, .gradients (Tensor?), .parameterGradients, .parameters, .shape, .function
//
// Errors: EngineError.code (stable snake_case), .message, .details ([String: ErrorDetail]), .index.
// Metadata for /v1/functions: Catalogue.all / Catalogue.metadata(for:) from ActivationMath, which
// this module re-exports.
@_exported import ActivationMath
import Dispatch

/// Limits and tuning of an ``Engine``; the default value is a valid configuration.
public struct EngineConfiguration: Sendable, Hashable {
    /// The most elements one batch may hold, inputs and grad_outputs together (4 Mi by default:
    /// 32 MiB of float64 input, what a maximum-size 64 MiB JSON body of 17-digit numbers holds).
    public var maxElements: Int
    /// The most dimensions of a tensor; at most ``Tensor/maxDimensions`` (8).
    public var maxDimensions: Int
    /// Evaluations with at least this many elements are split across cores. 32,768 by default,
    /// from `activation-bench --threshold` (docs/benchmarks-engine.md): for relu, the cheapest
    /// function, splitting starts to pay between 32,768 and 65,536 elements, the others gain
    /// from the first size with two chunks; below 32,768 there is a single chunk anyway.
    public var parallelThreshold: Int
    /// Elements per chunk. The chunks are the same whether they run in parallel or one after the
    /// other, and parameter-gradient sums are merged in chunk order, so both paths give the same
    /// bits.
    public var chunkLength: Int
    /// Which compilation of the elementwise kernels runs (``KernelBuild``): the fastest this
    /// processor supports by default. Both give the same bits; asking for one the processor
    /// cannot run gives the baseline.
    public var kernels: KernelBuild {
        didSet { if !kernels.isAvailable { kernels = .baseline } }
    }

    public init(
        maxElements: Int = 4_194_304, maxDimensions: Int = Tensor.maxDimensions,
        parallelThreshold: Int = 32_768, chunkLength: Int = 16_384, kernels: KernelBuild = .best
    ) {
        self.maxElements = maxElements
        self.maxDimensions = min(max(maxDimensions, 0), Tensor.maxDimensions)
        self.parallelThreshold = parallelThreshold
        self.chunkLength = max(chunkLength, 1)
        self.kernels = kernels.isAvailable ? kernels : .baseline
    }
}

/// Evaluates batches of activation functions: validates everything first, then computes.
///
/// ```swift
/// let engine = Engine()
/// let results = try engine.evaluate([Evaluation(function: "relu", input: Tensor([-1, 2]))])
/// // results[0].values == Tensor([0, 2]), results[0].gradients == Tensor([0, 1])
/// ```
public struct Engine: Sendable {
    public var configuration: EngineConfiguration
    /// Called with each item's index just before it is computed; lets tests prove that an invalid
    /// batch computes nothing.
    var computeObserver: (@Sendable (Int) -> Void)?

    public init(configuration: EngineConfiguration = EngineConfiguration()) {
        self.configuration = configuration
    }

    /// Validates the whole batch, then evaluates each item in order. Nothing is computed when any
    /// item is invalid; the error names the item's index.
    public func evaluate(_ batch: [Evaluation]) throws(EngineError) -> [EvaluationResult] {
        var results: [EvaluationResult] = []
        results.reserveCapacity(batch.count)
        try evaluate(batch) { _, result in results.append(result) }
        return results
    }

    /// Validates the whole batch, then computes each item in order and hands its result to
    /// `body` as soon as it is computed, the result's only owner: a front end that writes each
    /// result out and drops it holds one result at a time, and never copies one out of an array
    /// (a copy of a result counts a reference for each of its arrays). Nothing is computed, and
    /// `body` is not called, when any item is invalid.
    public func evaluate(
        _ batch: [Evaluation], each body: (_ index: Int, _ result: consuming EvaluationResult) -> Void
    ) throws(EngineError) {
        let plans = try validate(batch)
        defer { plans.deallocate() }
        for index in plans.indices {
            // Moved out of the buffer, not copied: the plan is this loop's own, and computing
            // it borrows it without counting a reference for each of its arrays.
            let plan = (plans.baseAddress! + index).move()
            computeObserver?(index)
            body(index, compute(plan))
        }
    }

    /// Evaluates one evaluation (a batch of one; errors carry index 0).
    public func evaluate(_ evaluation: Evaluation) throws(EngineError) -> EvaluationResult {
        try evaluate([evaluation])[0]
    }

    /// Evaluates one evaluation as a batch of one would (errors carry index 0), handing its
    /// result to `body`, without the array a batch of one takes or a buffer of plans.
    public func evaluate(
        _ evaluation: Evaluation, each body: (_ index: Int, _ result: consuming EvaluationResult) -> Void
    ) throws(EngineError) {
        var total = 0
        let plan = try self.plan(evaluation, at: 0, total: &total)
        computeObserver?(0)
        body(0, compute(plan))
    }

    /// Checks every item and returns what computing needs, in a buffer the caller moves each plan
    /// out of and then deallocates; the first invalid item's error is thrown (and nothing is
    /// left allocated).
    func validate(_ batch: [Evaluation]) throws(EngineError) -> UnsafeMutableBufferPointer<EvaluationPlan> {
        let plans = UnsafeMutableBufferPointer<EvaluationPlan>.allocate(capacity: batch.count)
        var made = 0
        var total = 0
        do throws(EngineError) {
            for index in batch.indices {
                (plans.baseAddress! + index).initialize(to: try plan(batch[index], at: index, total: &total))
                made += 1
            }
        } catch {
            plans.baseAddress?.deinitialize(count: made)
            plans.deallocate()
            throw error
        }
        return plans
    }

    /// Checks the item at `index` of a batch whose items before it hold `total` elements (updated
    /// to include this one); errors name the index.
    private func plan(_ evaluation: consuming Evaluation, at index: Int, total: inout Int) throws(EngineError) -> EvaluationPlan {
        do throws(EngineError) {
            let count = evaluation.input.count + (evaluation.gradOutput?.count ?? 0)
            // The plan takes the evaluation over: no copy of it beyond the one handed in.
            let plan = try EvaluationPlan(evaluation, configuration: configuration)
            total += count
            if total > configuration.maxElements {
                throw .tooManyElements(count: total, limit: configuration.maxElements)
            }
            return plan
        } catch {
            throw error.at(index: index)
        }
    }

    private func compute(_ plan: borrowing EvaluationPlan) -> EvaluationResult {
        let executor = ChunkExecutor(configuration: configuration)
        // The evaluation's dtype, which validation checked is its input's: switching on the
        // storage itself would copy it.
        switch plan.evaluation.dtype {
        case .float32:
            return plan.function.kind == .vector
                ? VectorExecution<Float>.run(plan, executor) : ElementwiseExecution<Float>.run(plan, executor)
        case .float64:
            return plan.function.kind == .vector
                ? VectorExecution<Double>.run(plan, executor) : ElementwiseExecution<Double>.run(plan, executor)
        }
    }
}

/// Runs `count` independent pieces of work serially or with `concurrentPerform`, depending on
/// how many elements they cover. The pieces are the same either way.
struct ChunkExecutor: Sendable {
    let configuration: EngineConfiguration

    func forEach(pieces: Int, elements: Int, _ body: (Int) -> Void) {
        if pieces > 1 && elements >= configuration.parallelThreshold {
            withoutActuallyEscaping(body) { escapable in
                let box = PieceBody(run: escapable)
                DispatchQueue.concurrentPerform(iterations: pieces) { box.run($0) }
            }
        } else {
            for piece in 0..<pieces { body(piece) }
        }
    }
}

// @unchecked: carries a piece body into concurrentPerform, which calls it from several threads
// and returns only when all calls have finished (so the non-escaping closure outlives no call).
// Every body in the engine reads shared inputs and writes only the outputs of its own piece
// (disjoint element ranges, or one slot per piece of a results buffer), so no memory is written
// by two threads or read while another writes it.
private struct PieceBody: @unchecked Sendable {
    let run: (Int) -> Void
}

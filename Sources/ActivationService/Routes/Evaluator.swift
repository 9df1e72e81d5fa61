import ActivationEngine

/// The engine as every front end uses it: one engine configured from the service, and the
/// elements evaluated counted by function and dtype, whichever protocol asked.
struct Evaluator: Sendable {
    let engine: Engine
    let metrics: ServiceMetrics

    init(configuration: ServiceConfiguration, metrics: ServiceMetrics) {
        engine = Engine(configuration: EngineConfiguration(
            maxElements: configuration.maxElements, kernels: configuration.kernels))
        self.metrics = metrics
    }

    /// Validates the whole batch, then evaluates it; the engine's refusal becomes the
    /// service's error (404 for an unknown function, 422 for the rest, with the batch index).
    func evaluate(_ batch: [Evaluation]) throws(ServiceError) -> [EvaluationResult] {
        let results: [EvaluationResult]
        do {
            results = try engine.evaluate(batch)
        } catch {
            throw ServiceError(error)
        }
        metrics.elementsEvaluated(results)
        return results
    }

    /// Validates the whole batch, then evaluates it, handing each result to `body` as soon as it
    /// is computed (counted first); `body` is not called when the batch is refused.
    func evaluate(_ batch: [Evaluation], each body: (borrowing EvaluationResult) -> Void) throws(ServiceError) {
        do {
            try engine.evaluate(batch) { _, result in
                metrics.elementsEvaluated(result)
                body(result)
            }
        } catch {
            throw ServiceError(error)
        }
    }

    /// Evaluates one evaluation as a batch of one would, handing its result to `body`.
    func evaluate(_ evaluation: Evaluation, each body: (borrowing EvaluationResult) -> Void) throws(ServiceError) {
        do {
            try engine.evaluate(evaluation) { _, result in
                metrics.elementsEvaluated(result)
                body(result)
            }
        } catch {
            throw ServiceError(error)
        }
    }
}

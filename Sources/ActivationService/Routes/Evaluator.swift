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
}

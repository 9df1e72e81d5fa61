import ActivationEngine
import ActivationMath
import HTTPServer

/// `POST /v1/activate`: JSON in, engine, JSON out, each step once over the data.
///
/// The body is read straight into contiguous storage (``ActivateRequestReader``), handed to the
/// engine without copying (arrays move into tensors), and the results are written into one
/// byte buffer. A batch is validated whole by the engine before anything is computed, so a 422
/// names the first bad index and no work is wasted on the others.
struct ActivateRoute: Sendable {
    let engine: Engine
    let reader: ActivateRequestReader
    let metrics: ServiceMetrics

    init(configuration: ServiceConfiguration, metrics: ServiceMetrics) {
        engine = Engine(configuration: EngineConfiguration(
            maxElements: configuration.maxElements, kernels: configuration.kernels))
        reader = ActivateRequestReader(maxElements: configuration.maxElements)
        self.metrics = metrics
    }

    func handle(_ request: HTTPRequest) throws(ServiceError) -> HTTPResponse {
        guard Self.isJSON(request.headers["Content-Type"]) else {
            throw .unsupportedMediaType(request.headers["Content-Type"])
        }
        let decoded = try reader.read(request.body)
        let evaluations = try Self.evaluations(decoded.evaluations)
        let results: [EvaluationResult]
        do {
            results = try engine.evaluate(evaluations)
        } catch {
            throw ServiceError(error)
        }
        for result in results {
            metrics.elementsEvaluated(
                result.values?.count ?? result.gradients?.count ?? 0,
                function: result.function.name, dtype: result.dtype.rawValue)
        }
        return HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]),
            body: JSONWriter.activateResponse(results, batch: decoded.isBatch))
    }

    /// `application/json`, in any case, with or without parameters (`; charset=utf-8`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return mediaType.trimmingSpaces.lowercased() == "application/json"
    }

    /// The decoded evaluations as the engine's, moving the storage (no element is copied).
    static func evaluations(_ decoded: [DecodedEvaluation]) throws(ServiceError) -> [Evaluation] {
        var evaluations: [Evaluation] = []
        evaluations.reserveCapacity(decoded.count)
        for (index, item) in decoded.enumerated() {
            do throws(EngineError) {
                let input = try tensor(item.inputs)
                let gradOutput = try item.gradOutput.map { array throws(EngineError) in try tensor(array) }
                var parameters: [String: ParameterInput] = [:]
                for (name, value) in item.params {
                    switch value {
                    case .number(let number): parameters[name] = .number(number)
                    case .numbers(let numbers): parameters[name] = .numbers(numbers)
                    case .string(let text): parameters[name] = .string(text)
                    }
                }
                let outputs: OutputSelection =
                    item.outputs.values && item.outputs.gradients ? .both : item.outputs.values ? .values : .gradients
                evaluations.append(
                    Evaluation(
                        function: item.function, parameters: parameters,
                        dtype: item.dtype == .float32 ? .float32 : .float64, axis: item.axis,
                        conventions: item.conventions, input: input, gradOutput: gradOutput, outputs: outputs))
            } catch {
                throw ServiceError(error.at(index: index))
            }
        }
        return evaluations
    }

    private static func tensor(_ array: NumericArray) throws(EngineError) -> Tensor {
        switch array.storage {
        case .float32(let values): try Tensor(shape: array.shape, storage: .float32(values))
        case .float64(let values): try Tensor(shape: array.shape, storage: .float64(values))
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}

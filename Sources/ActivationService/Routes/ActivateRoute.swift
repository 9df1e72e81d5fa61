import ActivationEngine
import ActivationMath
import HTTPServer

/// `POST /v1/activate`: JSON in, engine, JSON out, each step once over the data.
///
/// The body is read straight into the engine's evaluations and tensors
/// (``ActivateRequestReader``), and the results are written into one byte buffer. A batch is
/// validated whole by the engine before anything is computed, so a 422 names the first bad
/// index and no work is wasted on the others.
struct ActivateRoute: Sendable {
    let evaluator: Evaluator
    let reader: ActivateRequestReader

    init(configuration: ServiceConfiguration, evaluator: Evaluator) {
        self.evaluator = evaluator
        reader = ActivateRequestReader(maxElements: configuration.maxElements)
    }

    func handle(_ request: HTTPRequest) throws(ServiceError) -> HTTPResponse {
        guard Self.isJSON(request.headers["Content-Type"]) else {
            throw .unsupportedMediaType(request.headers["Content-Type"])
        }
        // The body is read once: taking it frees its buffer as soon as it is parsed.
        var decoded: ActivateRequest? = try reader.read(request.takeBody())
        let isBatch = decoded!.isBatch
        let results = try evaluator.evaluate(decoded!.evaluations)
        // The inputs are done with: their storage goes back before the answer is written.
        decoded = nil
        return HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]),
            body: JSONWriter.activateResponse(results, batch: isBatch))
    }

    /// `application/json`, in any case, with or without parameters (`; charset=utf-8`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return mediaType.trimmingSpaces.lowercased() == "application/json"
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

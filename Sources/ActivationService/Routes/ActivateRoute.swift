import ActivationEngine
import ActivationMath
import HTTPServer

/// `POST /v1/activate`: JSON in, engine, JSON out, each step once over the data.
///
/// The body is read straight into the engine's evaluations and tensors
/// (``ActivateRequestReader``), and each result is written into one byte buffer as soon as it is
/// computed, then dropped. A batch is validated whole by the engine before anything is
/// computed, so a 422 names the first bad index and no work is wasted on the others.
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
        let body = try JSONWriter.activateResponse(reader.read(request.takeBody()), evaluator: evaluator)
        // Room for the headers every answer gains on its way out (`ResponseHeaders`, the request
        // id, Vary): the field list is allocated once.
        var headers = HTTPHeaders()
        headers.reserveCapacity(8)
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: 200, headers: headers, body: body)
    }

    /// `application/json`, in any case, with or without parameters (`; charset=utf-8`), with
    /// spaces and tabs around the media type. Compared byte by byte: no copies of the header.
    static func isJSON(_ contentType: String?) -> Bool {
        guard var contentType else { return false }
        return contentType.withUTF8 { bytes in
            var start = 0
            var end = bytes.firstIndex(of: 0x3B) ?? bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            let expected: StaticString = "application/json"
            guard end - start == expected.utf8CodeUnitCount else { return false }
            for k in 0..<expected.utf8CodeUnitCount {
                var c = bytes[start + k]
                if c >= 0x41 && c <= 0x5A { c += 0x20 }
                if c != expected.utf8Start[k] { return false }
            }
            return true
        }
    }
}

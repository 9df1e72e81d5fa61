/// libFuzzer entry for the Open Inference Protocol's request reader (the JSON inference header
/// and the binary tensor sections after it), built by scripts/fuzz-inference.sh.
///
/// An input is: one byte choosing the model (an index into the catalogue), two bytes giving
/// the `Inference-Header-Content-Length` (0xFFFF: no header; otherwise the value, which may
/// point past the body), then the body. A broken invariant traps, which libFuzzer reports as a
/// crash with the input saved:
/// - the reader either decodes or throws a ServiceError with a 4xx status; it never traps;
/// - what it decodes respects the limits: at most `maxElements` elements in x and grad_output,
///   a shape of at most 8 dimensions that matches the storage, grad_output in x's dtype;
/// - a decoded request that the engine evaluates gives an answer whose framing is consistent:
///   the header length is within the body and the binary sizes add up to the rest.
@testable import ActivationService
import ActivationEngine

let maxElements = 4096
let reader = InferenceRequestReader(maxElements: maxElements)
let engine = Engine(configuration: EngineConfiguration(maxElements: maxElements))

@_cdecl("LLVMFuzzerTestOneInput")
public func inferenceFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 3 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let model = Catalogue.all[Int(bytes[0]) % Catalogue.all.count]
    let lengthField = Int(bytes[1]) << 8 | Int(bytes[2])
    let headerLength = lengthField == 0xFFFF ? nil : String(lengthField)
    let body = Array(bytes[3...])
    let request: InferenceRequest
    do {
        request = try reader.read(body, headerLength: headerLength, model: model)
    } catch {
        check((400..<500).contains(error.status.code), "a reader error that is not a 4xx: \(error.status)")
        check(!error.message.isEmpty, "an error without a message")
        return 0
    }
    let evaluation = request.evaluation
    let elements = evaluation.input.count + (evaluation.gradOutput?.count ?? 0)
    check(evaluation.input.count <= maxElements && (evaluation.gradOutput?.count ?? 0) <= maxElements,
          "decoded more elements than the limit")
    check(evaluation.input.shape.count <= 8, "more than 8 dimensions")
    check(Tensor.elementCount(of: evaluation.input.shape) == evaluation.input.count, "shape and storage disagree")
    check(evaluation.gradOutput.map { $0.dtype == evaluation.input.dtype } ?? true, "grad_output in another dtype")
    check(evaluation.dtype == evaluation.input.dtype, "evaluation dtype is not x's")
    check(!request.outputs.isEmpty, "no outputs")
    guard elements <= maxElements, let result = try? engine.evaluate(evaluation) else { return 0 }
    let response = InferenceResponseWriter.response(result, for: request)
    check(response.status == 200, "a computed answer that is not 200")
    if let length = response.headers["Inference-Header-Content-Length"].flatMap({ Int($0) }) {
        check(length > 0 && length <= response.body.count, "header length outside the body")
        let key = Array("\"binary_data_size\":".utf8)
        var declared = 0
        var index = 0
        while index + key.count <= length {
            guard response.body[index..<(index + key.count)].elementsEqual(key) else {
                index += 1
                continue
            }
            index += key.count
            var value = 0
            while index < length, response.body[index] >= 0x30, response.body[index] <= 0x39 {
                value = value * 10 + Int(response.body[index] - 0x30)
                index += 1
            }
            declared += value
        }
        check(length + declared == response.body.count, "binary sizes do not add up to the body")
    }
    return 0
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

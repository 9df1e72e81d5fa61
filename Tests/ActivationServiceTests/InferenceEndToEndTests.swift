import ActivationEngine
import ActivationMath
import Foundation
import Testing

@testable import ActivationService

/// The Open Inference Protocol over real sockets: the same numbers as `/v1/activate` for every
/// function, framing faults answered and the connection still serving, the protocol's routes.
@Suite struct InferenceEndToEndTests {
    /// A binary inference request for `input` (and `gradOutput`), every output binary.
    static func binaryRequest(_ input: Tensor, gradOutput: Tensor? = nil, parameters: String = "") -> (body: [UInt8], length: Int) {
        var inputs: [String] = []
        var binary: [UInt8] = []
        for (name, tensor) in [("x", input), ("grad_output", gradOutput)] {
            guard let tensor else { continue }
            let bytes: [UInt8] = switch tensor.storage {
            case .float32(let values): values.withUnsafeBytes { Array($0) }
            case .float64(let values): values.withUnsafeBytes { Array($0) }
            }
            inputs.append(#"{"name":"\#(name)","shape":\#(tensor.shape),"datatype":"\#(tensor.dtype.inferenceDatatype)","parameters":{"binary_data_size":\#(bytes.count)}}"#)
            binary += bytes
        }
        let json = #"{"inputs":[\#(inputs.joined(separator: ","))],"parameters":{"binary_data_output":true\#(parameters)}}"#
        return (Array(json.utf8) + binary, json.utf8.count)
    }

    /// The binary outputs of an answer, by name, as raw bytes.
    static func binaryOutputs(_ response: TestResponse) -> [String: (shape: [Int], bytes: [UInt8])] {
        guard let length = response.header("Inference-Header-Content-Length").flatMap(Int.init) else { return [:] }
        let header = object(Array(response.body[0..<length]))
        var offset = length
        var outputs: [String: (shape: [Int], bytes: [UInt8])] = [:]
        for output in header["outputs"] as? [[String: Any]] ?? [] {
            let size = (output["parameters"] as? [String: Any])?["binary_data_size"] as? Int ?? 0
            outputs[output["name"] as? String ?? ""] = (output["shape"] as? [Int] ?? [], Array(response.body[offset..<(offset + size)]))
            offset += size
        }
        return outputs
    }

    static func bytes(_ tensor: Tensor?) -> [UInt8] {
        switch tensor?.storage {
        case .float32(let values)?: values.withUnsafeBytes { Array($0) }
        case .float64(let values)?: values.withUnsafeBytes { Array($0) }
        case nil: []
        }
    }

    @Test func everyFunctionInBothDTypesAnswersTheEngineBitsAndAgreesWithV1() async throws {
        let live = try LiveService()
        let engine = Engine()
        for entry in Catalogue.all {
            for dtype in DType.allCases {
                let sample = SampleEvaluation(entry, dtype: dtype)
                let parameters = sample.evaluation.parameters.map { name, value in
                    guard case .number(let number) = value else { return "" }
                    return #","\#(name)":\#(number)"#
                }.joined()
                let request = Self.binaryRequest(sample.evaluation.input, parameters: parameters)
                let response = try live.send(
                    "POST", "/v2/models/\(entry.aliases.first ?? entry.name)/infer",
                    headers: [("Inference-Header-Content-Length", String(request.length))], body: request.body)
                #expect(response.status == 200, "\(entry.name) \(dtype): \(response.text)")
                #expect(response.header("Content-Type") == "application/octet-stream")
                let outputs = Self.binaryOutputs(response)
                let expected = try engine.evaluate(sample.evaluation)
                #expect(outputs["values"]?.bytes == Self.bytes(expected.values), "\(entry.name) \(dtype) values")
                #expect(outputs["gradients"]?.bytes == Self.bytes(expected.gradients), "\(entry.name) \(dtype) gradients")
                #expect(outputs["values"]?.shape == expected.shape)
                // /v1/activate answers the same numbers for the same request.
                let v1 = object(try live.activate(sample.json).body)
                let v1Values = flatNumbers(v1["values"])
                let v2Values = (expected.values?.storage.doubles ?? [])
                #expect(sameNumbers(dtype == .float32 ? v1Values.map { Double(Float($0)) } : v1Values, v2Values))
                for learnable in entry.learnableParameters {
                    #expect(outputs["param_gradients.\(learnable.name)"]?.shape == [], "\(entry.name)")
                }
            }
        }
        await live.stop()
    }

    @Test func framingFaultsAreAnsweredAndTheConnectionKeepsServing() async throws {
        let live = try LiveService()
        let client = try live.client()
        let good = Self.binaryRequest(Tensor(float32: [1, -2, 3]))
        let faults: [(body: [UInt8], length: String?)] = [
            (good.body + [0, 0], String(good.length)),                  // trailing bytes
            (Array(good.body.dropLast(3)), String(good.length)),        // missing bytes
            (good.body, String(good.body.count + 1)),                   // header length past the body
            (good.body, "-1"),                                          // not a byte count
            (good.body, nil),                                           // binary without the header length
            (Array(good.body[0..<good.length]) + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], String(good.length)),
        ]
        for fault in faults {
            let headers = fault.length.map { [("Inference-Header-Content-Length", $0)] } ?? []
            let response = try client.send("POST", "/v2/models/relu/infer", headers: headers, body: fault.body)
            #expect(response.status == 400, "\(response.text)")
            #expect(response.header("Content-Type") == "application/json")
            #expect((object(response.body)["error"] as? String)?.isEmpty == false, "\(response.text)")
            #expect(response.header("Connection") != "close")
        }
        // The same connection still answers a good request, with the right numbers.
        let response = try client.send(
            "POST", "/v2/models/relu/infer", headers: [("Inference-Header-Content-Length", String(good.length))],
            body: good.body)
        #expect(response.status == 200)
        #expect(Self.binaryOutputs(response)["values"]?.bytes == Self.bytes(Tensor(float32: [1, 0, 3])))
        await live.stop()
    }

    @Test func protocolRoutesAndErrorsInTheProtocolsShape() async throws {
        let live = try LiveService()
        let server = object(try live.send("GET", "/v2").body)
        #expect(server["name"] as? String == "activation-service")
        #expect((server["extensions"] as? [String])?.contains("binary_tensor_data") == true)
        #expect(try live.send("GET", "/v2/health/live").status == 200)
        #expect(try live.send("GET", "/v2/health/ready").status == 200)
        let metadata = object(try live.send("GET", "/v2/models/silu/versions/1").body)
        #expect(metadata["name"] as? String == "swish")
        #expect(metadata["versions"] as? [String] == ["1"])
        #expect((metadata["outputs"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            == ["values", "gradients", "param_gradients.beta"])
        let prelu = object(try live.send("GET", "/v2/models/prelu").body)
        #expect((prelu["inputs"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["x", "grad_output", "alpha"])
        let index = try #require(parseJSON(try live.send("POST", "/v2/repository/index").body) as? [[String: Any]])
        #expect(index.count == Catalogue.all.count)
        #expect(index.allSatisfy { $0["state"] as? String == "READY" && $0["version"] as? String == "1" })
        let model = object(try live.send("GET", "/v2/models/gelu/ready").body)
        #expect(model["ready"] as? Bool == true)

        for (method, path, status) in [
            ("GET", "/v2/models/nope", 404), ("GET", "/v2/models/gelu/versions/2", 404),
            ("POST", "/v2/models/gelu/versions/0/infer", 404), ("GET", "/v2/models/gelu/infer", 405),
            ("GET", "/v2/unknown", 404), ("POST", "/v2/repository/index", 400),
        ] {
            let body: [UInt8] = path == "/v2/repository/index" ? Array(#"{"readyy": true}"#.utf8) : []
            let response = try live.send(method, path, body: body)
            #expect(response.status == status, "\(method) \(path): \(response.text)")
            #expect(object(response.body)["error"] is String, "\(method) \(path): \(response.text)")
            #expect(response.header("X-Error-Code") != nil)
        }
        #expect(try live.send("GET", "/v2/models/gelu/infer").header("Allow") == "POST")
        // v1's validation errors (422 there) are the protocol's 400, with the same message.
        let bad = try live.send(
            "POST", "/v2/models/squareplus/infer",
            body: Array(#"{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":[1]}],"parameters":{"b":-1}}"#.utf8))
        #expect(bad.status == 400)
        #expect((object(bad.body)["error"] as? String)?.contains("b") == true)
        await live.stop()
    }

    /// Errors the HTTP server makes itself (a body over the limit, a body that does not decode)
    /// are in the protocol's shape under /v2 too, and stay in v1's shape elsewhere.
    @Test func serverMadeErrorsUnderV2AreInTheProtocolsShape() async throws {
        let live = try LiveService { $0.parserLimits.maxBodyLength = 64 }
        let body = Array(repeating: UInt8(ascii: " "), count: 65)
        let tooLarge = try live.send("POST", "/v2/models/relu/infer", body: body)
        #expect(tooLarge.status == 413)
        #expect(object(tooLarge.body)["error"] is String, "\(tooLarge.text)")
        #expect(tooLarge.header("X-Error-Code") == "payload_too_large")
        let undecodable = try live.send(
            "POST", "/v2/models/relu/infer", headers: [("Content-Encoding", "gzip")], body: Array("not gzip".utf8))
        #expect(undecodable.status == 400)
        #expect(object(undecodable.body)["error"] is String, "\(undecodable.text)")
        #expect(undecodable.header("X-Error-Code") == "bad_request")
        let v1 = try live.send("POST", "/v1/activate", body: body)
        #expect(v1.status == 413)
        let v1Error = try #require(object(v1.body)["error"] as? [String: Any], "\(v1.text)")
        #expect(v1Error["code"] as? String == "payload_too_large")
        await live.stop()
    }

    @Test func readinessFollowsDrainingAndMetricsLabelTheRoutePattern() async throws {
        let live = try LiveService()
        _ = try live.send(
            "POST", "/v2/models/relu/infer",
            body: Array(#"{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,-1]}]}"#.utf8))
        _ = try live.send("GET", "/v2/models/relu/versions/1/ready")
        live.service.lifecycle.startDraining()
        #expect(try live.send("GET", "/v2/health/ready").status == 503)
        #expect(try live.send("GET", "/v2/models/relu/ready").status == 503)
        #expect(try live.send("GET", "/v2/health/live").status == 200)
        let metrics = try live.send("GET", "/metrics").text
        #expect(metrics.contains(#"http_requests_total{route="/v2/models/{name}/infer",method="POST",status="200"} 1"#))
        #expect(metrics.contains(#"http_requests_total{route="/v2/models/{name}/versions/{version}/ready",method="GET",status="200"} 1"#))
        #expect(metrics.contains(#"activation_elements_evaluated_total{function="relu",dtype="float32"} 2"#))
        await live.stop()
    }

    @Test func underV2OnlyInferenceAnswersAreCompressed() async throws {
        let live = try LiveService()
        let gzip = [("Accept-Encoding", "gzip, deflate")]
        // Model metadata and the index are over 1 KiB but stay plain: clients decode only infer.
        let index = try live.send("POST", "/v2/repository/index", headers: gzip)
        #expect(index.body.count > 1024 && index.header("Content-Encoding") == nil)
        #expect(try live.send("GET", "/v2/models/geglu", headers: gzip).header("Content-Encoding") == nil)
        let request = Self.binaryRequest(Tensor([Double](repeating: 0.5, count: 1024)))
        let infer = try live.send(
            "POST", "/v2/models/tanh/infer",
            headers: gzip + [("Inference-Header-Content-Length", String(request.length))], body: request.body)
        #expect(infer.status == 200)
        #expect(infer.header("Content-Encoding") == "gzip")
        // v1 answers are compressed as before.
        #expect(try live.send("GET", "/v1/functions", headers: gzip).header("Content-Encoding") == "gzip")
        await live.stop()
    }
}

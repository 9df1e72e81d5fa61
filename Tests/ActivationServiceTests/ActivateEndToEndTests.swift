import ActivationEngine
import ActivationMath
import Foundation
import Testing

@testable import ActivationService

/// `POST /v1/activate` through real sockets: the answer the client parses must carry exactly
/// the numbers the engine computed, in both dtypes, for every function in the catalogue.
@Suite struct ActivateEndToEndTests {
    @Test func everyFunctionInBothDTypesMatchesTheEngineBitForBit() async throws {
        let live = try LiveService()
        let engine = Engine()
        for entry in Catalogue.all {
            for dtype in DType.allCases {
                let request = SampleEvaluation(entry, dtype: dtype)
                let response = try live.activate(request.json)
                #expect(response.status == 200, "\(entry.name) \(dtype): \(response.text)")
                let answer = object(response.body)
                let expected = try engine.evaluate(request.evaluation)
                #expect(answer["function"] as? String == entry.name)
                #expect(answer["dtype"] as? String == dtype.rawValue)
                #expect((answer["shape"] as? [Int]) == expected.shape)
                for (key, tensor) in [("values", expected.values), ("gradients", expected.gradients)] {
                    let received = flatNumbers(answer[key])
                    let wanted = tensor?.storage.doubles ?? []
                    // Float32 text must read back to the same float32, float64 to the same double.
                    let comparable = dtype == .float32 ? received.map { Double(Float($0)) } : received
                    #expect(sameNumbers(comparable, wanted), "\(entry.name) \(dtype) \(key)")
                }
            }
        }
        await live.stop()
    }

    @Test func batchAnswersAnArrayInOrder() async throws {
        let live = try LiveService()
        let response = try live.activate("""
            [{"function":"relu","inputs":[-1,2]},
             {"function":"sigmoid","inputs":0,"dtype":"float32"},
             {"function":"leaky_relu","inputs":[-2],"params":{"alpha":0.5}}]
            """)
        #expect(response.status == 200)
        let answers = try #require(parseJSON(response.body) as? [[String: Any]])
        #expect(answers.map { $0["function"] as? String } == ["relu", "sigmoid", "leaky_relu"])
        #expect(flatNumbers(answers[0]["values"]) == [0, 2])
        #expect(flatNumbers(answers[1]["values"]) == [0.5])
        #expect((answers[1]["shape"] as? [Int]) == [])
        #expect(flatNumbers(answers[2]["values"]) == [-1])
        // A batch of one is still an array; a single object is still an object.
        let one = try live.activate(#"[{"function":"relu","inputs":[1]}]"#)
        #expect((parseJSON(one.body) as? [Any])?.count == 1)
        await live.stop()
    }

    @Test func invalidBatchItemIs422NamingItsIndex() async throws {
        let live = try LiveService()
        let response = try live.activate("""
            [{"function":"relu","inputs":[1]},{"function":"elu","inputs":[1],"params":{"alpha":"x"}}]
            """)
        #expect(response.status == 422)
        let error = errorOf(response.body)
        #expect(error.details["index"] as? Int == 1)
        let unknown = try live.activate(#"[{"function":"relu","inputs":[1]},{"function":"nope","inputs":[1]}]"#)
        #expect(unknown.status == 404)
        #expect(errorOf(unknown.body).code == "unknown_function")
        #expect(errorOf(unknown.body).details["index"] as? Int == 1)
        #expect((errorOf(unknown.body).details["known"] as? [String])?.contains("relu") == true)
        await live.stop()
    }

    @Test func nDimensionalInputAlongAnAxis() async throws {
        let live = try LiveService()
        let response = try live.activate(#"{"function":"softmax","inputs":[[1,2,3],[1,2,3]],"axis":0,"outputs":["values"]}"#)
        #expect(response.status == 200)
        let answer = object(response.body)
        #expect((answer["shape"] as? [Int]) == [2, 3])
        #expect(answer["gradients"] == nil)
        // Along axis 0 each column holds two equal numbers: each softmax value is 1/2.
        #expect(flatNumbers(answer["values"]).allSatisfy { abs($0 - 0.5) < 1e-15 })
        let lastAxis = object(try live.activate(#"{"function":"softmax","inputs":[[0,0],[5,5]]}"#).body)
        #expect(flatNumbers(lastAxis["values"]).allSatisfy { abs($0 - 0.5) < 1e-15 })
        let badAxis = try live.activate(#"{"function":"softmax","inputs":[[1,2]],"axis":2}"#)
        #expect(badAxis.status == 422)
        #expect(errorOf(badAxis.body).code == "axis_out_of_range")
        await live.stop()
    }

    @Test func gradOutputScalesTheGradients() async throws {
        let live = try LiveService()
        let response = try live.activate(#"{"function":"relu","inputs":[[-1,2],[3,-4]],"grad_output":[[5,6],[7,8]]}"#)
        #expect(response.status == 200)
        #expect(flatNumbers(object(response.body)["gradients"]) == [0, 6, 7, 0])
        let mismatch = try live.activate(#"{"function":"relu","inputs":[1,2],"grad_output":[1,2,3]}"#)
        #expect(mismatch.status == 422)
        await live.stop()
    }

    @Test func nonFiniteNumbersTravelAsStrings() async throws {
        let live = try LiveService()
        for dtype in DType.allCases {
            let response = try live.activate(
                #"{"function":"relu","inputs":["NaN","Infinity","-Infinity",1],"dtype":"\#(dtype.rawValue)"}"#)
            #expect(response.status == 200)
            #expect(response.text.contains(#""values":["NaN","Infinity",0"#), "\(response.text)")
            #expect(sameNumbers(flatNumbers(object(response.body)["values"]), [.nan, .infinity, 0, 1]))
        }
        await live.stop()
    }

    @Test func float32NumbersAreWrittenAsShortestFloat32Text() async throws {
        let live = try LiveService()
        let response = try live.activate(#"{"function":"identity","inputs":[0.1,0.2,3.4028234663852886e38],"dtype":"float32"}"#)
        #expect(response.status == 200)
        #expect(response.text.contains(#""values":[0.1,0.2,3.4028235e+38]"#), "\(response.text)")
        let double = try live.activate(#"{"function":"identity","inputs":[0.1]}"#)
        #expect(double.text.contains(#""values":[0.1]"#))
        await live.stop()
    }

    @Test func aMillionElements() async throws {
        let live = try LiveService()
        let count = 1_000_000
        var body = #"{"function":"relu","dtype":"float32","inputs":["#
        body.reserveCapacity(count * 4)
        for index in 0..<count { body += index == 0 ? "-1" : (index % 2 == 0 ? ",-1" : ",2") }
        body += "]}"
        // A debug build on a shared machine needs time for a million numbers in and out.
        let client = try TestClient(port: live.port, timeoutSeconds: 300)
        let response = try client.send(
            "POST", "/v1/activate", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        #expect(response.status == 200)
        let values = flatNumbers(object(response.body)["values"])
        #expect(values.count == count)
        #expect(values.prefix(4) == [0, 2, 0, 2])
        #expect(values.allSatisfy { $0 == 0 || $0 == 2 })
        await live.stop()
    }
}

/// A valid evaluation for any catalogue entry: required parameters filled inside their bounds,
/// a 2×4 input (so the GLU family's split axis is even), as JSON and as the engine's value.
struct SampleEvaluation {
    let json: String
    let evaluation: Evaluation

    static let inputs: [Double] = [-2.5, -1, -0.25, 0, 0.3, 1, 1.75, 4]

    init(_ entry: FunctionMetadata, dtype: DType) {
        var params: [String: ParameterInput] = [:]
        var paramText: [String] = []
        for parameter in entry.parameters where parameter.requirement == .required {
            let value = Self.valueInside(parameter)
            params[parameter.name] = .number(value)
            paramText.append("\"\(parameter.name)\":\(value)")
        }
        let rows = [Array(Self.inputs[0..<4]), Array(Self.inputs[4..<8])]
        json = """
            {"function":"\(entry.name)","dtype":"\(dtype.rawValue)","params":{\(paramText.joined(separator: ","))},\
            "inputs":[\(rows.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ","))]}
            """
        let tensor: Tensor = switch dtype {
        case .float32: try! Tensor(shape: [2, 4], float32: Self.inputs.map(Float.init))
        case .float64: try! Tensor(shape: [2, 4], float64: Self.inputs)
        }
        evaluation = Evaluation(function: entry.name, parameters: params, dtype: dtype, input: tensor)
    }

    /// 0.5 when allowed, else a point just inside the bounds.
    static func valueInside(_ parameter: ParameterSpec) -> Double {
        let lower = parameter.lowerBound?.value ?? -.infinity
        let upper = parameter.upperBound?.value ?? .infinity
        if lower < 0.5 && 0.5 < upper { return 0.5 }
        if lower.isFinite && upper.isFinite { return (lower + upper) / 2 }
        return lower.isFinite ? lower + 1 : upper - 1
    }
}

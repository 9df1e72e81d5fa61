import ActivationEngine
import ActivationMath
import Testing
@testable import ActivationService

/// Valid bodies: every field, defaults, field order, shapes, batches, non-finite strings.
@Suite struct JSONReaderTests {
    typealias S = JSONTestSupport

    @Test func minimalEvaluationTakesEveryDefault() throws {
        let evaluation = try S.single(#"{"function": "relu", "inputs": [1, -2.5, 3e2]}"#)
        #expect(evaluation.function == "relu")
        #expect(evaluation.parameters.isEmpty)
        #expect(evaluation.dtype == .float64)
        #expect(evaluation.outputs == .both)
        #expect(evaluation.gradOutput == nil)
        #expect(evaluation.axis == -1)
        #expect(evaluation.conventions == .pytorch)
        #expect(evaluation.input.shape == [3])
        #expect(S.doubles(evaluation.input) == [1, -2.5, 300])
    }

    @Test func everyFieldIsRead() throws {
        let body = """
            {"function": "prelu", "params": {"alpha": [0.25, "NaN"], "approximate": "tanh", "beta": 2, "gamma": "-Infinity"},
             "dtype": "float32", "outputs": ["gradients"], "grad_output": [[1, 2], [3, 4]],
             "axis": 0, "conventions": "jax", "inputs": [[0.1, 0.2], [0.3, 0.4]]}
            """
        let evaluation = try S.single(body)
        #expect(evaluation.function == "prelu")
        guard case .numbers(let alpha) = evaluation.parameters["alpha"] else {
            Issue.record("alpha should be numbers")
            return
        }
        #expect(alpha.count == 2 && alpha[0] == 0.25 && alpha[1].isNaN)
        #expect(evaluation.parameters["approximate"] == .string("tanh"))
        #expect(evaluation.parameters["beta"] == .number(2))
        #expect(evaluation.parameters["gamma"] == .number(-.infinity))
        #expect(evaluation.dtype == .float32)
        #expect(evaluation.outputs == .gradients)
        #expect(evaluation.gradOutput == S.tensor([2, 2], .float32([1, 2, 3, 4])))
        #expect(evaluation.axis == 0)
        #expect(evaluation.conventions == .jax)
        #expect(evaluation.input == S.tensor([2, 2], .float32([0.1, 0.2, 0.3, 0.4])))
    }

    @Test func dtypeAfterInputsStillStoresFloat32() throws {
        let evaluation = try S.single(#"{"inputs": [0.1, 1e-45], "function": "tanh", "dtype": "float32"}"#)
        #expect(S.floats(evaluation.input) == [Float(0.1), Float(bitPattern: 1)])
    }

    @Test func shapesFromScalarToEightDimensions() throws {
        #expect(try S.single(#"{"function":"f","inputs":7}"#).input == S.tensor([], .float64([7])))
        #expect(try S.single(#"{"function":"f","inputs":"NaN"}"#).input.shape == [])
        #expect(try S.single(#"{"function":"f","inputs":[]}"#).input == S.tensor([0], .float64([])))
        #expect(try S.single(#"{"function":"f","inputs":[[],[]]}"#).input.shape == [2, 0])
        #expect(try S.single(#"{"function":"f","inputs":[[[]]]}"#).input.shape == [1, 1, 0])
        let nested = try S.single(#"{"function":"f","inputs":[[[1,2,3],[4,5,6]],[[7,8,9],[10,11,12]]]}"#).input
        #expect(nested.shape == [2, 2, 3])
        #expect(S.doubles(nested) == (1...12).map(Double.init))
        let eight = String(repeating: "[", count: 8) + "1, 2" + String(repeating: "]", count: 8)
        let deep = try S.single(#"{"function":"f","inputs":"# + eight + "}").input
        #expect(deep.shape == [1, 1, 1, 1, 1, 1, 1, 2])
    }

    @Test func whitespaceEverywhereIsAllowed() throws {
        let body = " \n\t{ \"function\" :\r\n \"relu\" , \"inputs\" : [ [ 1 , 2 ] ,\n [ 3 , 4 ] ] } \n"
        let evaluation = try S.single(body)
        #expect(evaluation.input.shape == [2, 2])
        #expect(S.doubles(evaluation.input) == [1, 2, 3, 4])
    }

    @Test func nonFiniteStringsBecomeNonFiniteNumbers() throws {
        for dtype in ["float32", "float64"] {
            let evaluation = try S.single(
                #"{"function":"f","dtype":"\#(dtype)","inputs":["NaN","Infinity","-Infinity",-0.0],"grad_output":["Infinity",1,2,3]}"#)
            let values: [Double] = switch evaluation.input.storage {
            case .float32(let v): v.map(Double.init)
            case .float64(let v): v
            }
            #expect(values[0].isNaN)
            #expect(values[1] == .infinity)
            #expect(values[2] == -.infinity)
            #expect(values[3] == 0 && values[3].sign == .minus)
            #expect(evaluation.gradOutput?.count == 4)
        }
    }

    @Test func escapedStringsAreDecoded() throws {
        let evaluation = try S.single(
            #"{"function":"r\u0065lu\t\"\\\/\ud83d\ude00é","params":{"\u0061pproximate":"\u004eaN"},"inputs":[]}"#)
        #expect(evaluation.function == "relu\t\"\\/😀é")
        guard case .number(let value) = evaluation.parameters["approximate"] else {
            Issue.record("an escaped \"NaN\" is still NaN")
            return
        }
        #expect(value.isNaN)
    }

    @Test func batchMirrorsItsForm() throws {
        let request = try S.read(#"[{"function":"a","inputs":[1]}, {"function":"b","inputs":2,"dtype":"float32"}]"#)
        #expect(request.isBatch)
        #expect(request.evaluations.map(\.function) == ["a", "b"])
        #expect(request.evaluations[1].input == S.tensor([], .float32([2])))
        let one = try S.read(#"[{"function":"a","inputs":[1]}]"#)
        #expect(one.isBatch && one.evaluations.count == 1)
        #expect(try S.read("[]") == .batch([]))
        #expect(try !S.read(#"{"function":"a","inputs":[1]}"#).isBatch)
    }

    @Test func outputsAcceptEitherOrBoth() throws {
        #expect(try S.single(#"{"function":"f","inputs":1,"outputs":["values"]}"#).outputs
            == .values)
        #expect(try S.single(#"{"function":"f","inputs":1,"outputs":["gradients","values","values"]}"#).outputs == .both)
    }

    @Test func axisTakesNegativeAndPositiveIntegers() throws {
        #expect(try S.single(#"{"function":"f","inputs":1,"axis":-3}"#).axis == -3)
        #expect(try S.single(#"{"function":"f","inputs":1,"axis":7}"#).axis == 7)
        #expect(try S.single(#"{"function":"f","inputs":1,"axis":-0}"#).axis == 0)
    }

    /// `1.0` and `1e0` are the integer 1 to JSON Schema (the contract says `type: integer`), so
    /// a schema-valid request may spell the axis that way.
    @Test func axisTakesIntegralNumbersInAnySpelling() throws {
        #expect(try S.single(#"{"function":"f","inputs":1,"axis":1.0}"#).axis == 1)
        #expect(try S.single(#"{"function":"f","inputs":1,"axis":-2e0}"#).axis == -2)
        #expect(try S.single(#"{"function":"f","inputs":1,"axis":-0.0}"#).axis == 0)
        #expect(try S.single(#"{"function":"f","inputs":1,"axis":3.00e2}"#).axis == 300)
        #expect(try S.single(#"{"function":"f","inputs":1,"axis":2.5e1}"#).axis == 25)
    }

    @Test func elementLimitIsInclusive() throws {
        let evaluation = try S.read(#"[{"function":"f","inputs":[1,2]},{"function":"f","inputs":[[3],[4]],"grad_output":[1,1,1,1]}]"#,
                                    maxElements: 4)
        #expect(evaluation.evaluations.count == 2)
    }
}

import Synchronization
import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// Every error code, with its details, through the public entry point where a catalogue function
/// exercises it, and through the resolver with constructed metadata where none does yet.
@Suite struct ErrorTests {
    let matrix = patterned([2, 3])

    @Test func unknownFunctionListsEveryCanonicalName() throws {
        let error = try #require(engineError([Evaluation(function: "swishy", input: matrix)]))
        #expect(error.code == .unknownFunction)
        #expect(error.code.rawValue == "unknown_function")
        #expect(error.details["function"] == .string("swishy"))
        #expect(error.details["known"] == .strings(ActivationFunction.allCases.map(\.name)))
        #expect(error.index == 0)
        #expect(error.details["index"] == .int(0))
    }

    @Test func unknownParameterNamesTheKnownOnes() throws {
        let error = try #require(engineError([
            Evaluation(function: "geglu", parameters: ["beta": .number(1)], input: Tensor([1, 2])),
        ]))
        #expect(error.code == .unknownParameter)
        #expect(error.details["parameter"] == .string("beta"))
        #expect(error.details["known"] == .strings(["gate", "approximate"]))
    }

    @Test func choiceOfTheWrongTypeOrValue() throws {
        let wrongType = try #require(engineError([
            Evaluation(function: "glu", parameters: ["gate": .number(1)], input: Tensor([1, 2])),
        ]))
        #expect(wrongType.code == .invalidParameterType)
        #expect(wrongType.details["parameter"] == .string("gate"))
        let wrongValue = try #require(engineError([
            Evaluation(function: "glu", parameters: ["gate": .string("third")], input: Tensor([1, 2])),
        ]))
        #expect(wrongValue.code == .invalidParameterValue)
        #expect(wrongValue.details["value"] == .string("third"))
        #expect(wrongValue.details["allowed"] == .strings(["second", "first"]))
    }

    @Test func catalogueConstraintsAndBounds() throws {
        let rrelu = try #require(engineError([
            Evaluation(function: "rrelu", parameters: ["lower": .number(0.5), "upper": .number(0.3)], input: matrix),
        ]))
        #expect(rrelu.code == .parameterConstraintViolated)
        #expect(rrelu.details["constraint"] == .string("lower <= upper"))
        let hardtanh = try #require(engineError([
            Evaluation(function: "hardtanh", parameters: ["min_val": .number(1), "max_val": .number(1)], input: matrix),
        ]))
        #expect(hardtanh.code == .parameterConstraintViolated)
        #expect(hardtanh.details["constraint"] == .string("min_val < max_val"))
        let nan = try #require(engineError([
            Evaluation(function: "elu", parameters: ["alpha": .number(.nan)], input: matrix),
        ]))
        #expect(nan.code == .parameterOutOfRange)
        #expect(nan.details["parameter"] == .string("alpha"))
    }

    @Test func gradOutputMustHaveTheOutputShape() throws {
        let error = try #require(engineError([
            Evaluation(function: "softmax", input: matrix, gradOutput: patterned([3, 2])),
        ]))
        #expect(error.code == .gradOutputShapeMismatch)
        #expect(error.details["expected"] == .ints([2, 3]))
        #expect(error.details["actual"] == .ints([3, 2]))
        // The GLU family's outputs halve the split axis, and so must grad_output.
        let glu = Evaluation(function: "glu", input: patterned([2, 4]), gradOutput: patterned([2, 4]))
        #expect(engineError([glu])?.details["expected"] == .ints([2, 2]))
    }

    @Test(arguments: [2, -3, 7])
    func axisOutOfRange(axis: Int) throws {
        let error = try #require(engineError([Evaluation(function: "softmax", axis: axis, input: matrix)]))
        #expect(error.code == .axisOutOfRange)
        #expect(error.details["axis"] == .int(axis))
        #expect(error.details["ndim"] == .int(2))
    }

    @Test func scalarAcceptsOnlyAxisZeroOrMinusOne() throws {
        let scalar = try Tensor(shape: [], float64: [4])
        #expect(engineError([Evaluation(function: "softmax", axis: 0, input: scalar)]) == nil)
        #expect(engineError([Evaluation(function: "softmax", axis: 1, input: scalar)])?.code == .axisOutOfRange)
    }

    @Test func oddSplitDimension() throws {
        let error = try #require(engineError([Evaluation(function: "swiglu", axis: 0, input: patterned([3, 2]))]))
        #expect(error.code == .oddSplitDimension)
        #expect(error.details["axis"] == .int(0))
        #expect(error.details["length"] == .int(3))
        let odd = try #require(engineError([Evaluation(function: "glu", input: matrix)]))
        #expect(odd.details["length"] == .int(3))
        #expect(engineError([Evaluation(function: "glu", axis: 0, input: matrix)]) == nil)
    }

    @Test func tooManyDimensionsForTheConfiguration() throws {
        let engine = Engine(configuration: EngineConfiguration(maxDimensions: 3))
        let error = try #require(engineError(engine, [Evaluation(function: "softmax", input: patterned([1, 2, 1, 2]))]))
        #expect(error.code == .tooManyDimensions)
        #expect(error.details["limit"] == .int(3))
        #expect(error.details["ndim"] == .int(4))
    }

    @Test func tooManyElementsCountsGradOutputAndTheWholeBatch() throws {
        let engine = Engine(configuration: EngineConfiguration(maxElements: 10))
        let alone = Evaluation(function: "softmax", input: matrix)
        #expect(engineError(engine, [alone]) == nil)
        let withGrad = Evaluation(function: "softmax", input: matrix, gradOutput: matrix)
        let error = try #require(engineError(engine, [withGrad]))
        #expect(error.code == .tooManyElements)
        #expect(error.details["count"] == .int(12))
        #expect(error.details["limit"] == .int(10))
        let batch = try #require(engineError(engine, [alone, alone]))
        #expect(batch.code == .tooManyElements)
        #expect(batch.index == 1)
    }

    @Test func dtypeMismatch() throws {
        let input = try #require(engineError([Evaluation(function: "softmax", dtype: .float32, input: matrix)]))
        #expect(input.code == .dtypeMismatch)
        #expect(input.details["tensor"] == .string("inputs"))
        let grad = try #require(engineError([
            Evaluation(function: "softmax", input: matrix, gradOutput: patterned([2, 3], dtype: .float32)),
        ]))
        #expect(grad.details["tensor"] == .string("grad_output"))
        #expect(grad.details["expected"] == .string("float64"))
        #expect(grad.details["actual"] == .string("float32"))
    }

    @Test func batchIsValidatedAsOneUnit() throws {
        let computed = Mutex<[Int]>([])
        var engine = Engine()
        engine.computeObserver = { index in computed.withLock { $0.append(index) } }
        var batch = (0..<5).map { _ in Evaluation(function: "softmax", input: matrix) }
        batch[3] = Evaluation(function: "softmax", axis: 5, input: matrix)
        let error = try #require(engineError(engine, batch))
        #expect(error.index == 3)
        #expect(error.details["index"] == .int(3))
        #expect(error.message.hasPrefix("evaluation 3:"))
        #expect(computed.withLock { $0 }.isEmpty)

        batch[3] = Evaluation(function: "softmax", input: matrix)
        let results = try engine.evaluate(batch)
        #expect(results.count == 5)
        #expect(computed.withLock { $0 } == [0, 1, 2, 3, 4])
    }

    /// The streaming form hands over each result as it is computed, in order, equal to what the
    /// array form returns; a refused batch (the error in the middle, after valid items, and the
    /// element limit crossed by the last item) computes nothing and calls the body never.
    @Test func eachResultIsHandedOverInOrderOrNotAtAll() throws {
        let engine = Engine()
        let batch = [
            Evaluation(function: "relu", input: Tensor([-1, 2])),
            Evaluation(function: "softmax", input: matrix),
            Evaluation(function: "gelu", parameters: ["approximate": .string("tanh")], input: Tensor(float32: [0.5, -3])),
            Evaluation(function: "prelu", parameters: ["alpha": .numbers([0.1, 0.2, 0.3])], input: matrix),
        ]
        var handed: [(Int, EvaluationResult)] = []
        try engine.evaluate(batch) { index, result in handed.append((index, result)) }
        #expect(handed.map(\.0) == [0, 1, 2, 3])
        #expect(handed.map(\.1) == (try engine.evaluate(batch)))
        #expect(handed[1].1.values == (try engine.evaluate(batch[1])).values)

        for refused in [
            batch + [Evaluation(function: "softmax", axis: 5, input: matrix)] + batch,
            batch + [Evaluation(function: "relu", input: Tensor([Double](repeating: 1, count: 100)))],
        ] {
            var calls = 0
            var limited = Engine()
            limited.configuration.maxElements = 100
            #expect(throws: EngineError.self) { try limited.evaluate(refused) { _, _ in calls += 1 } }
            #expect(calls == 0)
        }
    }

    @Test func positionsAreDenseAndFollowAllCases() {
        #expect(ActivationFunction.allCases.map(\.position) == Array(ActivationFunction.allCases.indices))
    }

    @Test func everyCodeIsSnakeCaseAndDistinct() {
        let raw = EngineError.Code.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in raw { #expect(code.allSatisfy { $0.isLowercase || $0 == "_" }) }
    }
}

import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// Parameter resolution against metadata built here, so that every rule is exercised whatever
/// the catalogue's entries say.
@Suite struct ParameterResolutionTests {
    static let metadata = FunctionMetadata(
        function: .rrelu, summary: "test", formula: "", formulaLatex: "", derivative: "", derivativeLatex: "",
        parameters: [
            ParameterSpec(name: "lower", requirement: .defaulted(.number(1.0 / 8)),
                          lowerBound: .init(0, inclusive: true), description: ""),
            ParameterSpec(name: "upper", requirement: .defaulted(.number(1.0 / 3)),
                          upperBound: .init(1, inclusive: false), description: ""),
            ParameterSpec(name: "needed", requirement: .required, description: ""),
            ParameterSpec(name: "maybe", requirement: .optional, lowerBound: .init(0, inclusive: false),
                          description: ""),
            ParameterSpec(name: "alpha", kind: .numberOrPerChannel, requirement: .defaulted(.number(0.25)),
                          description: ""),
            ParameterSpec(name: "mode", kind: .choice(["a", "b"]), requirement: .defaulted(.choice("a")),
                          description: ""),
        ],
        constraints: [.lessThanOrEqual("lower", "upper")],
        range: "", properties: FunctionProperties(
            zeroCentered: false, monotonicity: .increasing, vanishingGradient: .none, dying: .none),
        cost: .trivial, year: 2000, reference: "")

    func resolve(
        _ raw: [String: ParameterInput], dtype: DType = .float64, channels: Int? = nil
    ) throws(EngineError) -> ResolvedParameters {
        try ParameterResolver.resolve(raw, metadata: Self.metadata, dtype: dtype, channels: channels)
    }

    func error(_ raw: [String: ParameterInput], dtype: DType = .float64, channels: Int? = nil) -> EngineError? {
        do {
            _ = try resolve(raw, dtype: dtype, channels: channels)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsFillInAndOptionalStaysAbsent() throws {
        let resolved = try resolve(["needed": .number(2)])
        #expect(resolved["lower"] == .number(0.125))
        #expect(resolved["upper"] == .number(1.0 / 3))
        #expect(resolved["needed"] == .number(2))
        #expect(resolved["maybe"] == nil)
        #expect(resolved["mode"] == .choice("a"))
    }

    @Test func float32RoundsGivenAndDefaultNumbers() throws {
        let resolved = try resolve(["needed": .number(0.1), "alpha": .numbers([0.1, 0.2])], dtype: .float32, channels: 2)
        #expect(resolved["needed"] == .number(Double(Float(0.1))))
        #expect(resolved["upper"] == .number(Double(Float(1.0 / 3))))
        #expect(resolved["alpha"] == .numbers([Double(Float(0.1)), Double(Float(0.2))]))
    }

    @Test func missingRequiredParameter() throws {
        let e = try #require(error([:]))
        #expect(e.code == .missingParameter)
        #expect(e.details["parameter"] == .string("needed"))
    }

    @Test func boundsHonourInclusivity() throws {
        #expect(error(["needed": .number(0), "lower": .number(0)]) == nil)
        #expect(error(["needed": .number(0), "upper": .number(0.999)]) == nil)
        let upper = try #require(error(["needed": .number(0), "upper": .number(1)]))
        #expect(upper.code == .parameterOutOfRange)
        #expect(upper.details["allowed"] == .string("finite and < 1.0"))
        let lower = try #require(error(["needed": .number(0), "lower": .number(-1e-300)]))
        #expect(lower.details["value"] == .double(-1e-300))
        #expect(error(["needed": .number(0), "maybe": .number(0)])?.code == .parameterOutOfRange)
    }

    @Test func boundsAreCheckedAfterFloat32Rounding() {
        // Positive as given, 0 once rounded to float32: refused rather than used as 0.
        #expect(error(["needed": .number(0), "maybe": .number(1e-50)]) == nil)
        #expect(error(["needed": .number(0), "maybe": .number(1e-50)], dtype: .float32)?.code == .parameterOutOfRange)
    }

    @Test func nonFiniteNumbersAreOutOfRange() {
        #expect(error(["needed": .number(.nan)])?.code == .parameterOutOfRange)
        #expect(error(["needed": .number(.infinity)])?.code == .parameterOutOfRange)
    }

    @Test func kindsAreChecked() {
        #expect(error(["needed": .string("1")])?.code == .invalidParameterType)
        #expect(error(["needed": .numbers([1])])?.code == .invalidParameterType)
        #expect(error(["needed": .number(1), "mode": .number(1)])?.code == .invalidParameterType)
        #expect(error(["needed": .number(1), "mode": .string("c")])?.code == .invalidParameterValue)
        #expect(error(["needed": .number(1), "alpha": .string("x")])?.code == .invalidParameterType)
    }

    @Test func perChannelLengthMustMatchAxisOne() throws {
        #expect(error(["needed": .number(1), "alpha": .numbers([1, 2, 3])], channels: 3) == nil)
        #expect(error(["needed": .number(1), "alpha": .numbers([1])], channels: 3) == nil)
        let wrong = try #require(error(["needed": .number(1), "alpha": .numbers([1, 2])], channels: 3))
        #expect(wrong.code == .parameterShapeMismatch)
        #expect(wrong.details["count"] == .int(2))
        #expect(wrong.details["channels"] == .int(3))
        // Fewer than 2 dimensions: no channel axis, so only a single value.
        let noChannels = try #require(error(["needed": .number(1), "alpha": .numbers([1, 2])], channels: nil))
        #expect(noChannels.code == .parameterShapeMismatch)
        #expect(noChannels.details["channels"] == nil)
    }

    @Test func constraintsAreChecked() throws {
        #expect(error(["needed": .number(1), "lower": .number(0.3), "upper": .number(0.3)]) == nil)
        let e = try #require(error(["needed": .number(1), "lower": .number(0.5), "upper": .number(0.3)]))
        #expect(e.code == .parameterConstraintViolated)
        #expect(e.details["constraint"] == .string("lower <= upper"))
        #expect(e.details["parameters"] == .strings(["lower", "upper"]))
    }

    @Test func unknownParameterIsReportedFirst() throws {
        let e = try #require(error(["bogus": .number(1)]))
        #expect(e.code == .unknownParameter)
        #expect(e.details["known"] == .strings(["lower", "upper", "needed", "maybe", "alpha", "mode"]))
    }
}

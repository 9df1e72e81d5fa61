@testable import ActivationMath

/// One function at one parameter set, with the properties and range expected there.
struct PropertyCase: Sendable, CustomStringConvertible {
    var function: ActivationFunction
    var parameters: [String: ParameterValue]
    var properties: FunctionProperties
    var range: String

    init(metadata: FunctionMetadata, parameters: [String: ParameterValue]) {
        function = metadata.function
        self.parameters = parameters
        properties = metadata.properties
        range = metadata.range
    }

    var resolved: ResolvedParameters { ResolvedParameters(parameters) }

    var description: String {
        let text = parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: ", ")
        return "\(function.name)(\(text))"
    }

    /// The number in "x = -0.5" (or "h = 0"); nil for a point described in words.
    static func coordinate(_ point: String) -> Double? {
        guard let equals = point.firstIndex(of: "=") else { return nil }
        return Double(point[point.index(after: equals)...].filter { $0 != " " })
    }

    /// The function at the defaults with `changes` to the parameters; the properties and range
    /// expected there are the metadata's with `adjust` applied. Each adjustment is what the
    /// definitions predict from the formula (and what the function's notes say changes).
    static func variant(
        _ function: ActivationFunction, _ changes: [String: ParameterValue], range: String? = nil,
        _ adjust: (inout FunctionProperties) -> Void = { _ in }
    ) -> PropertyCase {
        let metadata = Catalogue.metadata(for: function)!
        var result = PropertyCase(
            metadata: metadata, parameters: PropertyTests.defaults(metadata).merging(changes) { $1 })
        adjust(&result.properties)
        if let range { result.range = range }
        return result
    }

    /// Non-default parameter sets: the reference vectors' (docs/accuracy.md) and ones where a
    /// property changes.
    static let nonDefault: [PropertyCase] = [
        variant(.leakyReLU, ["alpha": .number(0.2)]),
        // A negative slope folds negative inputs upwards (its notes say so): no longer increasing,
        // never negative, and no gate.
        variant(.leakyReLU, ["alpha": .number(-0.5)], range: "[0, inf)") {
            $0.monotonicity = .none
        },
        variant(.prelu, ["alpha": .number(0.1)]),
        variant(.rrelu, ["lower": .number(0.1), "upper": .number(0.3)]),
        variant(.leakyReLU6, ["alpha": .number(0.2)]),
        variant(.leakyReLU6, ["cap": .number(2)], range: "(-inf, 2]") {
            $0.notDifferentiableAt = ["x = 0", "x = 2"]
        },
        // Not odd once the bounds are not opposite.
        variant(.hardtanh, ["min_val": .number(-2), "max_val": .number(3)], range: "[-2, 3]") {
            $0.zeroCentered = false
            $0.notDifferentiableAt = ["x = -2", "x = 3"]
        },
        variant(.hardshrink, ["lambd": .number(0.3)]) { $0.notDifferentiableAt = ["x = -0.3", "x = 0.3"] },
        variant(.softshrink, ["lambd": .number(1.3)]) { $0.notDifferentiableAt = ["x = -1.3", "x = 1.3"] },
        // A value below the threshold: a jump up, still increasing, no longer a gate.
        variant(.threshold, ["threshold": .number(0.5), "value": .number(-1)], range: "[-1, inf)") {
            $0.notDifferentiableAt = ["x = 0.5"]
            $0.selfGated = false
        },
        // A value above the threshold: a jump down, so not monotonic.
        variant(.threshold, ["threshold": .number(-1.1), "value": .number(2)], range: "(-1.1, inf)") {
            $0.monotonicity = .none
            $0.notDifferentiableAt = ["x = -1.1"]
            $0.selfGated = false
        },
        variant(.starReLU, ["scale": .number(0.8944), "bias": .number(-0.4472)], range: "[-0.4472, inf)"),
        variant(.squareplus, ["b": .number(1)]),
        // b = 0 is relu.
        variant(.squareplus, ["b": .number(0)], range: "[0, inf)") {
            $0 = FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .negative,
                notDifferentiableAt: ["x = 0"], selfGated: true)
        },
        // f' jumps from alpha to 1 at 0 unless alpha = 1.
        variant(.elu, ["alpha": .number(0.5)], range: "(-0.5, inf)") {
            $0.notDifferentiableAt = ["x = 0"]
            $0.continuousDerivative = false
        },
        variant(.celu, ["alpha": .number(2)], range: "(-2, inf)"),
        variant(.gelu, ["approximate": .choice("tanh")], range: "[-0.17004075057125405, inf)"),
        variant(.softplus, ["beta": .number(2)]),
        // PyTorch's cut-over: f' jumps from sigmoid(20) to 1 at x = 20.
        variant(.softplus, ["threshold": .number(20)]) {
            $0.notDifferentiableAt = ["x = 20"]
            $0.smooth = false
            $0.continuousDerivative = false
        },
        variant(.swish, ["beta": .number(1.702)], range: "[\(-0.2784645427610738 / 1.702), inf)"),
        // beta = 0 is x/2: odd, no vanishing gradient, no gate.
        variant(.swish, ["beta": .number(0)], range: "(-inf, inf)") {
            $0 = FunctionProperties(
                zeroCentered: true, monotonicity: .increasing, vanishingGradient: .none, dying: .none, smooth: true)
        },
        variant(.snake, ["alpha": .number(0.5)]),
    ]
}

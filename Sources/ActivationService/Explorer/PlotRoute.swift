import ActivationEngine
import ActivationMath
import HTTPServer

/// `GET /v1/functions/{name}/plot.svg`: a standalone SVG of f and f′, drawn from the engine's
/// numbers, for READMEs, notebooks and docs.
///
/// Query parameters: `min` and `max` (the range of x, default -6 and 6), `dtype` (`float64`, the
/// default, or `float32`), and any of the function's parameters by name (`alpha=0.2`,
/// `approximate=tanh`); the rest take their defaults. The curves are `samples` points evenly
/// spaced over the range, evaluated in one engine call exactly as `POST /v1/activate` would; a
/// parameter the engine refuses is its 422, an unknown function 404, a bad range 400.
struct PlotRoute: Sendable {
    let evaluator: Evaluator

    /// Points per curve: smooth at the drawn width, a few kilobytes of SVG.
    static let samples = 401
    /// The largest |x| the range may reach: every float32 and float64 evaluation stays finite in x.
    static let largestBound = 1e15

    func plot(named name: String, query: [(name: String, value: String)]) throws(ServiceError) -> HTTPResponse {
        guard let function = ActivationFunction(named: name), let metadata = Catalogue.metadata(for: function) else {
            throw .unknownFunction(name)
        }
        var lower = -6.0, upper = 6.0
        var dtype = DType.float64
        var parameters: [String: ParameterInput] = [:]
        for (key, value) in query {
            switch key {
            case "min": lower = try Self.bound(value, name: key)
            case "max": upper = try Self.bound(value, name: key)
            case "dtype":
                guard let chosen = DType(rawValue: value) else {
                    throw .invalidQuery(name: key, allowed: DType.allCases.map(\.rawValue))
                }
                dtype = chosen
            default:
                // A number when it reads as a finite one, else text: the engine checks the kind.
                if let number = Double(value), number.isFinite {
                    parameters[key] = .number(number)
                } else {
                    parameters[key] = .string(value)
                }
            }
        }
        guard lower < upper else {
            throw ServiceError(
                status: 400, code: .invalidQuery, message: "query parameter 'min' must be less than 'max'",
                details: [ServiceError.Detail("parameter", .string("min"))])
        }
        let xs = (0..<Self.samples).map { lower + (upper - lower) * Double($0) / Double(Self.samples - 1) }
        let slice = PlotSlice(function)
        let evaluation: Evaluation
        do {
            evaluation = try slice.evaluation(of: function.name, xs: xs, parameters: parameters, dtype: dtype)
        } catch {
            throw ServiceError(error)
        }
        let result = try evaluator.evaluate([evaluation])[0]
        let curves = slice.curves(result, count: xs.count)
        let drawing = SVGPlot(
            title: Self.title(metadata, result), slice: slice.description, xs: xs,
            values: curves.values, derivatives: curves.derivatives)
        return HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "image/svg+xml; charset=utf-8")]),
            body: Array(drawing.render().utf8))
    }

    /// A finite number within ±`largestBound`, or 400.
    private static func bound(_ text: String, name: String) throws(ServiceError) -> Double {
        guard let value = Double(text), value.isFinite, abs(value) <= largestBound else {
            throw ServiceError(
                status: 400, code: .invalidQuery,
                message: "query parameter '\(name)' must be a finite number in [-1e15, 1e15]",
                details: [ServiceError.Detail("parameter", .string(name))])
        }
        return value
    }

    /// "gelu (approximate=none), float64": the parameters as the engine used them.
    private static func title(_ metadata: FunctionMetadata, _ result: EvaluationResult) -> String {
        var parts: [String] = []
        for spec in metadata.parameters {
            guard let value = result.parameters[spec.name] else { continue }
            switch value {
            case .number(let number): parts.append("\(spec.name)=\(SVGPlot.shortest(number))")
            case .numbers(let numbers): parts.append("\(spec.name)=[\(numbers.map(SVGPlot.shortest).joined(separator: ", "))]")
            case .choice(let choice): parts.append("\(spec.name)=\(choice)")
            }
        }
        let parameters = parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
        return "\(metadata.name)\(parameters), \(result.dtype.rawValue)"
    }
}

/// How a function of one variable is cut from each function: elementwise ones are f(x); vector
/// functions are drawn along a line through their input space, the same line the explorer page
/// draws (explorer/service.js, `sliceOf`).
///
/// - softmax, log_softmax, softmin, sparsemax: the first output for the input [x, 0]
///   (softmax's is the logistic sigmoid), and its derivative along x (the vector-Jacobian
///   product with upstream gradient [1, 0], first component).
/// - glu, reglu, geglu, swiglu: the one output for [x, x] (x times its own gate: glu's is
///   x·σ(x)), and its derivative along x (the sum of both components of the product with 1).
enum PlotSlice: Sendable {
    case elementwise
    case firstOfPair
    case gatedDiagonal

    init(_ function: ActivationFunction) {
        switch function {
        case .softmax, .logSoftmax, .softmin, .sparsemax: self = .firstOfPair
        case .glu, .reglu, .geglu, .swiglu: self = .gatedDiagonal
        default: self = .elementwise
        }
    }

    /// Said under the plot's title for vector functions.
    var description: String? {
        switch self {
        case .elementwise: nil
        case .firstOfPair: "vector function: first output for the input [x, 0]"
        case .gatedDiagonal: "vector function: the output for the input [x, x]"
        }
    }

    func evaluation(
        of name: String, xs: [Double], parameters: [String: ParameterInput], dtype: DType
    ) throws(EngineError) -> Evaluation {
        let rows: [Double]
        var gradOutput: [Double]? = nil
        switch self {
        case .elementwise: rows = xs
        case .firstOfPair:
            rows = xs.flatMap { [$0, 0] }
            gradOutput = xs.flatMap { _ in [1, 0] }
        case .gatedDiagonal: rows = xs.flatMap { [$0, $0] }
        }
        let shape = self == .elementwise ? [xs.count] : [xs.count, 2]
        func tensor(_ elements: [Double], shape: [Int]) throws(EngineError) -> Tensor {
            dtype == .float32
                ? try Tensor(shape: shape, float32: elements.map { Float($0) })
                : try Tensor(shape: shape, float64: elements)
        }
        return Evaluation(
            function: name, parameters: parameters, dtype: dtype, axis: -1, conventions: .pytorch,
            input: try tensor(rows, shape: shape), gradOutput: try gradOutput.map { g throws(EngineError) in try tensor(g, shape: shape) },
            outputs: .both)
    }

    /// f and f′ at each x, from the engine's values and vector-Jacobian products.
    func curves(_ result: EvaluationResult, count: Int) -> (values: [Double], derivatives: [Double]) {
        let values = result.values?.storage.doubles ?? []
        let gradients = result.gradients?.storage.doubles ?? []
        switch self {
        case .elementwise: return (values, gradients)
        case .firstOfPair: return ((0..<count).map { values[2 * $0] }, (0..<count).map { gradients[2 * $0] })
        case .gatedDiagonal: return (values, (0..<count).map { gradients[2 * $0] + gradients[2 * $0 + 1] })
        }
    }
}

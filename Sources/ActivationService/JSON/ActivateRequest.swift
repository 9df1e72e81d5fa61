import ActivationMath

/// An N-dimensional array of numbers as it travels over the wire: a row-major shape and one
/// contiguous buffer of the request's dtype. The reader fills it straight from the bytes and
/// the writer prints it straight from the buffer, so no element is ever boxed.
public struct NumericArray: Sendable, Hashable {
    /// The element type a request asks for (`"float32"` or `"float64"`).
    public enum ElementType: String, Sendable, Hashable, CaseIterable {
        case float32, float64
    }

    /// Contiguous row-major elements in one of the two element types.
    public enum Storage: Sendable, Hashable {
        case float32([Float])
        case float64([Double])

        public var elementType: ElementType {
            switch self {
            case .float32: .float32
            case .float64: .float64
            }
        }

        public var count: Int {
            switch self {
            case .float32(let values): values.count
            case .float64(let values): values.count
            }
        }
    }

    /// Row-major dimensions; `[]` for a single number (0-d).
    public var shape: [Int]
    public var storage: Storage

    public init(shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    public var elementType: ElementType { storage.elementType }
    public var count: Int { storage.count }
}

/// A function parameter as the client sent it; the engine decides what each name accepts.
/// The strings "NaN", "Infinity" and "-Infinity" arrive as numbers, as everywhere else.
public enum ParamInput: Sendable, Hashable {
    case number(Double)
    /// A flat array of numbers (a per-channel prelu `alpha`).
    case numbers([Double])
    /// Any other string (gelu's `approximate`, the GLU family's `gate`).
    case string(String)
}

/// Which outputs an evaluation asks for; at least one is always set.
public struct RequestedOutputs: Sendable, Hashable {
    public var values: Bool
    public var gradients: Bool

    public init(values: Bool, gradients: Bool) {
        self.values = values
        self.gradients = gradients
    }

    public static let both = RequestedOutputs(values: true, gradients: true)
}

/// One evaluation object of the request, syntactically and structurally valid (types, known
/// fields, rectangular arrays) but not yet checked against the function's metadata: unknown
/// function names, bad parameters and shape rules belong to the engine.
public struct DecodedEvaluation: Sendable, Hashable {
    /// Canonical name or alias, as sent.
    public var function: String
    /// Parameters by name, in no particular order.
    public var params: [String: ParamInput]
    /// `"float64"` unless the client asked for `"float32"`; `inputs` and `gradOutput` are
    /// stored in this type.
    public var dtype: NumericArray.ElementType
    public var outputs: RequestedOutputs
    /// The upstream gradient, when sent (same dtype as `inputs`; its shape is not checked
    /// here because vector functions' outputs need not be shaped like their inputs).
    public var gradOutput: NumericArray?
    /// The axis of vector functions; -1 by default.
    public var axis: Int
    public var conventions: KinkConvention
    public var inputs: NumericArray

    public init(
        function: String, params: [String: ParamInput] = [:],
        dtype: NumericArray.ElementType = .float64, outputs: RequestedOutputs = .both,
        gradOutput: NumericArray? = nil, axis: Int = -1,
        conventions: KinkConvention = .pytorch, inputs: NumericArray
    ) {
        self.function = function
        self.params = params
        self.dtype = dtype
        self.outputs = outputs
        self.gradOutput = gradOutput
        self.axis = axis
        self.conventions = conventions
        self.inputs = inputs
    }
}

/// A request body: one evaluation, or a batch (a JSON array) whose answer must also be an
/// array, in the same order, even when it holds one item.
public enum ActivateRequest: Sendable, Hashable {
    case single(DecodedEvaluation)
    case batch([DecodedEvaluation])

    /// The evaluations in order, whichever form the body had.
    public var evaluations: [DecodedEvaluation] {
        switch self {
        case .single(let evaluation): [evaluation]
        case .batch(let evaluations): evaluations
        }
    }

    public var isBatch: Bool {
        if case .batch = self { return true }
        return false
    }
}

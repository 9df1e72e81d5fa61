/// The element type of an evaluation: its tensors' storage and the precision of its parameters.
public enum DType: String, Sendable, Hashable, CaseIterable {
    case float32, float64
}

/// Contiguous row-major storage in one of the two element types.
///
/// An enum rather than a generic so that the service can hold a batch of mixed dtypes in one
/// array and the engine can switch once per evaluation, never per element.
public enum TensorStorage: Sendable, Hashable {
    case float32([Float])
    case float64([Double])

    public var dtype: DType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        }
    }

    public var count: Int {
        switch self {
        case .float32(let elements): elements.count
        case .float64(let elements): elements.count
        }
    }

    /// The elements widened to double (exact for float32); for tests and small inputs.
    public var doubles: [Double] {
        switch self {
        case .float32(let elements): elements.map(Double.init)
        case .float64(let elements): elements
        }
    }
}

/// A shape of 0 to ``Tensor/maxDimensions`` dimensions, each ≥ 0, and contiguous row-major storage.
///
/// A 0-d tensor (shape `[]`) is a scalar with one element; a dimension of 0 gives an empty tensor.
/// The initialiser checks the shape against the storage, so every `Tensor` value is consistent.
public struct Tensor: Sendable, Hashable {
    /// The most dimensions any tensor may have (the service's contract says 8).
    public static let maxDimensions = 8

    public let shape: [Int]
    public let storage: TensorStorage
    /// The number of elements and their type, stored rather than read from `storage`: reading
    /// them through a switch on the storage copies it (a reference counted) wherever the
    /// tensor is only borrowed, as it is on every request.
    public let count: Int
    public let dtype: DType

    /// Creates a tensor, checking that the shape has at most 8 non-negative dimensions whose
    /// product (without overflow) equals the number of stored elements.
    public init(shape: [Int], storage: TensorStorage) throws(EngineError) {
        guard shape.count <= Tensor.maxDimensions else {
            throw .tooManyDimensions(ndim: shape.count, limit: Tensor.maxDimensions)
        }
        guard let count = Tensor.elementCount(of: shape) else {
            throw .invalidShape(shape: shape, storedCount: storage.count)
        }
        guard count == storage.count else {
            throw .invalidShape(shape: shape, storedCount: storage.count)
        }
        self.shape = shape
        self.storage = storage
        self.count = storage.count
        self.dtype = storage.dtype
    }

    /// A float64 tensor.
    public init(shape: [Int], float64 elements: [Double]) throws(EngineError) {
        try self.init(shape: shape, storage: .float64(elements))
    }

    /// A float32 tensor.
    public init(shape: [Int], float32 elements: [Float]) throws(EngineError) {
        try self.init(shape: shape, storage: .float32(elements))
    }

    /// A 1-d float64 tensor of `elements` (a convenience for tests and examples).
    public init(_ elements: [Double]) {
        self.shape = [elements.count]
        self.storage = .float64(elements)
        self.count = elements.count
        self.dtype = .float64
    }

    /// A 1-d float32 tensor of `elements`.
    public init(float32 elements: [Float]) {
        self.shape = [elements.count]
        self.storage = .float32(elements)
        self.count = elements.count
        self.dtype = .float32
    }

    /// A tensor built by the engine from storage it sized itself (no checks needed).
    init(checkedShape shape: [Int], storage: TensorStorage) {
        self.shape = shape
        self.storage = storage
        self.count = storage.count
        self.dtype = storage.dtype
    }

    /// The number of dimensions: 0 for a scalar.
    public var ndim: Int { shape.count }

    /// The product of `shape`, or `nil` when a dimension is negative or the product overflows.
    public static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }
}

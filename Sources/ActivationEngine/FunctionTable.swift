import ActivationMath

/// What the engine needs to know about one function for every evaluation of it, worked out once
/// per process rather than once per evaluation: the metadata (a large value, shared here by
/// reference), the learnable parameters' names, and the parameters resolved when a request
/// gives none, which is what nearly every request does.
final class FunctionEntry: Sendable {
    let function: ActivationFunction
    let metadata: FunctionMetadata
    /// ``FunctionMetadata/learnableParameters``' names, in metadata order.
    let learnableNames: [String]
    /// The parameters' names in metadata order (the order answers list them in).
    let parameterNames: [String]
    /// ``ParameterResolver/resolve(_:metadata:dtype:channels:)`` of no parameters, float32 then
    /// float64: the same value, or the same error, that resolving them each time would give
    /// (with nothing given, neither the channel count nor anything else in the request matters),
    /// in the form of both kernel builds.
    private let defaults: (float32: Result<KernelParameters, EngineError>, float64: Result<KernelParameters, EngineError>)

    init(metadata: FunctionMetadata) {
        function = metadata.function
        self.metadata = metadata
        learnableNames = metadata.learnableParameters.map(\.name)
        parameterNames = metadata.parameters.map(\.name)
        func resolved(_ dtype: DType) -> Result<KernelParameters, EngineError> {
            Result { () throws(EngineError) in
                KernelParameters(
                    try ParameterResolver.resolve([:], metadata: metadata, dtype: dtype, channels: nil), for: nil)
            }
        }
        defaults = (resolved(.float32), resolved(.float64))
    }

    /// The parameters resolved from `raw` for `dtype`, in the form `build` takes; `channels` is
    /// the size of axis 1 when the input has 2 or more dimensions.
    func resolve(
        _ raw: [String: ParameterInput], dtype: DType, channels: Int?, build: KernelBuild
    ) throws(EngineError) -> KernelParameters {
        guard raw.isEmpty else {
            return KernelParameters(
                try ParameterResolver.resolve(raw, metadata: metadata, dtype: dtype, channels: channels), for: build)
        }
        return try (dtype == .float32 ? defaults.float32 : defaults.float64).get()
    }
}

/// Every function with metadata, found by canonical name or alias, or by case.
enum FunctionTable {
    /// Canonical names and aliases, each mapped as ``ActivationFunction/init(named:)`` maps it.
    private static let byName: [String: FunctionEntry] = {
        var table: [String: FunctionEntry] = [:]
        for function in ActivationFunction.allCases {
            for name in [function.rawValue] + function.aliases {
                if let named = ActivationFunction(named: name), let entry = byFunction[named] { table[name] = entry }
            }
        }
        return table
    }()

    private static let byFunction: [ActivationFunction: FunctionEntry] = {
        var table: [ActivationFunction: FunctionEntry] = [:]
        for function in ActivationFunction.allCases {
            if let metadata = Catalogue.metadata(for: function) { table[function] = FunctionEntry(metadata: metadata) }
        }
        return table
    }()

    /// The entries in `allCases` order, so that a case finds its entry by position rather than
    /// by hashing; `nil` when a case is not represented by its position in `allCases` (a
    /// payload-free enum is, as the checks below confirm once), and the dictionary serves.
    private static let byPosition: [FunctionEntry?]? = {
        guard MemoryLayout<ActivationFunction>.size == 1 else { return nil }
        for (position, function) in ActivationFunction.allCases.enumerated()
        where Int(unsafeBitCast(function, to: UInt8.self)) != position {
            return nil
        }
        return ActivationFunction.allCases.map { byFunction[$0] }
    }()

    /// The entry for a canonical name or an alias; `nil` when the name is unknown or its function
    /// has no metadata (which the engine reports alike, as an unknown function).
    static func entry(named name: String) -> FunctionEntry? { byName[name] }

    /// The case's position in `allCases`.
    static func position(of function: ActivationFunction) -> Int {
        guard byPosition != nil else { return positions[function]! }
        return Int(unsafeBitCast(function, to: UInt8.self))
    }

    /// Positions by case, for when a case is not represented by its position.
    private static let positions: [ActivationFunction: Int] =
        Dictionary(uniqueKeysWithValues: ActivationFunction.allCases.enumerated().map { ($1, $0) })

    static func entry(for function: ActivationFunction) -> FunctionEntry? {
        guard let byPosition else { return byFunction[function] }
        return byPosition[Int(unsafeBitCast(function, to: UInt8.self))]
    }
}

extension ActivationFunction {
    /// The names of the function's parameters in metadata order, the order an answer lists them
    /// in (empty for a function without metadata).
    public var parameterNames: [String] { FunctionTable.entry(for: self)?.parameterNames ?? [] }

    /// The case's position in `allCases` (0 ..< `allCases.count`): a dense index for tables kept
    /// per function, found without hashing.
    public var position: Int { FunctionTable.position(of: self) }
}

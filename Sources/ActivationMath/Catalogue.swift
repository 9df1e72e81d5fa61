/// The metadata of every function, in catalogue order.
public enum Catalogue {
    /// One entry per ``ActivationFunction`` case, in `allCases` order.
    public static let all: [FunctionMetadata] = {
        let entries = piecewiseMetadata + transcendentalMetadata + vectorMetadata
        let byFunction = Dictionary(entries.map { ($0.function, $0) }, uniquingKeysWith: { first, _ in first })
        return ActivationFunction.allCases.compactMap { byFunction[$0] }
    }()

    private static let index: [ActivationFunction: FunctionMetadata] =
        Dictionary(all.map { ($0.function, $0) }, uniquingKeysWith: { first, _ in first })

    /// The metadata of `function`.
    public static func metadata(for function: ActivationFunction) -> FunctionMetadata? {
        index[function]
    }
}

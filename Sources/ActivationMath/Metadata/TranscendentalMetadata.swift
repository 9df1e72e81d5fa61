extension Catalogue {
    /// Placeholder until the entries are written.
    static let transcendentalMetadata: [FunctionMetadata] = []
}

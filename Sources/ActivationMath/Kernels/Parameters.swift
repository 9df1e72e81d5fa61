/// A parameter value as the engine resolved it: defaults filled in, bounds checked.
public enum ParameterValue: Sendable, Hashable {
    case number(Double)
    /// One value per channel (prelu's `alpha`).
    case numbers([Double])
    /// One of a fixed set of strings (gelu's `approximate`, the GLU family's `gate`).
    case choice(String)
}

/// The resolved parameters of one evaluation, by name.
///
/// For a float32 evaluation the engine rounds every numeric parameter to float32 before building
/// this value (the parameter lives in the evaluation's dtype, as it does in the frameworks);
/// intrinsic constants such as selu's α and λ stay exact.
public struct ResolvedParameters: Sendable, Hashable {
    public var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) {
        self.values = values
    }

    /// The numeric parameter `name`; traps if the engine did not resolve it (a programming error).
    public func number(_ name: String) -> Double {
        guard case .number(let value)? = values[name] else {
            preconditionFailure("parameter \(name) was not resolved to a number")
        }
        return value
    }

    /// The numeric parameter `name` if present (optional parameters without a default).
    public func optionalNumber(_ name: String) -> Double? {
        if case .number(let value)? = values[name] { return value }
        return nil
    }

    /// The choice parameter `name`; traps if the engine did not resolve it.
    public func choice(_ name: String) -> String {
        guard case .choice(let value)? = values[name] else {
            preconditionFailure("parameter \(name) was not resolved to a choice")
        }
        return value
    }

    public subscript(name: String) -> ParameterValue? {
        get { values[name] }
        set { values[name] = newValue }
    }
}

import ActivationMath

/// Checks raw parameters against a function's metadata and resolves them: defaults filled in,
/// kinds, bounds and constraints checked, float32 parameters rounded to float32.
///
/// Bounds are checked on the value as given and on the value as used (its float32 rounding), so
/// a float32 `celu` alpha of 1e-50 — positive, but 0 once rounded — is refused rather than
/// silently dividing by zero.
enum ParameterResolver {
    /// `channels` is the size of axis 1 when the input has 2 or more dimensions, else `nil`.
    static func resolve(
        _ raw: [String: ParameterInput], metadata: FunctionMetadata, dtype: DType, channels: Int?
    ) throws(EngineError) -> ResolvedParameters {
        // The first unknown name in sorted order is reported; the sorting is done only then.
        if raw.keys.contains(where: { name in !metadata.parameters.contains { $0.name == name } }) {
            let known = metadata.parameters.map(\.name)
            for name in raw.keys.sorted() where !known.contains(name) {
                throw .unknownParameter(name, function: metadata.function, known: known)
            }
        }
        var resolved = ResolvedParameters()
        for spec in metadata.parameters {
            let value: ParameterValue
            if let given = raw[spec.name] {
                value = try check(given, spec: spec, channels: channels)
            } else {
                switch spec.requirement {
                case .required: throw .missingParameter(spec.name, function: metadata.function)
                case .optional: continue
                case .defaulted(let defaultValue): value = defaultValue
                }
            }
            let used = dtype == .float32 ? roundedToFloat32(value) : value
            try checkBounds(used, spec: spec)
            resolved[spec.name] = used
        }
        try checkConstraints(metadata.constraints, resolved)
        return resolved
    }

    /// The kind check: numbers for numbers, a listed string for a choice, and a per-channel list
    /// of 1 or `channels` values.
    private static func check(
        _ given: ParameterInput, spec: ParameterSpec, channels: Int?
    ) throws(EngineError) -> ParameterValue {
        switch (spec.kind, given) {
        case (.number, .number(let x)), (.numberOrPerChannel, .number(let x)):
            try checkBounds(.number(x), spec: spec)
            return .number(x)
        case (.numberOrPerChannel, .numbers(let list)):
            guard list.count == 1 || (channels != nil && list.count == channels) else {
                throw .parameterShapeMismatch(spec.name, count: list.count, channels: channels)
            }
            try checkBounds(.numbers(list), spec: spec)
            return .numbers(list)
        case (.choice(let allowed), .string(let s)):
            guard allowed.contains(s) else { throw .invalidParameterValue(spec.name, value: s, allowed: allowed) }
            return .choice(s)
        case (.number, _):
            throw .invalidParameterType(spec.name, expected: "a number")
        case (.numberOrPerChannel, _):
            throw .invalidParameterType(spec.name, expected: "a number or a list of numbers, one per channel")
        case (.choice(let allowed), _):
            throw .invalidParameterType(spec.name, expected: "a string, one of \(allowed.joined(separator: ", "))")
        }
    }

    private static func roundedToFloat32(_ value: ParameterValue) -> ParameterValue {
        switch value {
        case .number(let x): .number(Double(Float(x)))
        case .numbers(let list): .numbers(list.map { Double(Float($0)) })
        case .choice: value
        }
    }

    /// Finite, and inside the spec's bounds with their inclusivity.
    private static func checkBounds(_ value: ParameterValue, spec: ParameterSpec) throws(EngineError) {
        switch value {
        case .number(let x): try checkBounds(x, spec: spec)
        case .numbers(let list): for x in list { try checkBounds(x, spec: spec) }
        case .choice: return
        }
    }

    @inline(__always)
    private static func checkBounds(_ x: Double, spec: ParameterSpec) throws(EngineError) {
        // The description of the range is built only for the error.
        if !isInside(x, spec: spec), let reason = violation(of: x, spec: spec) {
            throw .parameterOutOfRange(spec.name, value: x, requirement: reason)
        }
    }

    /// Whether `x` is finite and inside the spec's bounds with their inclusivity.
    static func isInside(_ x: Double, spec: ParameterSpec) -> Bool {
        guard x.isFinite else { return false }
        if let lower = spec.lowerBound, !(lower.inclusive ? x >= lower.value : x > lower.value) { return false }
        if let upper = spec.upperBound, !(upper.inclusive ? x <= upper.value : x < upper.value) { return false }
        return true
    }

    /// A description of the allowed range when `x` is outside it, else `nil`.
    static func violation(of x: Double, spec: ParameterSpec) -> String? {
        var parts = ["finite"]
        if let lower = spec.lowerBound {
            parts.append((lower.inclusive ? ">= " : "> ") + "\(lower.value)")
        }
        if let upper = spec.upperBound {
            parts.append((upper.inclusive ? "<= " : "< ") + "\(upper.value)")
        }
        return isInside(x, spec: spec) ? nil : parts.joined(separator: " and ")
    }

    private static func checkConstraints(
        _ constraints: [ParameterConstraint], _ resolved: ResolvedParameters
    ) throws(EngineError) {
        for constraint in constraints {
            let (a, b, strict): (String, String, Bool)
            switch constraint {
            case .lessThan(let x, let y): (a, b, strict) = (x, y, true)
            case .lessThanOrEqual(let x, let y): (a, b, strict) = (x, y, false)
            }
            guard case .number(let left)? = resolved[a], case .number(let right)? = resolved[b] else { continue }
            let holds = strict ? left < right : left <= right
            if !holds { throw .constraintViolated("\(a) \(strict ? "<" : "<=") \(b)", names: [a, b]) }
        }
    }
}

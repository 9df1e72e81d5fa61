/// The shape of a function at its default parameters, in the terms of the article our catalogue
/// grew from: vanishing gradients, zero-centring, differentiability (computational expense is the
/// metadata's `cost`). What each property means is ``PropertyKey/definition``, served with the
/// catalogue; PropertyTests and VectorPropertiesTests check every claim against it.
///
/// What the properties are *of* is the metadata's `propertiesOf`: f itself for an elementwise
/// function, one output as a function of one input for a vector function. The properties that
/// read the output's range (`bounded_below`, `bounded_above`, `takes_both_signs`) are not stored
/// here: they come from the metadata's `range`, so the two cannot disagree.
public struct FunctionProperties: Sendable, Hashable {
    /// Odd symmetry, f(−x) = −f(x): outputs centred on zero as the article means it (tanh,
    /// softsign), not merely taking both signs (gelu, leaky_relu).
    public var zeroCentered: Bool
    public var monotonicity: Monotonicity
    /// Where f′ → 0 as x → ±inf (exactly 0 included).
    public var vanishingGradient: Sides
    /// Where f′ = 0 exactly on a whole half-line (relu for x < 0): units there get no gradient.
    public var dying: Sides
    /// The points where f′ does not exist (corners and jumps), "x = 0", at the defaults.
    public var notDifferentiableAt: [String]
    /// f′ exists and is continuous everywhere (true for smooth functions).
    public var continuousDerivative: Bool
    /// Infinitely differentiable everywhere.
    public var smooth: Bool
    /// f(x) = x · g(x) for a gate g in [0, 1] that shuts as x → −inf and opens as x → +inf.
    public var selfGated: Bool

    public init(
        zeroCentered: Bool, monotonicity: Monotonicity, vanishingGradient: Sides, dying: Sides,
        notDifferentiableAt: [String] = [], continuousDerivative: Bool = false, smooth: Bool = false,
        selfGated: Bool = false
    ) {
        self.zeroCentered = zeroCentered
        self.monotonicity = monotonicity
        self.vanishingGradient = vanishingGradient
        self.dying = dying
        self.notDifferentiableAt = notDifferentiableAt
        self.continuousDerivative = continuousDerivative || smooth
        self.smooth = smooth
        self.selfGated = selfGated
    }

    /// f′ exists everywhere.
    public var differentiable: Bool { notDifferentiableAt.isEmpty }

    /// The old boolean: non-decreasing over the whole real line (softmin, decreasing, is false).
    public var monotonic: Bool { monotonicity == .increasing }

    /// The old boolean: f′ → 0 on at least one side.
    public var saturating: Bool { vanishingGradient != .none }
}

/// How the output moves as the input grows.
public enum Monotonicity: String, Sendable, Hashable, CaseIterable {
    /// Never decreases (flat stretches allowed: relu is increasing).
    case increasing
    /// Never increases (softmin in its own input).
    case decreasing
    /// Goes both ways (gelu's dip, a threshold whose value lies above it).
    case none
}

/// Which far ends of the real line a property holds on.
public enum Sides: String, Sendable, Hashable, CaseIterable {
    case none
    case negative = "negative side"
    case positive = "positive side"
    case both = "both sides"

    public init(negative: Bool, positive: Bool) {
        switch (negative, positive) {
        case (false, false): self = .none
        case (true, false): self = .negative
        case (false, true): self = .positive
        case (true, true): self = .both
        }
    }

    public var negativeSide: Bool { self == .negative || self == .both }
    public var positiveSide: Bool { self == .positive || self == .both }
}

/// An interval as the metadata writes it: "(0, 1)", "[0, inf)", "(-inf, 6]".
public struct OutputRange: Sendable, Hashable {
    public struct End: Sendable, Hashable {
        public var value: Double
        /// Whether the end is attained ("[" or "]"); never for an infinite end.
        public var inclusive: Bool
    }

    public var lower: End
    public var upper: End

    /// Parses "(a, b)" with "[" or "(" and "]" or ")", a and b numbers or ±inf; nil otherwise.
    public init?(parsing text: String) {
        guard let open = text.first, let close = text.last, "([".contains(open), ")]".contains(close) else {
            return nil
        }
        let ends = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard ends.count == 2,
            let low = Self.number(ends[0]), let high = Self.number(ends[1]),
            low <= high, low != .infinity, high != -.infinity,
            !(open == "[" && low.isInfinite), !(close == "]" && high.isInfinite)
        else { return nil }
        lower = End(value: low, inclusive: open == "[")
        upper = End(value: high, inclusive: close == "]")
    }

    private static func number(_ spaced: Substring) -> Double? {
        switch String(spaced.filter { $0 != " " }) {
        case "inf", "+inf": .infinity
        case "-inf": -.infinity
        case let text: Double(text)
        }
    }

    public var boundedBelow: Bool { lower.value.isFinite }
    public var boundedAbove: Bool { upper.value.isFinite }
    /// Contains numbers below and above 0.
    public var takesBothSigns: Bool { lower.value < 0 && upper.value > 0 }

    /// Whether y lies in the interval.
    public func contains(_ y: Double) -> Bool {
        (lower.inclusive ? y >= lower.value : y > lower.value)
            && (upper.inclusive ? y <= upper.value : y < upper.value)
    }
}

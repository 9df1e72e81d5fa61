/// The glossary of the `properties` object: every key `GET /v1/functions` writes in a function's
/// properties, in the order it writes them, with its definition. One enum serves both, so the
/// glossary (`property_definitions`) and the properties cannot have different keys.
public enum PropertyKey: String, Sendable, CaseIterable {
    case zeroCentered = "zero_centered"
    case takesBothSigns = "takes_both_signs"
    case monotonicity
    case vanishingGradient = "vanishing_gradient"
    case dying
    case differentiable
    case notDifferentiableAt = "not_differentiable_at"
    case continuousDerivative = "continuous_derivative"
    case smooth
    case boundedBelow = "bounded_below"
    case boundedAbove = "bounded_above"
    case selfGated = "self_gated"
    case cost
    /// Deprecated: `monotonicity == "increasing"`.
    case monotonic
    /// Deprecated: `vanishing_gradient != "none"`.
    case saturating

    public var definition: PropertyDefinition {
        switch self {
        case .zeroCentered:
            PropertyDefinition(
                "Zero-centred",
                "Symmetric about the origin: f(−x) = −f(x) for every x (odd symmetry), so inputs spread evenly "
                    + "around 0 give outputs spread evenly around 0, as tanh's do. Taking both signs is not enough: "
                    + "gelu and leaky_relu take both signs but are not zero-centred.",
                criterion: .zeroCentring)
        case .takesBothSigns:
            PropertyDefinition(
                "Takes both signs",
                "Some inputs give negative outputs and others positive ones (the range reaches below and above 0). "
                    + "Weaker than zero-centred: the outputs may still lean to one side, as gelu's do.",
                criterion: .zeroCentring)
        case .monotonicity:
            PropertyDefinition(
                "Monotonicity",
                "increasing: the output never goes down as the input goes up (flat stretches allowed, as in relu); "
                    + "decreasing: it never goes up; none: it goes both ways, like gelu's dip below zero.",
                criterion: nil, values: Monotonicity.allCases.map(\.rawValue))
        case .vanishingGradient:
            PropertyDefinition(
                "Vanishing gradient",
                "Where the derivative shrinks to 0 as the input goes far out: on the negative side (x → −∞), the "
                    + "positive side (x → +∞), both sides or none. Gradients passed back through such inputs "
                    + "nearly disappear, and learning slows.",
                criterion: .vanishingGradients, values: Sides.allCases.map(\.rawValue))
        case .dying:
            PropertyDefinition(
                "Dying units",
                "Where the derivative is exactly 0 on a whole half-line, as relu's is for x < 0: a unit whose inputs "
                    + "all land there gets no gradient at all and may never recover. A flat zone of finite width "
                    + "(hardshrink's) does not count.",
                criterion: .vanishingGradients, values: Sides.allCases.map(\.rawValue))
        case .differentiable:
            PropertyDefinition(
                "Differentiable",
                "The derivative exists at every input. When false, not_differentiable_at lists the inputs where it "
                    + "does not, and kinks says which derivative PyTorch and JAX use there.",
                criterion: .differentiability)
        case .notDifferentiableAt:
            PropertyDefinition(
                "Not differentiable at",
                "The inputs where the derivative does not exist, a corner or a jump in the curve, at the default "
                    + "parameters; empty when the function is differentiable.",
                criterion: .differentiability)
        case .continuousDerivative:
            PropertyDefinition(
                "Continuous derivative",
                "The derivative exists everywhere and changes without jumps, so the slope the optimiser sees never "
                    + "switches suddenly.",
                criterion: .differentiability)
        case .smooth:
            PropertyDefinition(
                "Smooth",
                "Every derivative (the slope, the slope of the slope, and so on) exists everywhere: no corner in the "
                    + "curve or in any of its slopes.",
                criterion: .differentiability)
        case .boundedBelow:
            PropertyDefinition(
                "Bounded below",
                "No output is below some finite number: the lower end of the range is finite.", criterion: nil)
        case .boundedAbove:
            PropertyDefinition(
                "Bounded above",
                "No output is above some finite number: the upper end of the range is finite.", criterion: nil)
        case .selfGated:
            PropertyDefinition(
                "Self-gated",
                "f(x) = x · g(x) with a gate g between 0 and 1 that closes (g → 0) as x → −∞ and opens (g → 1) as "
                    + "x → +∞: the input decides how much of itself passes, smoothly in swish and gelu, all or "
                    + "nothing in relu.",
                criterion: nil)
        case .cost:
            PropertyDefinition(
                "Cost",
                "Rough work per element: trivial (comparisons and multiplications), cheap (a division or a square "
                    + "root), moderate (one exponential or similar), expensive (several, or erfc). The same as the "
                    + "function's cost field.",
                criterion: .computationalExpense, values: CostClass.allCases.map(\.rawValue))
        case .monotonic:
            PropertyDefinition(
                "Monotonic (deprecated)",
                "true when monotonicity is increasing, so a decreasing function such as softmin is false. Kept for "
                    + "existing clients; use monotonicity.",
                criterion: nil, replacedBy: .monotonicity)
        case .saturating:
            PropertyDefinition(
                "Saturating (deprecated)",
                "true when vanishing_gradient is not none: the derivative shrinks to 0 on at least one side. Kept "
                    + "for existing clients; use vanishing_gradient (which side) and dying (exactly 0).",
                criterion: .vanishingGradients, replacedBy: .vanishingGradient)
        }
    }
}

/// What one property means, in words a learner understands, and which of the article's four
/// criteria it answers.
public struct PropertyDefinition: Sendable, Hashable {
    /// A short label for a table or a chart legend.
    public var label: String
    public var definition: String
    public var criterion: Criterion?
    /// The values an enumerated property takes, in order; nil for booleans and lists.
    public var values: [String]?
    /// For a deprecated property, the one that replaces it.
    public var replacedBy: PropertyKey?

    init(_ label: String, _ definition: String, criterion: Criterion?, values: [String]? = nil,
         replacedBy: PropertyKey? = nil) {
        self.label = label
        self.definition = definition
        self.criterion = criterion
        self.values = values
        self.replacedBy = replacedBy
    }

    public var deprecated: Bool { replacedBy != nil }
}

/// The article's four criteria for judging an activation.
public enum Criterion: String, Sendable, CaseIterable {
    case vanishingGradients = "vanishing gradients"
    case zeroCentring = "zero-centring"
    case computationalExpense = "computational expense"
    case differentiability
}

/// One property's value: a yes/no, one of an enumeration's values, or a list.
public enum PropertyValue: Sendable, Hashable {
    case bool(Bool)
    case text(String)
    case list([String])
}

extension FunctionMetadata {
    /// Every property of `properties` (this function's ``properties`` or ``valueHalfProperties``) in
    /// ``PropertyKey`` order; the range-read ones from ``range``.
    public func propertyValues(_ properties: FunctionProperties) -> [(key: PropertyKey, value: PropertyValue)] {
        let range = outputRange
        return PropertyKey.allCases.map { key in
            let value: PropertyValue = switch key {
            case .zeroCentered: .bool(properties.zeroCentered)
            case .takesBothSigns: .bool(range?.takesBothSigns ?? false)
            case .monotonicity: .text(properties.monotonicity.rawValue)
            case .vanishingGradient: .text(properties.vanishingGradient.rawValue)
            case .dying: .text(properties.dying.rawValue)
            case .differentiable: .bool(properties.differentiable)
            case .notDifferentiableAt: .list(properties.notDifferentiableAt)
            case .continuousDerivative: .bool(properties.continuousDerivative)
            case .smooth: .bool(properties.smooth)
            case .boundedBelow: .bool(range?.boundedBelow ?? false)
            case .boundedAbove: .bool(range?.boundedAbove ?? false)
            case .selfGated: .bool(properties.selfGated)
            case .cost: .text(cost.rawValue)
            case .monotonic: .bool(properties.monotonic)
            case .saturating: .bool(properties.saturating)
            }
            return (key, value)
        }
    }
}

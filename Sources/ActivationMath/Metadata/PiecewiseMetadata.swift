/// The metadata of the piecewise and algebraic elementwise functions: the relu family, the hard
/// functions, the shrinks, the sparse functions, softsign and squareplus.
///
/// Conventions for every entry here:
/// - Properties, range and kinks are stated at the default parameters (threshold, whose
///   parameters are required, is described at threshold = 0, value = 0, where it is relu).
/// - Properties follow the definitions in ``PropertyKey`` literally: a gradient that is exactly
///   0 on a half-line (relu for x < 0) is both vanishing and dying there.
/// - Kink values: PyTorch's from its backward kernels (derivatives.yaml and ATen's CPU kernels),
///   JAX's from `jax/_src/nn/functions.py`; where a framework lacks the function, the value its
///   natural formulation gives, and the entry says so.
extension Catalogue {
    static let piecewiseMetadata: [FunctionMetadata] =
        piecewiseRectifierMetadata + piecewiseCappedMetadata + piecewiseShrinkMetadata
        + piecewiseAlgebraicMetadata
}

/// Shorthands for the entries, to keep each one readable.
enum PiecewiseSpec {
    static func defaulted(_ value: Double) -> ParameterSpec.Requirement {
        .defaulted(.number(value))
    }

    static func atLeast(_ value: Double) -> ParameterSpec.Bound {
        ParameterSpec.Bound(value, inclusive: true)
    }

    static func atMost(_ value: Double) -> ParameterSpec.Bound {
        ParameterSpec.Bound(value, inclusive: true)
    }

    static func above(_ value: Double) -> ParameterSpec.Bound {
        ParameterSpec.Bound(value, inclusive: false)
    }

    /// A kink where both conventions take the same derivative.
    static func kink(_ location: String, at point: Double, both text: String, _ value: Double) -> Kink {
        Kink(
            location: location, locationAtDefaults: point,
            pytorch: text, pytorchAtDefaults: value, jax: text, jaxAtDefaults: value)
    }
}

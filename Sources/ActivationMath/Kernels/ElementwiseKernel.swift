import RealModule

/// The scalar types the functions are written for: `Float` and `Double`. Sendable so that
/// kernels can store parameters of their scalar type and still be `Sendable`.
public typealias ActivationReal = Real & BinaryFloatingPoint & Sendable

/// One elementwise activation with its parameters bound: f, f' and the partials of f with
/// respect to its learnable parameters.
///
/// Each function is written once, generic over ``ActivationReal``. The engine evaluates both
/// dtypes through the `Double` instantiation and rounds float32 results once, which makes them
/// correctly rounded almost always.
///
/// Rules every kernel follows:
/// - NaN in gives NaN for the value, the derivative and every partial.
/// - ±inf give the mathematical limits (sigmoid(-inf) = 0, relu'(+inf) = 1).
/// - ±0 is kept where the formula keeps it; subnormals are neither flushed nor produced spuriously.
/// - At a kink the derivative is the one of `convention` (see ``Kink``).
public protocol ElementwiseKernel: Sendable {
    associatedtype Scalar: ActivationReal

    /// Binds the resolved parameters; the engine has already checked them against the metadata.
    init(parameters: ResolvedParameters, convention: KinkConvention)

    /// f(x).
    func value(_ x: Scalar) -> Scalar
    /// f'(x), with the convention's value at kinks.
    func derivative(_ x: Scalar) -> Scalar
    /// f(x) and f'(x) in one pass; override when the two share work.
    func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar)
    /// ∂f/∂p(x) for the learnable parameters in metadata order (at most two; unused slots 0).
    func parameterPartials(_ x: Scalar) -> (Scalar, Scalar)
    /// f(x), f'(x) and the partials in one pass; override when they share work (the results must
    /// be bit for bit those of the separate calls).
    func valueDerivativeAndPartials(_ x: Scalar) -> (value: Scalar, derivative: Scalar, partials: (Scalar, Scalar))
}

extension ElementwiseKernel {
    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        (value(x), derivative(x))
    }

    @inline(__always)
    public func parameterPartials(_ x: Scalar) -> (Scalar, Scalar) {
        (0, 0)
    }

    @inline(__always)
    public func valueDerivativeAndPartials(
        _ x: Scalar
    ) -> (value: Scalar, derivative: Scalar, partials: (Scalar, Scalar)) {
        let (y, dy) = valueAndDerivative(x)
        return (y, dy, parameterPartials(x))
    }
}

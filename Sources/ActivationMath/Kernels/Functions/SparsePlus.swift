/// sparse_plus(x) = 0 for x ≤ −1, (x + 1)²/4 for −1 < x < 1, x for x ≥ 1.
///
/// Blondel, Martins & Niculae 2019 and JAX's `jax.nn.sparse_plus`: a softplus that is exactly 0
/// below −1 and exactly linear above 1, joined by a parabola; convex, monotonic, with a
/// continuous derivative (sparse_sigmoid). Units below −1 get no gradient, as under relu.
///
/// (x + 1)²/4 = (x/2 + 1/2)² is evaluated with h = x/2 + 1/2 as an exact pair (TwoSum) and the
/// square's cross term folded into one FMA, so value and derivative are correctly rounded in all
/// but rare cases, including next to −1 where the result is tiny.
///
/// - Derivative: 0 for x ≤ −1, (x + 1)/2 between, 1 for x ≥ 1. It is continuous, so there are no
///   kinks: the derivative is 0 at −1 and 1 at 1 under both conventions (JAX's `jnp.where` form
///   takes the constant branch at −1 and the linear one at 1).
/// - Special values: NaN gives NaN; sparse_plus(−inf) = 0 with derivative 0, sparse_plus(+inf) =
///   +inf with derivative 1.
public struct SparsePlus<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x > -1 && x < 1 {
            let (h, e) = PiecewiseArithmetic.twoSum(x * 0.5, 0.5)
            // (h + e)² = h² + 2he + e², e² far below the last bit.
            let (square, squareError) = PiecewiseArithmetic.twoProduct(h, h)
            return square + (squareError + 2 * h * e)
        }
        if x >= 1 || x.isNaN { return x }
        return 0
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x > -1 && x < 1 { return x * 0.5 + 0.5 }
        if x.isNaN { return x }
        return x >= 1 ? 1 : 0
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if x > -1 && x < 1 {
            let (h, e) = PiecewiseArithmetic.twoSum(x * 0.5, 0.5)
            let (square, squareError) = PiecewiseArithmetic.twoProduct(h, h)
            return (square + (squareError + 2 * h * e), h)
        }
        if x.isNaN { return (x, x) }
        return x >= 1 ? (x, 1) : (0, 0)
    }
}

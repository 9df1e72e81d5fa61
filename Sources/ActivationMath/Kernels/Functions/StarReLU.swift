/// star_relu(x; scale, bias) = scale · relu(x)² + bias, scale and bias learnable (defaults 1, 0).
///
/// Yu et al. 2022 ("MetaFormer Baselines for Vision"): squared ReLU with a learned affine map,
/// which lets the network undo the shift in mean and variance that squaring introduces, at the
/// cost of two multiplications and an addition.
///
/// scale · r² + bias can cancel (a negative bias meeting a positive product), so r², its product
/// with scale and the sum with bias each carry their rounding error into one final addition.
///
/// - Derivative: 2 · scale · relu(x); continuous, 0 at x = 0 under both conventions.
/// - ∂f/∂scale = relu(x)², ∂f/∂bias = 1.
/// - Special values: NaN gives NaN for the value, the derivative and both partials. At +inf the
///   value is ±inf (sign of scale; bias when scale = 0, the limit of a constant), the derivative
///   ±inf (0 when scale = 0), the partials (+inf, 1). At −inf the value is bias, the derivative 0
///   and the partials (0, 1). When r² overflows but scale · r² does not (a small scale), the
///   product is formed as (scale · r) · r instead.
public struct StarReLU<Scalar: ActivationReal>: ElementwiseKernel {
    let scale: Scalar
    let bias: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        scale = Scalar(parameters.number("scale"))
        bias = Scalar(parameters.number("bias"))
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        guard x > 0 else { return x.isNaN ? x : bias }
        if scale == 0 { return bias }
        let square = x * x
        guard square.isFinite else { return (scale * x) * x + bias }
        let squareError = (-square).addingProduct(x, x)
        let product = scale * square
        guard product.isFinite else { return product + bias }
        let productError = (-product).addingProduct(scale, square) + scale * squareError
        let (sum, sumError) = PiecewiseArithmetic.twoSum(product, bias)
        return sum + (sumError + productError)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        guard x > 0 else { return x.isNaN ? x : 0 }
        if scale == 0 { return 0 }
        return 2 * scale * x
    }

    @inline(__always)
    public func parameterPartials(_ x: Scalar) -> (Scalar, Scalar) {
        if x > 0 { return (x * x, 1) }
        return x.isNaN ? (x, x) : (0, 1)
    }
}

import RealModule

/// selu(x) = λ·elu(x, α) with the fixed α ≈ 1.6733 and λ ≈ 1.0507 (Klambauer et al. 2017).
///
/// Scaled exponential linear unit: with these two constants, activations of a fully connected
/// network (LeCun-normal initialisation) converge to zero mean and unit variance by themselves,
/// the "self-normalising" property, without batch normalisation.
///
/// - Formula: λ·x for x > 0, λα·expm1(x) otherwise. λ and λα are exact reals (the values given
///   in the paper, to 32 digits) held as hi + lo pairs and applied with one FMA, so the
///   constants add no rounding of their own: at most ~1.2 ulp.
/// - Derivative: λ for x > 0, λα·e^x for x ≤ 0.
/// - Kink at x = 0: f' jumps from λα ≈ 1.7581 (left) to λ ≈ 1.0507 (right). PyTorch (elu
///   backward with scale λ, `x <= 0`) and JAX (`scale·elu`, the false branch of `where(x > 0)`)
///   both take λα there.
/// - Special values: NaN → NaN; selu(+inf) = +inf with derivative λ; selu(-inf) = -λα with
///   derivative 0; selu(±0) = ±0.
public struct SELU<Scalar: ActivationReal>: ElementwiseKernel {
    /// λ and λα from the paper's 32-digit α and λ.
    static var lambda: (hi: Scalar, lo: Scalar) { (1.0507009873554805, 3.9874847667154144e-17) }
    static var lambdaAlpha: (hi: Scalar, lo: Scalar) { (1.7580993408473768, 1.41535193800845e-17) }

    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    /// c·y for the double-length constant c, rounded once.
    @inline(__always)
    static func scale(_ c: (hi: Scalar, lo: Scalar), _ y: Scalar) -> Scalar {
        (c.lo * y).addingProduct(c.hi, y)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        x > 0 ? Self.scale(Self.lambda, x) : Self.scale(Self.lambdaAlpha, Scalar.expMinusOne(x))
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        x > 0 ? Self.lambda.hi : Self.scale(Self.lambdaAlpha, Scalar.exp(x))
    }
}

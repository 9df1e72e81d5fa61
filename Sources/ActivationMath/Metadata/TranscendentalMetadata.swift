extension Catalogue {
    /// The smooth (or almost smooth) functions built on exp, log, tanh, erfc and sin.
    static let transcendentalMetadata: [FunctionMetadata] =
        exponentialLinearMetadata + logisticMetadata + gatedMetadata + otherTranscendentalMetadata
}

/// Shorthands for the parameter specs used below.
extension ParameterSpec {
    static func transcendental(
        _ name: String, default value: Double, above lower: Double? = nil, learnable: Bool = false,
        _ description: String
    ) -> ParameterSpec {
        ParameterSpec(
            name: name, requirement: .defaulted(.number(value)),
            lowerBound: lower.map { Bound($0, inclusive: false) }, learnable: learnable,
            description: description)
    }
}

extension Catalogue {
    /// elu, selu, celu: identity on the right, a saturating exponential on the left.
    static let exponentialLinearMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .elu,
            summary: "Exponential linear unit: identity for x > 0, alpha·(e^x - 1) below, saturating at -alpha.",
            formula: "x > 0 ? x : alpha * expm1(x)",
            formulaLatex: #"\begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}"#,
            derivative: "x > 0 ? 1 : alpha * exp(x)",
            derivativeLatex: #"\begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}"#,
            parameters: [
                .transcendental("alpha", default: 1, "Saturation value -alpha for x -> -inf; any real, as in PyTorch."),
            ],
            range: "(-1, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .none,
                continuousDerivative: true, selfGated: true),
            cost: .moderate,
            kinks: [
                Kink(location: "x = 0", locationAtDefaults: 0, pytorch: "alpha", pytorchAtDefaults: 1,
                     jax: "alpha", jaxAtDefaults: 1),
            ],
            year: 2015,
            reference: "Clevert, Unterthiner & Hochreiter, Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs), arXiv:1511.07289",
            notes: [
                "Negative outputs pull the mean activation towards zero, which speeds up learning; unlike relu, negative inputs keep a gradient alpha·e^x, so units do not die, but it vanishes for large negative x.",
                "f' jumps at 0 from alpha to 1 unless alpha = 1; both PyTorch (x <= 0 branch) and JAX (the false branch of where(x > 0)) take alpha there. With alpha = 1, f' is continuous but f'' still jumps from 1 to 0: not smooth.",
                "Computed with expm1 on the clamped input: e^x - 1 cancels for small |x| and the unused branch cannot overflow.",
                "Self-gated in the sense f(x) = x·g(x) with g = expm1(x)/x in (0, 1] shutting as x -> -inf.",
            ]),
        FunctionMetadata(
            function: .selu,
            summary: "Scaled elu with fixed constants that make activations self-normalising (zero mean, unit variance).",
            formula: "lambda * (x > 0 ? x : alpha * expm1(x)), alpha = 1.6732632423543772848170429916717, lambda = 1.0507009873554804934193349852946",
            formulaLatex: #"\lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases},\quad \alpha \approx 1.6733,\ \lambda \approx 1.0507"#,
            derivative: "x > 0 ? lambda : lambda * alpha * exp(x)",
            derivativeLatex: #"\begin{cases} \lambda & x > 0 \\ \lambda\alpha\,e^{x} & x \le 0 \end{cases}"#,
            range: "(-1.7580993408473768, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .none,
                notDifferentiableAt: ["x = 0"]),
            cost: .moderate,
            kinks: [
                Kink(location: "x = 0", locationAtDefaults: 0, pytorch: "lambda * alpha",
                     pytorchAtDefaults: 1.7580993408473768, jax: "lambda * alpha", jaxAtDefaults: 1.7580993408473768),
            ],
            year: 2017,
            reference: "Klambauer, Unterthiner, Mayr & Hochreiter, Self-Normalizing Neural Networks, NeurIPS 2017, arXiv:1706.02515",
            notes: [
                "With LeCun-normal initialisation and fully connected layers, activations converge to zero mean and unit variance without batch normalisation; use alpha_dropout, not dropout, with it.",
                "alpha and lambda are exact reals (the paper's 32 digits); we apply lambda and lambda·alpha in double length so they add no rounding.",
                "f' jumps at 0 from lambda·alpha ≈ 1.7581 to lambda ≈ 1.0507; PyTorch and JAX both take lambda·alpha there.",
            ]),
        FunctionMetadata(
            function: .celu,
            summary: "Continuously differentiable elu: alpha·(e^(x/alpha) - 1) below 0, so f'(0) = 1 for every alpha.",
            formula: "max(0, x) + min(0, alpha * expm1(x / alpha))",
            formulaLatex: #"\max(0, x) + \min\!\left(0, \alpha\,(e^{x/\alpha} - 1)\right)"#,
            derivative: "x > 0 ? 1 : exp(x / alpha)",
            derivativeLatex: #"\begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}"#,
            parameters: [
                .transcendental("alpha", default: 1, above: 0, "Saturation value -alpha and scale of the exponential; > 0."),
            ],
            range: "(-1, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .none,
                continuousDerivative: true, selfGated: true),
            cost: .moderate,
            year: 2017,
            reference: "Barron, Continuously Differentiable Exponential Linear Units, arXiv:1704.07483",
            notes: [
                "Equal to elu at alpha = 1; for other alpha it keeps f' continuous at 0 (both sides 1), where elu's derivative jumps. f'' still jumps at 0 (1/alpha to 0): not smooth.",
                "x/alpha is carried with its exact remainder, so e^(x/alpha) does not inherit the quotient's rounding amplified |x/alpha|-fold.",
            ]),
    ]
}

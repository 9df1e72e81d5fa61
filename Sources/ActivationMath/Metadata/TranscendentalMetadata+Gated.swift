extension Catalogue {
    /// swish, gelu, mish: the input multiplied by a smooth gate of itself.
    static let gatedMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .swish,
            summary: "Self-gated x·sigmoid(beta·x); SiLU at beta = 1.",
            formula: "x * sigmoid(beta * x)",
            formulaLatex: #"x\,\sigma(\beta x)"#,
            derivative: "sigmoid(beta*x) * (1 + beta*x * sigmoid(-beta*x)); d/dbeta = x^2 * sigmoid(beta*x) * sigmoid(-beta*x)",
            derivativeLatex: #"\sigma(\beta x)\left(1 + \beta x\,\sigma(-\beta x)\right),\quad \frac{\partial f}{\partial \beta} = x^{2}\,\sigma(\beta x)\,\sigma(-\beta x)"#,
            parameters: [
                .transcendental("beta", default: 1, learnable: true,
                                "Gate sharpness, learnable: x/2 at beta = 0, relu as beta -> inf; any real."),
            ],
            range: "[-0.2784645427610738, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .none, vanishingGradient: .negative, dying: .none,
                smooth: true, selfGated: true),
            cost: .moderate,
            year: 2017,
            reference: "Ramachandran, Zoph & Le, Searching for Activation Functions, arXiv:1710.05941; SiLU: Elfwing, Uchibe & Doya (2017), Hendrycks & Gimpel (2016)",
            notes: [
                "Found by automated search; smooth, non-monotonic (a dip to -0.2785/beta at beta·x ≈ -1.2785) and unbounded above, it matches or beats relu in deep networks at the price of one exp.",
                "PyTorch's silu and JAX's silu/swish fix beta = 1; here beta is learnable and its gradient is returned.",
                "f' crosses zero at beta·x ≈ -1.2785, where the textbook formula cancels; a Taylor series about that root keeps the relative accuracy there.",
            ]),
        FunctionMetadata(
            function: .gelu,
            summary: "Gaussian error linear unit x·Phi(x), exact by default (PyTorch) or the tanh form (JAX's default).",
            formula: "0.5 * x * erfc(-x / sqrt(2)); tanh form: x * sigmoid(2u), u = sqrt(2/pi) * (x + 0.044715 x^3)",
            formulaLatex: #"x\,\Phi(x) = \tfrac{1}{2}\,x\,\operatorname{erfc}\!\left(-\tfrac{x}{\sqrt{2}}\right);\quad \text{tanh form: } x\,\sigma(2u),\ u = \sqrt{2/\pi}\,(x + 0.044715\,x^{3})"#,
            derivative: "Phi(x) + x * phi(x), phi(x) = exp(-x^2/2)/sqrt(2 pi); tanh form: sigmoid(2u) * (1 + x * 2u' * sigmoid(-2u)), u' = sqrt(2/pi) * (1 + 3 * 0.044715 x^2)",
            derivativeLatex: #"\Phi(x) + x\,\varphi(x),\ \varphi(x) = \frac{e^{-x^{2}/2}}{\sqrt{2\pi}};\quad \text{tanh form: } \sigma(2u)\left(1 + 2x\,u'\,\sigma(-2u)\right)"#,
            parameters: [
                ParameterSpec(
                    name: "approximate", kind: .choice(["none", "tanh"]),
                    requirement: .defaulted(.choice("none")),
                    description: "\"none\": exact x·Phi(x) (PyTorch's default); \"tanh\": the tanh approximation (JAX's default, approximate=True)."),
            ],
            range: "[-0.16997120747990366, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .none, vanishingGradient: .negative, dying: .none,
                smooth: true, selfGated: true),
            cost: .expensive,
            year: 2016,
            reference: "Hendrycks & Gimpel, Gaussian Error Linear Units (GELUs), arXiv:1606.08415",
            notes: [
                "The input weighted by the probability that a standard normal lies below it: a smooth, non-monotonic relu (minimum -0.17 at x ≈ -0.75), the default activation of BERT and GPT.",
                "Frameworks disagree on the default: PyTorch evaluates it exactly, JAX's jax.nn.gelu uses the tanh form unless approximate=False. We follow PyTorch; both forms differ by up to ~5e-4.",
                "Computed through erfc, not 1 + erf, which loses the whole negative tail (pytorch#187806), with the rounding of x/sqrt(2) and x^2/2 carried; beyond x = -20 the asymptotic series of Phi keeps the tail down to the subnormals. f' crosses zero at x ≈ -0.7518 (tanh form -0.7525): a Taylor series about the root keeps the relative accuracy there.",
                "Costs an erfc and an exp per element, several times relu's cost.",
            ]),
        FunctionMetadata(
            function: .mish,
            summary: "Self-gated x·tanh(softplus(x)).",
            formula: "x * tanh(softplus(x)) = x * ((1+e^x)^2 - 1) / ((1+e^x)^2 + 1)",
            formulaLatex: #"x \tanh\!\left(\log(1 + e^{x})\right) = x\,\frac{(1+e^{x})^{2} - 1}{(1+e^{x})^{2} + 1}"#,
            derivative: "tanh(softplus(x)) + x * sech^2(softplus(x)) * sigmoid(x)",
            derivativeLatex: #"\tanh(\operatorname{sp}(x)) + x\,\operatorname{sech}^{2}(\operatorname{sp}(x))\,\sigma(x)"#,
            range: "[-0.30884341301725043, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .none, vanishingGradient: .negative, dying: .none,
                smooth: true, selfGated: true),
            cost: .expensive,
            year: 2019,
            reference: "Misra, Mish: A Self Regularized Non-Monotonic Activation Function, arXiv:1908.08681",
            notes: [
                "Like swish, smooth and non-monotonic (minimum -0.3088 at x ≈ -1.1924) with a small negative tail that keeps gradients alive; used in YOLOv4.",
                "Written naively it costs an exp, a log1p and a tanh; with e = e^x, tanh(log(1 + e)) = e(e + 2)/(e(e + 2) + 2), one exp and no cancellation. f' crosses zero at x ≈ -1.1924, handled by a Taylor series about the root.",
            ]),
    ]
}

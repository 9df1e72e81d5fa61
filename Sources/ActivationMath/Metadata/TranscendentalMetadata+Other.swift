extension Catalogue {
    /// tanhshrink, exponential, snake.
    static let otherTranscendentalMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .tanhshrink,
            summary: "x - tanh(x): nearly zero around the origin (x^3/3), x -/+ 1 far out.",
            formula: "x - tanh(x)",
            formulaLatex: #"x - \tanh x"#,
            derivative: "tanh(x)^2",
            derivativeLatex: #"\tanh^{2} x"#,
            range: "(-inf, inf)",
            properties: FunctionProperties(
                zeroCentered: true, monotonicity: .increasing, vanishingGradient: .none, dying: .none,
                smooth: true),
            cost: .moderate,
            year: 2010,
            reference: "Gregor & LeCun, Learning Fast Approximations of Sparse Coding, ICML 2010 (shrinkage nonlinearities); tanhshrink as in Torch7's nn and PyTorch",
            notes: [
                "A smooth shrinkage: small inputs are suppressed (f ≈ x^3/3, f' = tanh^2 x ≈ x^2, so gradients vanish near 0), large ones pass shifted by ±1.",
                "x - tanh x cancels for |x| ≲ 1 (all digits lost as x -> 0); we use a Padé approximant there and (|x| - 1) + 2/(e^(2|x|) + 1) beyond.",
            ]),
        FunctionMetadata(
            function: .exponential,
            summary: "e^x: the positive output link of Poisson and rate models.",
            formula: "exp(x)",
            formulaLatex: #"e^{x}"#,
            derivative: "exp(x)",
            derivativeLatex: #"e^{x}"#,
            range: "(0, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .none,
                smooth: true),
            cost: .moderate,
            year: 1972,
            reference: "Nelder & Wedderburn, Generalized Linear Models, JRSS A 135 (1972): the inverse log link; Keras's activations.exponential",
            notes: [
                "Not a hidden-layer activation: it overflows past x ≈ 709.78 (88.72 in float32) and its gradient explodes on the right while vanishing on the left. Use it for positive outputs (rates, scales) or inside softmax.",
                "Results below 2.2e-308 are subnormal, not flushed to zero.",
            ]),
        FunctionMetadata(
            function: .snake,
            summary: "x + sin^2(alpha·x)/alpha: a linear trend plus a learnable periodic component.",
            formula: "x + sin(alpha * x)^2 / alpha",
            formulaLatex: #"x + \frac{\sin^{2}(\alpha x)}{\alpha}"#,
            derivative: "1 + sin(2 alpha x) = 2 sin^2(alpha x + pi/4); d/dalpha = (alpha x sin(2 alpha x) - sin^2(alpha x)) / alpha^2",
            derivativeLatex: #"1 + \sin(2\alpha x),\quad \frac{\partial f}{\partial \alpha} = \frac{\alpha x \sin(2\alpha x) - \sin^{2}(\alpha x)}{\alpha^{2}}"#,
            parameters: [
                .transcendental("alpha", default: 1, above: 0, learnable: true,
                                "Frequency of the periodic part, learnable (one per channel in BigVGAN); > 0."),
            ],
            range: "(-inf, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .none, dying: .none,
                smooth: true),
            cost: .moderate,
            year: 2020,
            reference: "Ziyin, Hartwig & Ueda, Neural Networks Fail to Learn Periodic Functions and How to Fix It, NeurIPS 2020, arXiv:2006.08195",
            notes: [
                "Monotonic (f' = 1 + sin(2 alpha x) >= 0) yet periodic in its slope, so networks can extrapolate periodic signals, which relu and tanh networks cannot; BigVGAN and other neural vocoders use it with a learnable alpha per channel.",
                "f' touches 0 at every alpha·x = -pi/4 + k·pi; we compute it as 2 sin^2(alpha x + pi/4) with the argument in double length so it stays relatively accurate there (for |alpha·x| < 2^20; beyond, its error is ~1e-16 absolute).",
                "At ±inf the value is ±inf (sin^2(alpha x)/alpha stays bounded while x grows); f' and d/dalpha oscillate without a limit and are NaN there.",
            ]),
    ]
}

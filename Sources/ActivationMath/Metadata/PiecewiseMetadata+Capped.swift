/// The bounded and hard functions: relu6, leaky_relu6, hardtanh, hard_sigmoid, hard_swish, and
/// threshold.
extension Catalogue {
    static let piecewiseCappedMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .relu6,
            summary: "ReLU capped at 6: a clamp of x to [0, 6].",
            formula: "f(x) = min(max(0, x), 6)", formulaLatex: "f(x) = \\min(\\max(0, x), 6)",
            derivative: "f'(x) = 1 if 0 < x < 6, else 0",
            derivativeLatex: "f'(x) = \\mathbb{1}[0 < x < 6]",
            range: "[0, 6]",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .both, dying: .both,
                notDifferentiableAt: ["x = 0", "x = 6"]),
            cost: .trivial,
            kinks: [
                PiecewiseSpec.kink("x = 0", at: 0, both: "0", 0),
                PiecewiseSpec.kink("x = 6", at: 6, both: "0", 0),
            ],
            year: 2010,
            reference: "Krizhevsky 2010, Convolutional Deep Belief Networks on CIFAR-10; MobileNet (Howard et al. 2017)",
            notes: [
                "The cap keeps activations in a small range, which suits 8-bit and fixed-point inference (MobileNet).",
                "Units below 0 or above 6 get no gradient: both ends can die.",
                "Both conventions take 0 at 0 and 6: PyTorch computes relu6 as hardtanh(x, 0, 6); JAX's relu6 has a custom JVP (a bare jnp.minimum(jnp.maximum(x, 0), 6) would give 1/2).",
            ]),
        FunctionMetadata(
            function: .leakyReLU6,
            summary: "Leaky below 0, capped at cap above: leaky_relu and relu6 combined.",
            formula: "f(x) = min(max(alpha * x, x), cap)",
            formulaLatex: "f(x) = \\min(\\max(\\alpha x, x), c)",
            derivative: "f'(x) = alpha if x < 0, 1 if 0 < x < cap, 0 if x > cap",
            derivativeLatex: "f'(x) = \\begin{cases} \\alpha & x < 0 \\\\ 1 & 0 < x < c \\\\ 0 & x > c \\end{cases}",
            parameters: [
                ParameterSpec(
                    name: "alpha", requirement: PiecewiseSpec.defaulted(0.01),
                    lowerBound: PiecewiseSpec.atLeast(0), upperBound: PiecewiseSpec.atMost(1),
                    description: "Slope for x < 0. Bounded to [0, 1]: above 1 max(alpha x, x) would select alpha x for x > 0 and x below, another function."),
                ParameterSpec(
                    name: "cap", requirement: PiecewiseSpec.defaulted(6),
                    lowerBound: PiecewiseSpec.above(0),
                    description: "The largest output, as relu6's 6."),
            ],
            range: "(-inf, 6]",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .positive, dying: .positive,
                notDifferentiableAt: ["x = 0", "x = 6"]),
            cost: .trivial,
            kinks: [
                Kink(location: "x = 0", locationAtDefaults: 0, pytorch: "alpha", pytorchAtDefaults: 0.01,
                     jax: "1", jaxAtDefaults: 1),
                PiecewiseSpec.kink("x = cap", at: 6, both: "0", 0),
            ],
            year: 2026,
            reference: "No paper: the article's proposal, leaky_relu capped like relu6; in Keras as relu(x, negative_slope=alpha, max_value=cap)",
            notes: [
                "Negative inputs keep a gradient (no dying units below 0) while outputs stay bounded above for low-precision inference; units above the cap still get no gradient.",
                "Neither PyTorch nor JAX has it. Conventions: PyTorch-style takes alpha at 0 (as leaky_relu) and 0 at cap (as relu6); JAX-style takes 1 at 0 (as jax.nn.leaky_relu) and 0 at cap (as jax.nn.relu6).",
                "Written literally as jnp.minimum(jnp.maximum(alpha * x, x), cap), JAX would give (1 + alpha)/2 at 0 and 1/2 at cap, its rule for ties in max and min.",
            ]),
        FunctionMetadata(
            function: .hardtanh,
            summary: "A clamp of x to [min_val, max_val]: piecewise-linear tanh.",
            formula: "f(x) = min(max(x, min_val), max_val)",
            formulaLatex: "f(x) = \\min(\\max(x, a), b)",
            derivative: "f'(x) = 1 if min_val < x < max_val, else 0",
            derivativeLatex: "f'(x) = \\mathbb{1}[a < x < b]",
            parameters: [
                ParameterSpec(name: "min_val", requirement: PiecewiseSpec.defaulted(-1),
                              description: "Lower bound of the output."),
                ParameterSpec(name: "max_val", requirement: PiecewiseSpec.defaulted(1),
                              description: "Upper bound of the output; PyTorch's Hardtanh asserts max_val > min_val."),
            ],
            constraints: [.lessThan("min_val", "max_val")],
            range: "[-1, 1]",
            properties: FunctionProperties(
                zeroCentered: true, monotonicity: .increasing, vanishingGradient: .both, dying: .both,
                notDifferentiableAt: ["x = -1", "x = 1"]),
            cost: .trivial,
            kinks: [
                Kink(location: "x = min_val", locationAtDefaults: -1, pytorch: "0", pytorchAtDefaults: 0,
                     jax: "1", jaxAtDefaults: 1),
                Kink(location: "x = max_val", locationAtDefaults: 1, pytorch: "0", pytorchAtDefaults: 0,
                     jax: "1", jaxAtDefaults: 1),
            ],
            year: 2004,
            reference: "Collobert 2004, Large Scale Machine Learning (PhD thesis); Torch7's HardTanh",
            notes: [
                "Zero-centred (when min_val = -max_val, as by default) and bounded like tanh for the price of two comparisons, but the gradient is exactly 0 outside the range: hard saturation, and units there die.",
                "PyTorch's backward takes 0 at the bounds; jax.nn.hard_tanh (jnp.where(x > 1, 1, jnp.where(x < -1, -1, x))) takes 1.",
            ]),
        FunctionMetadata(
            function: .hardSigmoid,
            summary: "Piecewise-linear sigmoid: (x + 3)/6 clamped to [0, 1].",
            formula: "f(x) = relu6(x + 3) / 6", formulaLatex: "f(x) = \\frac{\\min(\\max(x + 3, 0), 6)}{6}",
            derivative: "f'(x) = 1/6 if -3 < x < 3, else 0",
            derivativeLatex: "f'(x) = \\tfrac{1}{6}\\,\\mathbb{1}[-3 < x < 3]",
            range: "[0, 1]",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .both, dying: .both,
                notDifferentiableAt: ["x = -3", "x = 3"]),
            cost: .trivial,
            kinks: [
                PiecewiseSpec.kink("x = -3", at: -3, both: "0", 0),
                PiecewiseSpec.kink("x = 3", at: 3, both: "0", 0),
            ],
            year: 2019,
            reference: "Howard et al. 2019, Searching for MobileNetV3 (arXiv:1905.02244); earlier clip((x + 1)/2) in Courbariaux et al. 2015, BinaryConnect",
            notes: [
                "A cheap gate for hard_swish and squeeze-and-excitation blocks on mobile hardware.",
                "Saturates hard: no gradient outside [-3, 3].",
                "Slopes differ between frameworks: 1/6 in PyTorch, JAX and Keras 3 (as here), 0.2 in Keras 2 and TensorFlow's old hard_sigmoid.",
            ]),
        FunctionMetadata(
            function: .hardSwish,
            summary: "Swish with a hard_sigmoid gate: x * relu6(x + 3) / 6.",
            formula: "f(x) = x * relu6(x + 3) / 6", formulaLatex: "f(x) = x \\cdot \\frac{\\min(\\max(x + 3, 0), 6)}{6}",
            derivative: "f'(x) = 0 if x < -3, (2x + 3)/6 if -3 < x < 3, 1 if x > 3",
            derivativeLatex: "f'(x) = \\begin{cases} 0 & x < -3 \\\\ \\frac{2x + 3}{6} & -3 < x < 3 \\\\ 1 & x > 3 \\end{cases}",
            range: "[-0.375, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .none, vanishingGradient: .negative, dying: .negative,
                notDifferentiableAt: ["x = -3", "x = 3"], selfGated: true),
            cost: .trivial,
            kinks: [
                PiecewiseSpec.kink("x = -3", at: -3, both: "0", 0),
                PiecewiseSpec.kink("x = 3", at: 3, both: "1", 1),
            ],
            year: 2019,
            reference: "Howard et al. 2019, Searching for MobileNetV3 (arXiv:1905.02244)",
            notes: [
                "Most of swish's accuracy at a fraction of the cost on mobile CPUs; not monotonic (minimum -3/8 at x = -3/2).",
                "The gradient is exactly 0 below -3 (it vanishes and dies on the negative side) and 1 above 3.",
                "PyTorch releases before the 2025 fix (pytorch#147801) returned -1/2 at x = -3 and 3/2 at x = 3; current PyTorch and JAX take 0 and 1, as we do.",
            ]),
        FunctionMetadata(
            function: .threshold,
            summary: "x above a threshold, a fixed value below it.",
            formula: "f(x) = x if x > threshold, value otherwise",
            formulaLatex: "f(x) = \\begin{cases} x & x > t \\\\ v & x \\le t \\end{cases}",
            derivative: "f'(x) = 1 if x > threshold, else 0",
            derivativeLatex: "f'(x) = \\mathbb{1}[x > t]",
            parameters: [
                ParameterSpec(name: "threshold", requirement: .required, description: "The cut-off t."),
                ParameterSpec(name: "value", requirement: .required, description: "The output v for x <= t."),
            ],
            range: "[0, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .negative,
                notDifferentiableAt: ["x = 0"], selfGated: true),
            cost: .trivial,
            kinks: [PiecewiseSpec.kink("x = threshold", at: 0, both: "0", 0)],
            year: 2011,
            reference: "Torch7's Threshold (Collobert, Kavukcuoglu & Farabet 2011), PyTorch's nn.Threshold",
            notes: [
                "Both parameters are required, so range, properties (self_gated included, as relu) and kink locations are stated at threshold = 0, value = 0, where it is relu.",
                "With value != threshold the function jumps at the threshold; with value > threshold it is not monotonic.",
                "Inputs at or below the threshold get no gradient: units can die as under relu.",
                "JAX has no threshold; jnp.where(x > t, x, v) also takes 0 at x = t.",
            ]),
    ]
}

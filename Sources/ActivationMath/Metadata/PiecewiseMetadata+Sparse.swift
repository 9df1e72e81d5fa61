/// The functions that output exact zeros on an interval: hardshrink, softshrink, sparse_plus and
/// sparse_sigmoid.
extension Catalogue {
    static let piecewiseShrinkMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .hardshrink,
            summary: "Hard thresholding: x where |x| > lambd, 0 inside.",
            formula: "f(x) = x if |x| > lambd, else 0",
            formulaLatex: "f(x) = \\begin{cases} x & |x| > \\lambda \\\\ 0 & |x| \\le \\lambda \\end{cases}",
            derivative: "f'(x) = 1 if |x| > lambd, else 0",
            derivativeLatex: "f'(x) = \\mathbb{1}[|x| > \\lambda]",
            parameters: [
                ParameterSpec(name: "lambd", requirement: PiecewiseSpec.defaulted(0.5),
                              lowerBound: PiecewiseSpec.atLeast(0),
                              description: "Half-width of the dead zone (PyTorch's spelling, lambda being a Python keyword)."),
            ],
            range: "(-inf, inf)",
            properties: FunctionProperties(
                zeroCentered: true, monotonicity: .increasing, vanishingGradient: .none, dying: .none,
                notDifferentiableAt: ["x = -0.5", "x = 0.5"]),
            cost: .trivial,
            kinks: [
                PiecewiseSpec.kink("x = -lambd", at: -0.5, both: "0", 0),
                PiecewiseSpec.kink("x = lambd", at: 0.5, both: "0", 0),
            ],
            year: 1994,
            reference: "Donoho & Johnstone 1994, Ideal Spatial Adaptation by Wavelet Shrinkage (Biometrika)",
            notes: [
                "The output takes no values in (-lambd, lambd) other than 0: the range is (-inf, -lambd) U {0} U (lambd, inf).",
                "Discontinuous at ±lambd (a jump, not only a kink); inputs in the dead zone get no gradient.",
                "Non-decreasing, so monotonic despite the jumps.",
                "JAX has no hardshrink; jnp.where(jnp.abs(x) > lambd, x, 0) also takes 0 at ±lambd, as PyTorch does.",
            ]),
        FunctionMetadata(
            function: .softshrink,
            summary: "Soft thresholding: shrinks x towards 0 by lambd, 0 inside [-lambd, lambd].",
            formula: "f(x) = x - lambd if x > lambd, x + lambd if x < -lambd, else 0",
            formulaLatex: "f(x) = \\operatorname{sign}(x) \\max(|x| - \\lambda, 0)",
            derivative: "f'(x) = 1 if |x| > lambd, else 0",
            derivativeLatex: "f'(x) = \\mathbb{1}[|x| > \\lambda]",
            parameters: [
                ParameterSpec(name: "lambd", requirement: PiecewiseSpec.defaulted(0.5),
                              lowerBound: PiecewiseSpec.atLeast(0),
                              description: "The shrinkage; PyTorch rejects negative values."),
            ],
            range: "(-inf, inf)",
            properties: FunctionProperties(
                zeroCentered: true, monotonicity: .increasing, vanishingGradient: .none, dying: .none,
                notDifferentiableAt: ["x = -0.5", "x = 0.5"]),
            cost: .trivial,
            kinks: [
                PiecewiseSpec.kink("x = -lambd", at: -0.5, both: "0", 0),
                PiecewiseSpec.kink("x = lambd", at: 0.5, both: "0", 0),
            ],
            year: 1995,
            reference: "Donoho 1995, De-noising by Soft-Thresholding (IEEE Trans. Information Theory)",
            notes: [
                "The proximal operator of lambd·|x|: the step of ISTA and of learned sparse coding (LISTA).",
                "Continuous, zero-centred and sparse; inputs in the dead zone get no gradient.",
            ]),
        FunctionMetadata(
            function: .sparsePlus,
            summary: "Softplus made sparse: 0 below -1, a parabola between, x above 1.",
            formula: "f(x) = 0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1",
            formulaLatex: "f(x) = \\begin{cases} 0 & x \\le -1 \\\\ \\frac{(x + 1)^2}{4} & -1 < x < 1 \\\\ x & x \\ge 1 \\end{cases}",
            derivative: "f'(x) = sparse_sigmoid(x) = 0 if x <= -1, (x + 1)/2 if -1 < x < 1, 1 if x >= 1",
            derivativeLatex: "f'(x) = \\tfrac{1}{2} \\operatorname{clip}(x + 1, 0, 2)",
            range: "[0, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .negative,
                continuousDerivative: true),
            cost: .trivial,
            year: 2019,
            reference: "Blondel, Martins & Niculae 2019, Learning with Fenchel-Young Losses (arXiv:1901.02324); jax.nn.sparse_plus",
            notes: [
                "Convex and monotonic like softplus, but exactly 0 below -1, so outputs are sparse, and no exp or log is needed.",
                "The derivative is continuous (it is sparse_sigmoid), so there are no kinks; the second derivative jumps at ±1.",
                "Units below -1 get no gradient, as under relu.",
            ]),
        FunctionMetadata(
            function: .sparseSigmoid,
            summary: "Sigmoid made sparse: 0 below -1, linear between, 1 above 1.",
            formula: "f(x) = clip(x + 1, 0, 2) / 2",
            formulaLatex: "f(x) = \\tfrac{1}{2} \\operatorname{clip}(x + 1, 0, 2)",
            derivative: "f'(x) = 1/2 if -1 < x < 1, else 0",
            derivativeLatex: "f'(x) = \\tfrac{1}{2}\\,\\mathbb{1}[-1 < x < 1]",
            range: "[0, 1]",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .both, dying: .both,
                notDifferentiableAt: ["x = -1", "x = 1"]),
            cost: .trivial,
            kinks: [
                Kink(location: "x = -1", locationAtDefaults: -1, pytorch: "0", pytorchAtDefaults: 0,
                     jax: "1/4", jaxAtDefaults: 0.25),
                Kink(location: "x = 1", locationAtDefaults: 1, pytorch: "0", pytorchAtDefaults: 0,
                     jax: "1/4", jaxAtDefaults: 0.25),
            ],
            year: 2019,
            reference: "Blondel, Martins & Niculae 2019, Learning with Fenchel-Young Losses, §6.2 (arXiv:1901.02324); jax.nn.sparse_sigmoid",
            notes: [
                "The derivative of sparse_plus; reaches 0 and 1 exactly, so probabilities can be exactly 0 or 1, at the price of no gradient outside [-1, 1].",
                "PyTorch has no sparse_sigmoid: its convention here is hardtanh's (0 at the bounds).",
                "JAX evaluates 0.5 * jnp.clip(x + 1, 0, 2) with clip = minimum(maximum(...)), and splits the gradient of a tie equally, hence 1/4 at ±1.",
            ]),
    ]
}

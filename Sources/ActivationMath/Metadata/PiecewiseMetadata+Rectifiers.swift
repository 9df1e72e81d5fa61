/// identity, relu and the leaky family (leaky_relu, prelu, rrelu).
extension Catalogue {
    static let piecewiseRectifierMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .identity,
            summary: "The input unchanged: a layer without an activation.",
            formula: "f(x) = x", formulaLatex: "f(x) = x",
            derivative: "f'(x) = 1", derivativeLatex: "f'(x) = 1",
            range: "(-inf, inf)",
            properties: FunctionProperties(
                zeroCentered: true, monotonicity: .increasing, vanishingGradient: .none, dying: .none,
                smooth: true),
            cost: .trivial, year: 1960,
            reference: "Widrow & Hoff 1960, Adaptive Switching Circuits (ADALINE, the linear unit)",
            notes: [
                "Stacked linear layers collapse into one linear map: without a nonlinearity depth adds nothing.",
                "Use it for regression outputs and as a baseline when comparing activations.",
            ]),
        FunctionMetadata(
            function: .relu,
            summary: "Rectified linear unit: negative inputs become 0, positive ones pass unchanged.",
            formula: "f(x) = max(0, x)", formulaLatex: "f(x) = \\max(0, x)",
            derivative: "f'(x) = 1 if x > 0, 0 if x < 0 (0 at x = 0)",
            derivativeLatex: "f'(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}",
            range: "[0, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .negative,
                notDifferentiableAt: ["x = 0"], selfGated: true),
            cost: .trivial,
            kinks: [PiecewiseSpec.kink("x = 0", at: 0, both: "0", 0)],
            year: 2010,
            reference: "Nair & Hinton 2010, Rectified Linear Units Improve Restricted Boltzmann Machines (ICML); Fukushima 1969 for the rectifier",
            notes: [
                "The default choice for hidden layers: one comparison, and the gradient does not vanish for x > 0.",
                "Dying ReLU: a unit whose pre-activation stays negative gets exactly zero gradient and may never recover; leaky_relu, prelu or elu avoid this.",
                "Outputs are never negative, so they are not centred on zero, which slows plain gradient descent somewhat; normalisation layers largely compensate.",
                "vanishing_gradient and dying are \"negative side\": the gradient is exactly 0 for all x < 0 (it never vanishes for x > 0).",
                "self_gated: relu(x) = x · step(x), the hard gate that swish and gelu smooth out.",
                "relu'(0) = 0 in PyTorch and JAX alike (Bertoin et al. 2021 study the effect of this choice).",
            ]),
        FunctionMetadata(
            function: .leakyReLU,
            summary: "ReLU with a small slope alpha for negative inputs, so that no unit dies.",
            formula: "f(x) = x if x >= 0, alpha * x if x < 0",
            formulaLatex: "f(x) = \\begin{cases} x & x \\ge 0 \\\\ \\alpha x & x < 0 \\end{cases}",
            derivative: "f'(x) = 1 if x > 0, alpha if x < 0",
            derivativeLatex: "f'(x) = \\begin{cases} 1 & x > 0 \\\\ \\alpha & x < 0 \\end{cases}",
            parameters: [
                ParameterSpec(
                    name: "alpha", requirement: PiecewiseSpec.defaulted(0.01),
                    description: "Slope for x < 0 (PyTorch's negative_slope). PyTorch and JAX default to 0.01, Keras to 0.2."),
            ],
            range: "(-inf, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .none, dying: .none,
                notDifferentiableAt: ["x = 0"]),
            cost: .trivial,
            kinks: [
                Kink(location: "x = 0", locationAtDefaults: 0, pytorch: "alpha", pytorchAtDefaults: 0.01,
                     jax: "1", jaxAtDefaults: 1),
            ],
            year: 2013,
            reference: "Maas, Hannun & Ng 2013, Rectifier Nonlinearities Improve Neural Network Acoustic Models (ICML workshop)",
            notes: [
                "Keeps a gradient alpha for negative inputs, so units cannot die as they do under relu.",
                "Frameworks disagree on the default slope: 0.01 in PyTorch and JAX, 0.2 in Keras (keras.activations.leaky_relu, LeakyReLU layer). We follow PyTorch.",
                "At x = 0 PyTorch's backward takes alpha (it tests x > 0), JAX takes 1 (jnp.where(x >= 0, ...)).",
                "Increasing only for alpha >= 0; a negative alpha folds negative inputs upwards. It takes both signs but is not zero-centred: negative outputs are alpha times smaller than positive ones.",
            ]),
        FunctionMetadata(
            function: .prelu,
            summary: "Leaky ReLU whose negative slope alpha is learned, shared or one per channel.",
            formula: "f(x) = x if x >= 0, alpha * x if x < 0",
            formulaLatex: "f(x) = \\begin{cases} x & x \\ge 0 \\\\ \\alpha x & x < 0 \\end{cases}",
            derivative: "f'(x) = 1 if x > 0, alpha if x < 0; df/dalpha = x if x < 0, else 0",
            derivativeLatex: "f'(x) = \\begin{cases} 1 & x > 0 \\\\ \\alpha & x < 0 \\end{cases}, \\quad \\frac{\\partial f}{\\partial \\alpha} = \\min(x, 0)",
            parameters: [
                ParameterSpec(
                    name: "alpha", kind: .numberOrPerChannel, requirement: PiecewiseSpec.defaulted(0.25),
                    learnable: true,
                    description: "Slope for x < 0: one number, or one per channel (axis 1 when ndim >= 2). PyTorch initialises it to 0.25."),
            ],
            range: "(-inf, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .none, dying: .none,
                notDifferentiableAt: ["x = 0"]),
            cost: .trivial,
            kinks: [
                Kink(location: "x = 0", locationAtDefaults: 0, pytorch: "alpha", pytorchAtDefaults: 0.25,
                     jax: "1", jaxAtDefaults: 1),
            ],
            year: 2015,
            reference: "He, Zhang, Ren & Sun 2015, Delving Deep into Rectifiers (arXiv:1502.01852)",
            notes: [
                "The gradient with respect to alpha is the sum of grad_output * x over negative inputs (per channel for a per-channel alpha).",
                "JAX has no prelu; under the JAX convention we follow Flax's PReLU, jnp.where(x >= 0, x, alpha * x), which takes 1 at x = 0.",
                "A learned alpha can grow beyond 1 or below 0, making the function non-monotonic; weight decay on alpha is usually left off for that reason.",
            ]),
        FunctionMetadata(
            function: .rrelu,
            summary: "Randomised leaky ReLU in evaluation mode: leaky ReLU with the mean slope (lower + upper)/2.",
            formula: "f(x) = x if x >= 0, (lower + upper)/2 * x if x < 0",
            formulaLatex: "f(x) = \\begin{cases} x & x \\ge 0 \\\\ \\tfrac{l + u}{2} x & x < 0 \\end{cases}",
            derivative: "f'(x) = 1 if x > 0, (lower + upper)/2 if x < 0",
            derivativeLatex: "f'(x) = \\begin{cases} 1 & x > 0 \\\\ \\tfrac{l + u}{2} & x < 0 \\end{cases}",
            parameters: [
                ParameterSpec(name: "lower", requirement: PiecewiseSpec.defaulted(1.0 / 8),
                              description: "Lower end of the training-time slope distribution."),
                ParameterSpec(name: "upper", requirement: PiecewiseSpec.defaulted(1.0 / 3),
                              description: "Upper end of the training-time slope distribution."),
            ],
            constraints: [.lessThanOrEqual("lower", "upper")],
            range: "(-inf, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .none, dying: .none,
                notDifferentiableAt: ["x = 0"]),
            cost: .trivial,
            kinks: [
                Kink(location: "x = 0", locationAtDefaults: 0, pytorch: "(lower + upper)/2",
                     pytorchAtDefaults: (1.0 / 8 + 1.0 / 3) / 2, jax: "1", jaxAtDefaults: 1),
            ],
            year: 2015,
            reference: "Xu, Wang, Chen & Li 2015, Empirical Evaluation of Rectified Activations in Convolutional Network (arXiv:1505.00853)",
            notes: [
                "In training each negative element gets a slope drawn from U(lower, upper), a regulariser; a service evaluates deterministically, so this is PyTorch's eval mode.",
                "PyTorch requires lower <= upper; with lower = upper it is leaky_relu.",
                "JAX has no rrelu; its convention here is leaky_relu's (1 at x = 0).",
            ]),
    ]
}

/// The algebraic functions: relu_squared, star_relu, softsign and squareplus.
extension Catalogue {
    static let piecewiseAlgebraicMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .reluSquared,
            summary: "The square of relu, found by search for transformer feed-forward layers.",
            formula: "f(x) = max(0, x)^2", formulaLatex: "f(x) = \\max(0, x)^2",
            derivative: "f'(x) = 2 max(0, x)", derivativeLatex: "f'(x) = 2 \\max(0, x)",
            range: "[0, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .negative,
                continuousDerivative: true),
            cost: .trivial,
            year: 2021,
            reference: "So et al. 2021, Primer: Searching for Efficient Transformers for Language Modeling (arXiv:2109.08668)",
            notes: [
                "Primer's squared ReLU improved language-model quality per unit of compute over gelu at no cost.",
                "Differentiable everywhere (f'(0) = 0 under both conventions), but the gradient grows linearly: watch for large activations.",
                "Negative inputs get no gradient, as under relu.",
            ]),
        FunctionMetadata(
            function: .starReLU,
            summary: "Squared relu with a learned scale and bias: scale * relu(x)^2 + bias.",
            formula: "f(x) = scale * max(0, x)^2 + bias",
            formulaLatex: "f(x) = s \\max(0, x)^2 + b",
            derivative: "f'(x) = 2 scale max(0, x); df/dscale = max(0, x)^2; df/dbias = 1",
            derivativeLatex: "f'(x) = 2 s \\max(0, x), \\quad \\frac{\\partial f}{\\partial s} = \\max(0, x)^2, \\quad \\frac{\\partial f}{\\partial b} = 1",
            parameters: [
                ParameterSpec(name: "scale", requirement: PiecewiseSpec.defaulted(1), learnable: true,
                              description: "Multiplies relu(x)^2."),
                ParameterSpec(name: "bias", requirement: PiecewiseSpec.defaulted(0), learnable: true,
                              description: "Added to the result."),
            ],
            range: "[0, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .negative,
                continuousDerivative: true),
            cost: .trivial,
            year: 2022,
            reference: "Yu et al. 2022, MetaFormer Baselines for Vision (arXiv:2210.13452)",
            notes: [
                "The scale and bias undo the change of mean and variance that squaring brings; the MetaFormer paper initialises them to 0.8944 and -0.4472 for unit-Gaussian inputs, we default to 1 and 0 (relu_squared).",
                "Cheaper than gelu (no erf) with similar accuracy in MetaFormer models.",
                "Partials are returned in the order scale, bias.",
            ]),
        FunctionMetadata(
            function: .softsign,
            summary: "An algebraic tanh: x / (1 + |x|), with polynomial rather than exponential tails.",
            formula: "f(x) = x / (1 + |x|)", formulaLatex: "f(x) = \\frac{x}{1 + |x|}",
            derivative: "f'(x) = 1 / (1 + |x|)^2", derivativeLatex: "f'(x) = \\frac{1}{(1 + |x|)^2}",
            range: "(-1, 1)",
            properties: FunctionProperties(
                zeroCentered: true, monotonicity: .increasing, vanishingGradient: .both, dying: .none,
                continuousDerivative: true),
            cost: .cheap,
            year: 2009,
            reference: "Bergstra, Desjardins, Lamblin & Bengio 2009, Quadratic Polynomials Learn Better Image Features; Glorot & Bengio 2010",
            notes: [
                "Like tanh it is odd, zero-centred and bounded, but its gradient decays as 1/x^2 instead of exponentially: it saturates more gently.",
                "One division instead of an exponential.",
                "f' is continuous (1 at 0) but f'' jumps at 0, so it is not smooth.",
            ]),
        FunctionMetadata(
            function: .squareplus,
            summary: "A softplus-like smooth rectifier from a square root: (x + sqrt(x^2 + b)) / 2.",
            formula: "f(x) = (x + sqrt(x^2 + b)) / 2, evaluated as b / (2 (sqrt(x^2 + b) - x)) for x < 0",
            formulaLatex: "f(x) = \\frac{x + \\sqrt{x^2 + b}}{2}",
            derivative: "f'(x) = (1 + x / sqrt(x^2 + b)) / 2",
            derivativeLatex: "f'(x) = \\frac{1}{2}\\left(1 + \\frac{x}{\\sqrt{x^2 + b}}\\right)",
            parameters: [
                ParameterSpec(name: "b", requirement: PiecewiseSpec.defaulted(4),
                              lowerBound: PiecewiseSpec.atLeast(0),
                              description: "Curvature near 0; b = 0 gives relu (with f'(0) = 1/2 here)."),
            ],
            range: "(0, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .none,
                smooth: true),
            cost: .cheap,
            year: 2021,
            reference: "Barron 2021, Squareplus: A Softplus-Like Algebraic Rectifier (arXiv:2112.11687); jax.nn.squareplus",
            notes: [
                "Shaped like softplus, but costs a square root instead of exp and log.",
                "The gradient vanishes only polynomially (like b / (4x^2)) as x goes to -inf.",
                "Evaluated without overflow of x^2 for any finite x and without cancellation for x < 0; JAX's literal formula returns 0 for large negative x and overflows x^2 beyond 1.3e154.",
                "With b = 0 it is relu, and x = 0 a kink where we take 1/2 under both conventions (the limit as b goes to 0); JAX's formula gives NaN there. PyTorch has no squareplus.",
            ]),
    ]
}

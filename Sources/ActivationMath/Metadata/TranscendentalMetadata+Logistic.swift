extension Catalogue {
    /// sigmoid, log_sigmoid, tanh, softplus: the logistic family.
    static let logisticMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .sigmoid,
            summary: "Logistic function 1/(1+e^-x): squashes to (0, 1), read as a probability.",
            formula: "1 / (1 + exp(-x))",
            formulaLatex: #"\sigma(x) = \frac{1}{1 + e^{-x}}"#,
            derivative: "sigmoid(x) * sigmoid(-x)",
            derivativeLatex: #"\sigma'(x) = \sigma(x)\,\sigma(-x)"#,
            range: "(0, 1)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .both, dying: .none,
                smooth: true),
            cost: .moderate,
            year: 1986,
            reference: "Rumelhart, Hinton & Williams, Learning representations by back-propagating errors, Nature 323 (1986); the logistic function is Verhulst's (1845)",
            notes: [
                "Saturates on both sides and sigma' <= 1/4, so gradients shrink by at least 4x per layer: the vanishing-gradient problem of deep sigmoid networks. Outputs are not zero-centred (always positive), which slows learning in the next layer; prefer tanh or relu inside networks and keep sigmoid for gates and binary outputs.",
                "The derivative is computed as sigma(x)·sigma(-x), never y(1 - y), which is exactly 0 once y rounds to 1 (x ≈ 16.6 in float32, 36.7 in float64) while the true value e^-x is representable down to x ≈ 745.",
            ]),
        FunctionMetadata(
            function: .logSigmoid,
            summary: "log(sigmoid(x)) = -softplus(-x), without underflow: the log-likelihood term of logistic losses.",
            formula: "min(x, 0) - log1p(exp(-|x|))",
            formulaLatex: #"\log\sigma(x) = \min(x, 0) - \log\!\left(1 + e^{-|x|}\right)"#,
            derivative: "sigmoid(-x)",
            derivativeLatex: #"\sigma(-x) = \frac{1}{1 + e^{x}}"#,
            range: "(-inf, 0)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .positive, dying: .none,
                smooth: true),
            cost: .moderate,
            year: 1958,
            reference: "Cox, The Regression Analysis of Binary Sequences, JRSS B 20 (1958): the log-likelihood of logistic regression",
            notes: [
                "log(sigmoid(x)) computed naively is log(0) = -inf for x < -745; this form is x - log1p(e^x) there, exact.",
                "Used in binary cross-entropy and word2vec's negative sampling rather than as a hidden activation; its gradient sigmoid(-x) vanishes for large positive x.",
            ]),
        FunctionMetadata(
            function: .tanh,
            summary: "Hyperbolic tangent: a zero-centred sigmoid with outputs in (-1, 1).",
            formula: "tanh(x) = (e^x - e^-x) / (e^x + e^-x)",
            formulaLatex: #"\tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}"#,
            derivative: "1 - tanh(x)^2 = 4 / (e^x + e^-x)^2",
            derivativeLatex: #"\operatorname{sech}^2 x = \frac{4}{(e^{x} + e^{-x})^2}"#,
            range: "(-1, 1)",
            properties: FunctionProperties(
                zeroCentered: true, monotonicity: .increasing, vanishingGradient: .both, dying: .none,
                smooth: true),
            cost: .moderate,
            year: 1998,
            reference: "LeCun, Bottou, Orr & Müller, Efficient BackProp, in Neural Networks: Tricks of the Trade (1998)",
            notes: [
                "tanh(x) = 2·sigmoid(2x) - 1: zero-centred outputs and tanh'(0) = 1 (against sigmoid's 1/4) made it the hidden activation of choice before relu; it still saturates on both sides (vanishing gradients), and remains standard inside LSTM and GRU cells.",
                "The derivative is never formed as 1 - t², which is exactly 0 beyond |x| ≈ 19.1 in float64 while the truth is 4e^-2|x|.",
            ]),
        FunctionMetadata(
            function: .softplus,
            summary: "Smooth relu log(1 + e^(beta·x))/beta, computed exactly by default.",
            formula: "max(x, 0) + log1p(exp(-beta * |x|)) / beta; with threshold given: x when beta * x > threshold",
            formulaLatex: #"\frac{1}{\beta}\log\!\left(1 + e^{\beta x}\right) = \max(x, 0) + \frac{1}{\beta}\log\!\left(1 + e^{-\beta |x|}\right)"#,
            derivative: "sigmoid(beta * x); with threshold given: 1 when beta * x > threshold",
            derivativeLatex: #"\sigma(\beta x)"#,
            parameters: [
                .transcendental("beta", default: 1, above: 0, "Sharpness: softplus tends to relu as beta grows; > 0."),
                ParameterSpec(
                    name: "threshold", requirement: .optional,
                    description: "When given, PyTorch's linear cut-over: x itself (derivative 1) where beta·x > threshold (PyTorch's default is 20). Absent by default: exact everywhere."),
            ],
            range: "(0, inf)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .none,
                smooth: true),
            cost: .moderate,
            year: 2001,
            reference: "Dugas, Bengio, Bélisle, Nadeau & Garcia, Incorporating Second-Order Functional Knowledge for Better Option Pricing, NIPS 2000 (2001); Glorot, Bordes & Bengio, Deep Sparse Rectifier Neural Networks (2011)",
            notes: [
                "A relu without the kink and without dead units (f' = sigmoid(beta·x) > 0 everywhere), at the cost of an exp and a log; it is never exactly 0, so it gives no sparsity.",
                "PyTorch defaults to threshold = 20 and returns x beyond it, an error of up to e^-20 ≈ 2e-9 relative and a jump of f' from sigmoid(threshold) to 1 at x = threshold/beta (PyTorch takes sigmoid(threshold) at the point itself, its test being beta·x > threshold). We are exact unless a threshold is given; JAX's softplus (logaddexp(x, 0)) has no threshold. At the defaults there is no cut-over, hence no kink is listed.",
                "beta·x is carried with its rounding error, so e^(-beta·|x|) and sigmoid(beta·x) do not inherit it amplified |beta·x|-fold.",
            ]),
    ]
}

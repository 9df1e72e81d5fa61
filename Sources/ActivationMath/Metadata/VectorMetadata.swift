// The vector functions' metadata. What the per-function fields mean for a function of a whole
// slice (the same convention for all eight, checked by the engine's VectorPropertiesTests):
// - `range` is the range of each output component over all inputs, and the properties read from
//   it (bounded_below, bounded_above, takes_both_signs) are too.
// - The shape properties describe one output component as a function of one input, the other
//   inputs held fixed (`propertiesOf` says so in the answer): for softmax-like functions yᵢ as a
//   function of xᵢ; for the GLU family out_k as a function of its gated input h_k with the value
//   input l_k = 1 (the activation itself), and separately (`valueHalfProperties`) as a function
//   of l_k with h_k = 1 (a line through 0 of slope act(1) > 0).

extension Catalogue {
    /// The "gate" parameter shared by the GLU family.
    private static let gate = ParameterSpec(
        name: "gate", kind: .choice(["second", "first"]), requirement: .defaulted(.choice("second")),
        description: "Which half of the split axis goes through the activation: \"second\" (PyTorch's glu) "
            + "or \"first\" (LLaMA-style MLPs, act(xW) ⊙ xV).")

    private static let softmaxLike = FunctionProperties(
        zeroCentered: false, monotonicity: .increasing, vanishingGradient: .both, dying: .none, smooth: true)

    /// out = l · act(1) as a function of the value input l: a line through 0 with positive slope.
    private static let valueHalf = FunctionProperties(
        zeroCentered: true, monotonicity: .increasing, vanishingGradient: .none, dying: .none, smooth: true)

    private static let slicePropertiesOf = "One output y_i as a function of its own input x_i, the other inputs "
        + "of the slice held fixed. The range, and the bounded and sign properties read from it, cover "
        + "every output over all inputs."

    private static let gatedHalfPropertiesOf = "The gated half: one output as a function of its gated input h "
        + "(the half that goes through the activation), its value input held at 1, so the curve is the "
        + "activation itself. The range, and the bounded and sign properties read from it, cover every "
        + "output over all inputs of both halves."

    private static func valueHalfPropertiesOf(_ act: String) -> String {
        "The value half: one output as a function of its value input l, its gated input held at 1: a straight "
            + "line through 0 with slope \(act)(1) > 0. The range, and the bounded and sign properties read "
            + "from it, cover every output over all inputs of both halves."
    }

    private static let inf = "Special values as PyTorch: a NaN or +inf entry makes the whole slice NaN "
        + "(+inf − +inf), a slice of only −inf is NaN (0/0), a −inf entry among finite ones gives 0 "
        + "and a zero gradient (pytorch#6864, pytorch#25110)."

    private static let propertiesNote = "Shape properties describe one output yᵢ as a function of its own "
        + "input xᵢ, the rest of the slice fixed; range and bounds cover all outputs."

    private static let gluNote = "Shape properties are given for each half: `properties` for the gated "
        + "input (the value input fixed at 1: the activation itself), `value_half_properties` for the value "
        + "input (the gated input fixed at 1: a line through 0, so zero-centred); range and bounds cover all "
        + "inputs, unbounded on both sides because the value half is. The split axis must have even length "
        + "and halves in the output."

    static let vectorMetadata: [FunctionMetadata] = [
        FunctionMetadata(
            function: .softmax, summary: "Normalised exponentials along an axis: a probability distribution.",
            formula: "y_i = exp(x_i - max x) / sum_j exp(x_j - max x)",
            formulaLatex: #"y_i = \frac{e^{x_i - \max x}}{\sum_j e^{x_j - \max x}}"#,
            derivative: "dx = y * (g - sum_j g_j y_j)",
            derivativeLatex: #"\bar x = y \odot \left(g - \textstyle\sum_j g_j y_j\right)"#,
            range: "(0, 1)", properties: softmaxLike, cost: .moderate, year: 1989,
            reference: "Bridle 1989, Training stochastic model recognition algorithms as networks can lead to "
                + "maximum mutual information estimation of parameters",
            notes: [
                "Computed with the maximum subtracted, so no input overflows; the rounding of x_i − max is "
                    + "carried through exp so that far-off entries stay accurate.",
                "Saturates: when one entry dominates, every gradient is tiny; temperature scaling or "
                    + "log_softmax (for losses) avoids it.", inf, propertiesNote,
            ], propertiesOf: slicePropertiesOf),
        FunctionMetadata(
            function: .logSoftmax, summary: "Logarithm of softmax, computed without forming softmax.",
            formula: "y_i = (x_i - max x) - log(sum_j exp(x_j - max x))",
            formulaLatex: #"y_i = x_i - \max x - \log \sum_j e^{x_j - \max x}"#,
            derivative: "dx = g - softmax(x) * sum_j g_j",
            derivativeLatex: #"\bar x = g - \operatorname{softmax}(x) \textstyle\sum_j g_j"#,
            range: "(-inf, 0]",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .positive, dying: .none,
                smooth: true),
            cost: .moderate, year: 1989, reference: "Bridle 1989; the log-sum-exp form of PyTorch's log_softmax",
            notes: [
                "The stable choice for cross-entropy losses: no log of an underflowed probability.",
                "log Σ is taken as log1p of the sum without the maximum's term, so a dominant entry gets its "
                    + "tiny negative value exactly.", inf, propertiesNote,
            ], propertiesOf: slicePropertiesOf),
        FunctionMetadata(
            function: .softmin, summary: "softmax of the negated input: weights favour the smallest entries.",
            formula: "y_i = exp(-x_i + min x) / sum_j exp(-x_j + min x)",
            formulaLatex: #"y_i = \frac{e^{-x_i + \min x}}{\sum_j e^{-x_j + \min x}}"#,
            derivative: "dx = -y * (g - sum_j g_j y_j)",
            derivativeLatex: #"\bar x = -y \odot \left(g - \textstyle\sum_j g_j y_j\right)"#,
            range: "(0, 1)",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .decreasing, vanishingGradient: .both, dying: .none,
                smooth: true),
            cost: .moderate, year: 2017, reference: "PyTorch torch.nn.Softmin",
            notes: [
                "Decreasing in its own input: monotonicity is \"decreasing\" (the deprecated monotonic, which means "
                    + "non-decreasing, is false).",
                "Special values as softmax of −x: a −inf entry makes the slice NaN, a +inf entry gets 0.",
                propertiesNote,
            ], propertiesOf: slicePropertiesOf),
        FunctionMetadata(
            function: .sparsemax, summary: "Euclidean projection onto the simplex: a distribution with exact zeros.",
            formula: "y_i = max(x_i - tau, 0), tau such that sum_i y_i = 1",
            formulaLatex: #"y_i = \max(x_i - \tau, 0),\ \tau: \textstyle\sum_i y_i = 1"#,
            derivative: "dx_i = g_i - mean_{j in S} g_j on the support S = {i : y_i > 0}, 0 elsewhere",
            derivativeLatex: #"\bar x_i = [y_i > 0]\left(g_i - \tfrac{1}{|S|}\textstyle\sum_{j \in S} g_j\right)"#,
            range: "[0, 1]",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .both, dying: .both,
                notDifferentiableAt: ["x_i where y_i leaves 0", "x_i where y_i reaches 1"]),
            cost: .cheap, year: 2016,
            reference: "Martins & Astudillo 2016, From Softmax to Sparsemax: A Sparse Model of Attention and "
                + "Multi-Label Classification",
            notes: [
                "Sorts each slice (O(L log L)); τ = (sum of the k largest − 1)/k for the largest k with "
                    + "1 + k·x_(k) > sum of the k largest.",
                "Gives exact zeros, so attention or labels can be sparse; its gradient is zero off the support.",
                "Keras's sparsemax is wrong whenever two or more outputs are non-zero (keras-team/keras#23425); "
                    + "this one is checked against 50-digit references in exactly those cases.",
                "Special values chosen to match softmax: a NaN or +inf entry, or a slice of only −inf, makes "
                    + "the slice NaN; −inf entries get 0.", propertiesNote,
                "Not differentiable where yᵢ leaves 0 or reaches 1 as xᵢ moves (the support changes): on the "
                    + "slice (xᵢ, 0.3, −1.2) at xᵢ = −0.7 and xᵢ = 1.3. Its gradient is exactly 0 beyond both, "
                    + "so it vanishes and dies on both sides.",
            ], propertiesOf: slicePropertiesOf),
        gated(
            .glu, act: "sigmoid", year: 2017,
            reference: "Dauphin et al. 2017, Language Modeling with Gated Convolutional Networks",
            properties: softmaxLike,
            cost: .moderate,
            notes: ["The gate sigmoid(b) saturates at both ends; PyTorch, JAX and Keras ship it."]),
        gated(
            .reglu, act: "relu", year: 2020,
            reference: "Shazeer 2020, GLU Variants Improve Transformer",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .increasing, vanishingGradient: .negative, dying: .negative,
                notDifferentiableAt: ["h = 0"], selfGated: true),
            cost: .trivial,
            notes: ["Kink at a gated input of 0, where the gated half's gradient is relu'(0) = 0 in both "
                + "conventions. In no framework's built-ins."],
            kinks: [Kink(location: "h = 0", locationAtDefaults: 0, pytorch: "0", pytorchAtDefaults: 0,
                         jax: "0", jaxAtDefaults: 0)]),
        gated(
            .geglu, act: "gelu", year: 2020,
            reference: "Shazeer 2020, GLU Variants Improve Transformer",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .none, vanishingGradient: .negative, dying: .none, smooth: true,
                selfGated: true),
            cost: .expensive,
            notes: ["Takes gelu's `approximate` (\"none\", exact through erfc, the default as in PyTorch; "
                + "or \"tanh\"). In no framework's built-ins."],
            extra: [ParameterSpec(
                name: "approximate", kind: .choice(["none", "tanh"]), requirement: .defaulted(.choice("none")),
                description: "gelu's form: \"none\" (exact, PyTorch's default) or \"tanh\" (JAX's default).")]),
        gated(
            .swiglu, act: "swish", year: 2020,
            reference: "Shazeer 2020, GLU Variants Improve Transformer",
            properties: FunctionProperties(
                zeroCentered: false, monotonicity: .none, vanishingGradient: .negative, dying: .none, smooth: true,
                selfGated: true),
            cost: .moderate,
            notes: ["swish with beta = 1 (silu); the MLP of LLaMA and PaLM, usually with gate \"first\". "
                + "In no framework's built-ins."]),
    ]

    private static func gated(
        _ function: ActivationFunction, act: String, year: Int, reference: String,
        properties: FunctionProperties, cost: CostClass, notes: [String], kinks: [Kink] = [],
        extra: [ParameterSpec] = []
    ) -> FunctionMetadata {
        FunctionMetadata(
            function: function,
            summary: "Splits the axis into halves a, b and returns a ⊙ \(act)(b) (gate \"second\") or \(act)(a) ⊙ b.",
            formula: "out = a * \(act)(b) (gate second); out = \(act)(a) * b (gate first)",
            formulaLatex: #"\mathrm{out} = a \odot \mathrm{"# + act + #"}(b)"#,
            derivative: "with h the gated half and l the other: dl = g * \(act)(h), dh = g * l * \(act)'(h)",
            derivativeLatex: #"\bar l = g \odot \mathrm{"# + act + #"}(h),\ \bar h = g \odot l \odot \mathrm{"# + act
                + #"}'(h)"#,
            parameters: [gate] + extra, range: "(-inf, inf)", properties: properties, cost: cost, kinks: kinks,
            year: year, reference: reference, notes: notes + [gluNote], propertiesOf: gatedHalfPropertiesOf,
            valueHalfProperties: valueHalf, valueHalfPropertiesOf: valueHalfPropertiesOf(act))
    }
}

"""Which parameter sets, kinks and extra sample regions each function gets.

CASES: function -> list of parameter sets (the first is the defaults of issue 2's table; the
others exercise the parameters, including values that are not exact in binary so that the
float32 rounding of parameters is covered). Choice parameters are strings; numbers are floats
that the generator rounds to the dtype.

KINKS: function -> (lambda P: list of real locations) where f or f' is not smooth; the
generator samples each location rounded to the dtype and its float neighbours.

REGIONS: function -> extra regions where accuracy is hard (cancellation, underflow of a tail,
overflow), as (low, high, count, "lin" or "log"); "log" samples |x| log-uniformly on both signs.
"""
import mpmath as mp

CASES = {
    "identity": [{}],
    "relu": [{}],
    "leaky_relu": [{"alpha": 0.01}, {"alpha": 0.2}],
    "prelu": [{"alpha": 0.25}, {"alpha": 0.1}],
    "rrelu": [{"lower": 1 / 8, "upper": 1 / 3}, {"lower": 0.1, "upper": 0.3}],
    "relu6": [{}],
    "leaky_relu6": [{"alpha": 0.01, "cap": 6.0}, {"alpha": 0.2, "cap": 6.0}],
    "hardtanh": [{"min_val": -1.0, "max_val": 1.0}, {"min_val": -2.0, "max_val": 3.0}],
    "hard_sigmoid": [{}],
    "hard_swish": [{}],
    "hardshrink": [{"lambd": 0.5}, {"lambd": 0.3}],
    "softshrink": [{"lambd": 0.5}, {"lambd": 1.3}],
    # Both parameters are required; set 0 is where the metadata states its properties (relu).
    "threshold": [{"threshold": 0.0, "value": 0.0}, {"threshold": 0.5, "value": -1.0},
                  {"threshold": -1.1, "value": 2.0}],
    "sparse_plus": [{}],
    "sparse_sigmoid": [{}],
    "relu_squared": [{}],
    "star_relu": [{"scale": 1.0, "bias": 0.0}, {"scale": 0.8944, "bias": -0.4472}],
    "softsign": [{}],
    "squareplus": [{"b": 4.0}, {"b": 1.0}],
    "elu": [{"alpha": 1.0}, {"alpha": 0.5}],
    "selu": [{}],
    "celu": [{"alpha": 1.0}, {"alpha": 2.0}],
    "gelu": [{"approximate": "none"}, {"approximate": "tanh"}],
    "sigmoid": [{}],
    "log_sigmoid": [{}],
    "tanh": [{}],
    "softplus": [{"beta": 1.0}, {"beta": 2.0}, {"beta": 1.0, "threshold": 20.0}],
    "swish": [{"beta": 1.0}, {"beta": 1.702}],
    "mish": [{}],
    "tanhshrink": [{}],
    "exponential": [{}],
    "snake": [{"alpha": 1.0}, {"alpha": 0.5}],
}

# Learnable parameters, in metadata order (issue 2 §1).
LEARNABLE = {"prelu": ["alpha"], "swish": ["beta"], "star_relu": ["scale", "bias"],
             "snake": ["alpha"]}

ZERO = lambda P: [0]
KINKS = {
    "relu": ZERO, "leaky_relu": ZERO, "prelu": ZERO, "rrelu": ZERO,
    "relu6": lambda P: [0, 6],
    "leaky_relu6": lambda P: [0, P["cap"]],
    "hardtanh": lambda P: [P["min_val"], P["max_val"]],
    "hard_sigmoid": lambda P: [-3, 3], "hard_swish": lambda P: [-3, 3],
    "hardshrink": lambda P: [-P["lambd"], P["lambd"]],
    "softshrink": lambda P: [-P["lambd"], P["lambd"]],
    "threshold": lambda P: [P["threshold"]],
    "sparse_plus": lambda P: [-1, 1], "sparse_sigmoid": lambda P: [-1, 1],
    "relu_squared": ZERO, "star_relu": ZERO, "softsign": ZERO,
    "elu": ZERO, "selu": ZERO, "celu": ZERO,
    "softplus": lambda P: [P["threshold"] / P["beta"]] if "threshold" in P else [],
    # snake' = 1 + sin(2 alpha x) vanishes at x = -pi/(4 alpha) + k pi/alpha: cancellation.
    "snake": lambda P: [(-mp.pi / 4 + k * mp.pi) / P["alpha"] for k in range(-4, 5)],
}

TAILS = [(-800, -20, 120, "lin"), (20, 800, 60, "lin")]
SMALL = [(2.0 ** -60, 1.0, 120, "log")]
REGIONS = {
    "tanhshrink": [(2.0 ** -40, 2.0, 240, "log")],
    "gelu": [(-40, -5, 240, "lin"), (5, 12, 40, "lin")] + SMALL,
    "log_sigmoid": TAILS, "mish": TAILS + [(-2, 0, 60, "lin")], "softplus": TAILS,
    "swish": TAILS + [(-2, 0, 60, "lin")], "sigmoid": TAILS, "tanh": SMALL + [(15, 25, 60, "lin")],
    "snake": [(2.0 ** -60, 0.5, 200, "log")],
    "elu": SMALL + TAILS, "selu": SMALL + TAILS, "celu": SMALL + TAILS,
    "exponential": [(-750, -700, 80, "lin"), (700, 710, 80, "lin"),
                    (-104, -85, 60, "lin"), (85, 89, 60, "lin")] + SMALL,
    "squareplus": [(-1e6, -1e3, 60, "lin")] + SMALL,
    "softsign": SMALL, "sparse_plus": SMALL,
}

"""The exact (mpmath) definitions of the elementwise functions, their derivatives and partials.

Each definition takes x and the parameters as mpf values (already rounded to the dtype being
generated) and returns a dict: "f" the value, "d" the derivative with PyTorch's kink convention,
optionally "dj" the derivative with JAX's (when absent it equals "d"), and optionally "p", the
partials with respect to the learnable parameters in metadata order. Every comparison that
decides a branch is an exact comparison of reals, so kink points take exactly the convention's
value. Kink conventions follow issue 2 and docs/numerical-conventions.md §7:
PyTorch: relu'(0)=0, leaky_relu'(0)=alpha, elu'(0)=alpha, hardtanh/relu6/hard_sigmoid/
sparse_sigmoid 0 at their bounds, hard_swish 0 at -3 and 1 at 3, hard/softshrink 0 at ±lambd,
threshold 0 at the threshold. JAX: leaky_relu'(0)=1 (jnp.where(x >= 0, ...)), hardtanh 1 at its
bounds (nested jnp.where), sparse_sigmoid 0.25 at ±1 (jnp.clip, whose max/min split ties),
everything else as PyTorch.

Arguments of exp, tanh and erfc are clamped to ±2**16: beyond that the results are so far below
the smallest subnormal (or above the largest float) that no downstream factor (at most |x|**3 <
2**3100) brings them back, and mpmath would otherwise spend seconds on exponents of 10**900.
"""
import mpmath as mp

CLAMP = mp.mpf(2) ** 16
SELU_ALPHA = "1.6732632423543772848170429916717"
SELU_LAMBDA = "1.0507009873554804934193349852946"


def _c(t):
    return max(min(t, CLAMP), -CLAMP)


def exp(t):
    return mp.exp(_c(t))


def expm1(t):
    return mp.expm1(_c(t))


def tanh(t):
    return mp.tanh(_c(t))


def sech2(t):
    return 1 / mp.cosh(_c(t)) ** 2


def sig(t):
    """The logistic sigmoid, 1/(1+e^-t)."""
    return 1 / (1 + exp(-t))


def erfc(z):
    return mp.erfc(max(min(z, mp.mpf(10) ** 4), -mp.mpf(10) ** 4))


def relu(x):
    return {"f": x if x > 0 else mp.mpf(0), "d": mp.mpf(1 if x > 0 else 0)}


def leaky(x, a):
    return {"f": x if x >= 0 else a * x, "d": mp.mpf(1) if x > 0 else a,
            "dj": mp.mpf(1) if x >= 0 else a}


def leaky_relu(x, P):
    return leaky(x, P["alpha"])


def prelu(x, P):
    r = leaky(x, P["alpha"])
    r["p"] = [x if x < 0 else mp.mpf(0)]
    return r


def rrelu(x, P):
    return leaky(x, (P["lower"] + P["upper"]) / 2)


def clamp(x, lo, hi):
    f = min(max(x, lo), hi)
    return {"f": f, "d": mp.mpf(1 if lo < x < hi else 0), "dj": mp.mpf(1 if lo <= x <= hi else 0)}


def relu6(x, P):
    r = clamp(x, mp.mpf(0), mp.mpf(6))
    r["dj"] = r["d"]  # jax.nn.relu6 has a custom JVP that is 0 at both bounds
    return r


def leaky_relu6(x, P):
    a, cap = P["alpha"], P["cap"]
    inner = max(a * x, x)
    if a * x > x:
        di = dj = a
    elif x > a * x:
        di = dj = mp.mpf(1)
    else:  # x = 0: PyTorch's leaky_relu takes alpha there, JAX's jnp.where(x >= 0) takes 1
        di, dj = a, mp.mpf(1)
    if inner > cap:
        return {"f": cap, "d": mp.mpf(0)}
    if inner == cap:  # both conventions: 0 at the cap, as relu6
        return {"f": cap, "d": mp.mpf(0)}
    return {"f": inner, "d": di, "dj": dj}


def hardtanh(x, P):
    return clamp(x, P["min_val"], P["max_val"])


def hard_sigmoid(x, P):
    f = min(max(x + 3, 0), 6) / 6
    return {"f": f, "d": mp.mpf(1) / 6 if -3 < x < 3 else mp.mpf(0)}


def hard_swish(x, P):
    if x <= -3:
        return {"f": mp.mpf(0), "d": mp.mpf(0)}
    if x >= 3:
        return {"f": x, "d": mp.mpf(1)}
    return {"f": x * (x + 3) / 6, "d": (2 * x + 3) / 6}


def hardshrink(x, P):
    lam = P["lambd"]
    return {"f": x if abs(x) > lam else mp.mpf(0), "d": mp.mpf(1 if abs(x) > lam else 0)}


def softshrink(x, P):
    lam = P["lambd"]
    f = x - lam if x > lam else (x + lam if x < -lam else mp.mpf(0))
    return {"f": f, "d": mp.mpf(1 if abs(x) > lam else 0)}


def threshold(x, P):
    t, v = P["threshold"], P["value"]
    return {"f": x if x > t else v, "d": mp.mpf(1 if x > t else 0)}


def sparse_plus(x, P):
    if x <= -1:
        return {"f": mp.mpf(0), "d": mp.mpf(0)}
    if x >= 1:
        return {"f": x, "d": mp.mpf(1)}
    return {"f": (x + 1) ** 2 / 4, "d": (x + 1) / 2}


def sparse_sigmoid(x, P):
    f = min(max(x + 1, 0), 2) / 2
    d = mp.mpf(0.5) if -1 < x < 1 else mp.mpf(0)
    dj = mp.mpf(0.25) if abs(x) == 1 else d
    return {"f": f, "d": d, "dj": dj}


def relu_squared(x, P):
    r = max(x, 0)
    return {"f": r * r, "d": 2 * r}


def star_relu(x, P):
    s, b = P["scale"], P["bias"]
    r = max(x, 0)
    return {"f": s * r * r + b, "d": 2 * s * r, "p": [r * r, mp.mpf(1)]}


def softsign(x, P):
    return {"f": x / (1 + abs(x)), "d": 1 / (1 + abs(x)) ** 2}


def squareplus(x, P):
    s = mp.sqrt(x * x + P["b"])
    return {"f": (x + s) / 2, "d": (1 + x / s) / 2}


def elu_with(x, a):
    if x > 0:
        return {"f": x, "d": mp.mpf(1)}
    return {"f": a * expm1(x), "d": a * exp(x)}


def elu(x, P):
    return elu_with(x, P["alpha"])


def selu(x, P):
    lam, a = mp.mpf(SELU_LAMBDA), mp.mpf(SELU_ALPHA)
    r = elu_with(x, a)
    return {"f": lam * r["f"], "d": lam * r["d"]}


def celu(x, P):
    a = P["alpha"]
    if x > 0:
        return {"f": x, "d": mp.mpf(1)}
    return {"f": a * expm1(x / a), "d": exp(x / a)}


def gelu(x, P):
    if P["approximate"] == "tanh":
        k = mp.sqrt(2 / mp.pi)
        c = mp.mpf("0.044715")
        u = k * (x + c * x ** 3)
        du = k * (1 + 3 * c * x * x)
        s, sm = sig(2 * u), sig(-2 * u)
        return {"f": x * s, "d": s + x * 2 * du * s * sm}
    cdf = erfc(-x / mp.sqrt(2)) / 2
    pdf = exp(-x * x / 2) / mp.sqrt(2 * mp.pi)
    return {"f": x * cdf, "d": cdf + x * pdf}


def sigmoid(x, P):
    return {"f": sig(x), "d": sig(x) * sig(-x)}


def log_sigmoid(x, P):
    return {"f": min(x, 0) - mp.log1p(exp(-abs(x))), "d": sig(-x)}


def tanh_(x, P):
    return {"f": tanh(x), "d": sech2(x)}


def softplus(x, P):
    b = P["beta"]
    t = P.get("threshold")
    if t is not None and b * x > t:
        return {"f": x, "d": mp.mpf(1)}
    return {"f": max(x, 0) + mp.log1p(exp(-b * abs(x))) / b, "d": sig(b * x)}


def swish(x, P):
    b = P["beta"]
    s, sm = sig(b * x), sig(-b * x)
    return {"f": x * s, "d": s + b * x * s * sm, "p": [x * x * s * sm]}


def mish(x, P):
    sp = max(x, 0) + mp.log1p(exp(-abs(x)))
    t = tanh(sp)
    return {"f": x * t, "d": t + x * sech2(sp) * sig(x)}


def tanhshrink(x, P):
    return {"f": x - tanh(x), "d": tanh(x) ** 2}


def exponential(x, P):
    e = exp(x)
    return {"f": e, "d": e}


def snake(x, P):
    a = P["alpha"]
    s = mp.sin(a * x)
    s2 = mp.sin(2 * a * x)
    return {"f": x + s * s / a, "d": 1 + s2, "p": [x * s2 / a - s * s / (a * a)]}


def identity(x, P):
    return {"f": x, "d": mp.mpf(1)}


DEFINITIONS = {
    "identity": identity, "relu": lambda x, P: relu(x), "leaky_relu": leaky_relu,
    "prelu": prelu, "rrelu": rrelu, "relu6": relu6, "leaky_relu6": leaky_relu6,
    "hardtanh": hardtanh, "hard_sigmoid": hard_sigmoid, "hard_swish": hard_swish,
    "hardshrink": hardshrink, "softshrink": softshrink, "threshold": threshold,
    "sparse_plus": sparse_plus, "sparse_sigmoid": sparse_sigmoid, "relu_squared": relu_squared,
    "star_relu": star_relu, "softsign": softsign, "squareplus": squareplus, "elu": elu,
    "selu": selu, "celu": celu, "gelu": gelu, "sigmoid": sigmoid, "log_sigmoid": log_sigmoid,
    "tanh": tanh_, "softplus": softplus, "swish": swish, "mish": mish,
    "tanhshrink": tanhshrink, "exponential": exponential, "snake": snake,
}

# Limits that do not exist: snake(x) = x + sin²(alpha x)/alpha tends to ±inf with x, but its
# derivative 1 + sin(2 alpha x) and its alpha partial oscillate, so those are NaN at ±inf
# (docs/numerical-conventions.md §5: the mathematical limit where it exists, NaN where it does not).
NAN_AT_INFINITY = {"snake"}

#!/usr/bin/env python3
"""Reference values for the engine's vector functions, computed at 90 digits, confirmed at 125,
correctly rounded.

Run once (not in CI):  python3 scripts/references/vector_references.py
Writes Tests/ActivationEngineTests/References/vector.tsv, one case per line, tab-separated:

    function  dtype  params  x  g  y  dx

params is "-" or "name=value,..." (gate, approximate); x, g (grad_output), y (values) and dx
(the VJP Jᵀg) are comma-separated IEEE bit patterns in hex of the dtype (8 digits for float32,
16 for float64), x and dx of the slice length, g and y of the output length. y and dx are the
exact results correctly rounded to the dtype, and the tests measure errors in plain ulps of them,
also where the VJP's formula cancels (softmax: yᵢ·(gᵢ − Σgⱼyⱼ) with gᵢ near Σgⱼyⱼ). Every case
is computed twice, 35 digits apart, and must round the same both times (else again at 300
digits): that covers cancellations of up to about 10⁻⁷⁰. scripts/references/adversarial.py
writes a second table of the same format, vector-adversarial.tsv, from its search.

Special values follow PyTorch (pytorch#6864, #25110): a NaN or +inf entry, or a slice of only
-inf, makes the softmax family's slice NaN; sparsemax does the same by the engine's choice.
Inputs are chosen in the dtype, so the reference is f(x) of exactly the stored x.
"""
import math
import os
import random
import struct
from fractions import Fraction

import mpmath as mp

import functions as F  # the clamped exp, erfc and sigmoid of the elementwise references

mp.mp.dps = 90
INF = float("inf")
NAN = float("nan")


# MARK: - rounding and encoding

def round_to(v, dtype):
    """Correctly rounds the real v (mpf) to float32 or float64 (nearest, ties to even), as a
    Python float holding the rounded value exactly."""
    if mp.isnan(v):
        return NAN
    if mp.isinf(v):
        return INF if v > 0 else -INF
    bits, emin, emax = (24, -126, 127) if dtype == "f32" else (53, -1022, 1023)
    if v == 0:
        return 0.0
    sign = -1 if v < 0 else 1
    a = abs(v)
    e = int(mp.floor(mp.log(a, 2)))
    # guard against log rounding at exact powers of two
    if mp.mpf(2) ** e > a:
        e -= 1
    if mp.mpf(2) ** (e + 1) <= a:
        e += 1
    quantum_exp = max(e, emin) - (bits - 1)
    q = a / mp.mpf(2) ** quantum_exp
    n = int(mp.floor(q))
    frac = q - n
    if frac > 0.5 or (frac == 0.5 and n % 2 == 1):
        n += 1
    r = mp.mpf(n) * mp.mpf(2) ** quantum_exp
    if r >= mp.mpf(2) ** (emax + 1):
        return sign * INF
    return sign * float(r)


def enc(values, dtype):
    if dtype == "f32":
        return ",".join("%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in values)
    return ",".join("%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in values)


def in_dtype(x, dtype):
    """x (a float) rounded to the dtype."""
    return round_to(mp.mpf(x), dtype) if math.isfinite(x) else x


# MARK: - exact definitions

def diff(v, m):
    """v − m exactly (doubles differ by at most 2^2098, so 2200 bits hold it), clamped at −2^16
    where exp is far below every subnormal, so mpmath never works on exponents of 10^300."""
    with mp.workprec(2200):
        d = mp.mpf(v) - m
    return max(d, -mp.mpf(2) ** 16)


def softmax(x):
    """softmax and the values needed for its VJP; None for a NaN slice (PyTorch's rules)."""
    if any(math.isnan(v) or v == INF for v in x) or all(v == -INF for v in x):
        return None
    m = max(mp.mpf(v) for v in x if v != -INF)
    e = [mp.mpf(0) if v == -INF else mp.exp(diff(v, m)) for v in x]
    s = mp.fsum(e)
    return [t / s for t in e]


def softmax_vjp(y, g, x):
    """dxᵢ = yᵢ·(gᵢ − Σⱼgⱼyⱼ) = yᵢ·Σⱼ yⱼ·(gᵢ − gⱼ), exactly 0 when it is 0 (see exactly_zero)."""
    out = []
    for i, (gi, yi) in enumerate(zip(g, y)):
        if exactly_zero([(x[j], gi - g[j]) for j in range(len(x)) if y[j] != 0]):
            out.append(mp.mpf(0))
        else:
            out.append(yi * mp.fsum(yj * (gi - gj) for gj, yj in zip(g, y)))
    return out


def exactly_zero(terms):
    """Whether Σ c·e^v over (v, c) pairs, v and c floats, is exactly 0: the exponentials of
    distinct rationals are linearly independent over the algebraic numbers (Lindemann–
    Weierstrass), so it is 0 exactly when the coefficients of each distinct v sum to 0. No finite
    precision can tell a zero VJP from a tiny one; this can."""
    groups = {}
    with mp.workprec(2300):
        for v, c in terms:
            groups[v] = groups.get(v, mp.mpf(0)) + mp.mpf(c)
    return all(c == 0 for c in groups.values())


def log_softmax(x):
    if any(math.isnan(v) or v == INF for v in x) or all(v == -INF for v in x):
        return None
    m = max(mp.mpf(v) for v in x if v != -INF)
    top = x.index(float(m))
    # log of the sum as log1p of the terms other than the maximum's 1, so that a sum of
    # 1 + 1e-322 keeps its 1e-322 (50 digits of 1 + ε would not)
    rest = mp.fsum(mp.exp(diff(v, m)) for i, v in enumerate(x) if v != -INF and i != top)
    with mp.workprec(2200):
        return [mp.mpf(-INF) if v == -INF else mp.mpf(v) - m - mp.log1p(rest) for v in x]


def sparsemax(x):
    if any(math.isnan(v) or v == INF for v in x) or all(v == -INF for v in x):
        return None
    with mp.workprec(2300):  # sums and differences of doubles, exactly
        z = sorted((mp.mpf(v) for v in x if v != -INF), reverse=True)
        k, cum, support_sum = 0, mp.mpf(0), mp.mpf(0)
        for i, v in enumerate(z, start=1):
            cum += v
            if 1 + i * v > cum:
                k, support_sum = i, cum
        tau = (support_sum - 1) / k
        return [mp.mpf(0) if v == -INF else max(mp.mpf(v) - tau, mp.mpf(0)) for v in x]


def sig(t):
    return F.sig(t)


def activation(name, h, approximate):
    """act(h) and act'(h) exactly, PyTorch's kink convention (relu'(0) = 0)."""
    if name == "glu":
        return sig(h), sig(h) * sig(-h)
    if name == "reglu":
        return (h if h > 0 else mp.mpf(0)), mp.mpf(1 if h > 0 else 0)
    if name == "swiglu":
        s, sm = sig(h), sig(-h)
        return h * s, s + h * s * sm
    if approximate == "tanh":
        k = mp.sqrt(2 / mp.pi)
        c = mp.mpf("0.044715")
        u = k * (h + c * h ** 3)
        du = k * (1 + 3 * c * h * h)
        s, sm = sig(2 * u), sig(-2 * u)
        return h * s, s + h * 2 * du * s * sm
    # exp and erfc clamped far below the smallest subnormal even after two factors of 2^1024
    cdf = F.erfc(-h / mp.sqrt(2)) / 2
    pdf = F.exp(-h * h / 2) / mp.sqrt(2 * mp.pi)
    return h * cdf, cdf + h * pdf


# MARK: - cases

def rows(rng, dtype):
    big = 3e38 if dtype == "f32" else 1e308
    fixed = [
        [1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [3.5], [-1000.0, 0.0, 1000.0], [710.0, 700.0, -700.0],
        [-745.0, 0.0], [-100.0, 0.0, -90.0] if dtype == "f32" else [-745.5, 0.0, -740.0],
        [1e-300 if dtype == "f64" else 1e-40, 2e-300 if dtype == "f64" else 2e-40],
        [big, -big], [big, big * 0.5, 0.0], [-big, -big], [0.1, 0.2, 0.30000000000000004],
        [-INF, 1.0, 2.0], [INF, 1.0], [-INF, -INF], [NAN, 1.0], [1.0, -INF],
        [0.5, 0.4, 0.1, -1.0], [1.0, 1.0, 1.0, 0.0], [0.3, 0.29, 0.28, 0.27, -0.5],
        [2.0, 1.0, 1.0], [1.0, 0.0], [0.25, 0.25, -0.25, -0.25], [1e16, 1e16 + 2.0, 1e16 - 2.0],
    ]
    out = [[in_dtype(v, dtype) for v in r] for r in fixed]
    for length, spread in ((5, 1.0), (5, 50.0), (8, 0.3), (17, 5.0), (33, 0.05), (64, 30.0)):
        for _ in range(3):
            out.append([in_dtype(rng.uniform(-spread, spread), dtype) for _ in range(length)])
    return out


def grad_for(rng, n, dtype):
    return [in_dtype(rng.uniform(-2, 2), dtype) for _ in range(n)]


def emit(out, function, dtype, params, x, g):
    out.append(line(function, dtype, params, x, g))


def params_dict(text):
    return {} if text == "-" else dict(pair.split("=") for pair in text.split(","))


def round_fraction(v, dtype):
    """A Fraction correctly rounded (half to even) to the dtype, exactly."""
    bits, emin, emax = (24, -126, 127) if dtype == "f32" else (53, -1022, 1023)
    if v == 0:
        return 0.0
    sign, a = (-1 if v < 0 else 1), abs(v)
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fraction(2) ** e > a:
        e -= 1
    q = max(e, emin) - (bits - 1)
    scaled = a / Fraction(2) ** q
    n, rest = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * rest
    if twice > scaled.denominator or (twice == scaled.denominator and n % 2 == 1):
        n += 1
    if n * Fraction(2) ** q >= Fraction(2) ** (emax + 1):
        return sign * INF
    return sign * math.ldexp(n, q)


def rational_case(function, x, g):
    """softmax, softmin and log_softmax's VJP when every finite entry of x is equal: then each
    e^(xⱼ−m) is 1 or 0 and the VJP is rational, possibly exactly halfway between two floats,
    which no finite precision decides; None otherwise (or for the values, which are then 1/k
    and log(1/k), never halfway)."""
    finite = [v for v in x if v != -INF]
    if function not in ("softmax", "softmin", "log_softmax") or not finite or len(set(finite)) != 1 \
            or any(math.isnan(v) or v == INF for v in x):
        return None
    on = [v != -INF for v in x]
    k = sum(on)
    gs = [Fraction(v) for v in g]
    if function == "log_softmax":
        total = sum(gs)
        return [gi - (total / k if o else 0) for gi, o in zip(gs, on)]
    mean = sum(gi for gi, o in zip(gs, on) if o) / k
    sign = -1 if function == "softmin" else 1
    return [sign * (gi - mean) / k if o else Fraction(0) for gi, o in zip(gs, on)]


def rounded_case(function, params, x, g, dtype):
    """exact_case rounded to the dtype (NaN for None), at 90 digits and confirmed at 125; the
    VJP exactly where it is rational."""
    rational = rational_case(function, x, g)
    if rational is not None:
        with mp.workdps(90):
            y, _ = exact_case(function, params, x, g)
        return [[round_to(v, dtype) for v in y], [round_fraction(v, dtype) for v in rational]]

    def at(digits):
        with mp.workdps(digits):
            y, dx = exact_case(function, params, x, g)
            return [[round_to(v, dtype) if v is not None else NAN for v in column] for column in (y, dx)]
    same = lambda a, b: all(u == v or (math.isnan(u) and math.isnan(v)) for p, q in zip(a, b) for u, v in zip(p, q))
    first, second = at(90), at(125)
    if same(first, second):
        return second
    third = at(300)
    if not same(second, third):
        raise RuntimeError(f"{function} {dtype} x={x} g={g}: no stable rounding")
    return third


def line(function, dtype, params, x, g, y=None, dx=None):
    """One case as a line of the table (y and dx rounded here, or computed when not given)."""
    if y is None:
        y, dx = rounded_case(function, params_dict(params), x, g, dtype)
        return "\t".join([function, dtype, params, enc(x, dtype), enc(g, dtype), enc(y, dtype), enc(dx, dtype)])
    return "\t".join([
        function, dtype, params, enc(x, dtype), enc(g, dtype),
        enc([round_to(v, dtype) if v is not None else NAN for v in y], dtype),
        enc([round_to(v, dtype) if v is not None else NAN for v in dx], dtype),
    ])


def exact_case(function, params, x, g):
    """The exact values y and VJP dx of one slice (mpf; None for a NaN slice).
    `params` is a dict of choice words (gate, approximate); x and g are floats of the dtype.
    Evaluated at the current mpmath precision; every difference of inputs is taken exactly."""
    n = len(x)
    if function in ("softmax", "softmin"):
        xx = [-v for v in x] if function == "softmin" else x
        y = softmax(xx)
        if y is None:
            return [None] * n, [None] * n
        dx = softmax_vjp(y, [mp.mpf(v) for v in g], xx)
        if function == "softmin":
            dx = [-v for v in dx]
        return y, dx
    if function == "log_softmax":
        y = log_softmax(x)
        if y is None:
            return [None] * n, [None] * n
        p = softmax(x)
        gs = [mp.mpf(v) for v in g]
        with mp.workprec(2200):  # a sum of doubles, exactly
            total = mp.fsum(gs)
        # gᵢ − pᵢ·Σg = (Σⱼ eⱼ·gᵢ − eᵢ·Σⱼgⱼ)/Σe: a combination of exponentials, zero when exactly_zero says
        zero = [exactly_zero([(x[j], g[i]) for j in range(n) if x[j] != -INF]
                             + [(x[i], -total)] if x[i] != -INF else [(0.0, g[i])]) for i in range(n)]
        # gᵢ − pᵢ·Σg as gᵢ·Σⱼ≠ᵢpⱼ − pᵢ·Σⱼ≠ᵢgⱼ: neither 1 − pᵢ nor pᵢ·Σg is formed, since rounding
        # them to the working precision would lose a gᵢ far below the others
        with mp.workprec(2200):
            others = [total - gi for gi in gs]
        dx = []
        for i, (z, gi, pi) in enumerate(zip(zero, gs, p)):
            rest = mp.fsum(pj for j, pj in enumerate(p) if j != i)
            dx.append(mp.mpf(0) if z else gi * rest - pi * others[i])
        return y, dx
    if function == "sparsemax":
        y = sparsemax(x)
        if y is None:
            return [None] * n, [None] * n
        support = [i for i, v in enumerate(y) if v > 0]
        with mp.workprec(2200):
            mean = mp.fsum(mp.mpf(g[i]) for i in support) / len(support)
            return y, [mp.mpf(g[i]) - mean if y[i] > 0 else mp.mpf(0) for i in range(n)]
    approximate = params.get("approximate")
    half = n // 2
    first = params.get("gate") == "first"
    h, lin = (x[:half], x[half:]) if first else (x[half:], x[:half])
    y, dl, dh = [], [], []
    for hv, lv, gv in zip(h, lin, g):
        a, da = activation(function, mp.mpf(hv), approximate)
        y.append(mp.mpf(lv) * a)
        dl.append(mp.mpf(gv) * a)
        dh.append(mp.mpf(gv) * mp.mpf(lv) * da)
    return y, (dh + dl if first else dl + dh)


def softmax_family(out, rng, dtype):
    for x in rows(rng, dtype):
        g = grad_for(rng, len(x), dtype)
        for function in ("softmax", "softmin", "log_softmax", "sparsemax"):
            emit(out, function, dtype, "-", x, g)


def gated_family(out, rng, dtype):
    hs = [0.0, -0.0, 1.0, -1.0, 0.5, -3.0, 3.0, 10.0, -10.0, 20.0, -20.0, 37.0, -37.0, 1e-8, -1e-8]
    settings = [("glu", None), ("reglu", None), ("swiglu", None), ("geglu", "none"), ("geglu", "tanh")]
    for function, approximate in settings:
        for gate in ("second", "first"):
            params = {"gate": gate, **({"approximate": approximate} if approximate else {})}
            batches = [hs, [rng.uniform(-6, 6) for _ in range(16)], [rng.uniform(-40, 40) for _ in range(16)]]
            for hrow in batches:
                h = [in_dtype(v, dtype) for v in hrow]
                lin = [in_dtype(rng.uniform(-3, 3), dtype) for _ in h]
                g = grad_for(rng, len(h), dtype)
                x = h + lin if gate == "first" else lin + h
                emit(out, function, dtype, params_text(params), x, g)


def params_text(params):
    """"-" or "gate=first,approximate=tanh" (the gate first)."""
    order = ["gate", "approximate"]
    return ",".join(f"{k}={params[k]}" for k in sorted(params, key=order.index)) or "-"


def main():
    rng = random.Random(20261129)
    out = []
    for dtype in ("f64", "f32"):
        softmax_family(out, rng, dtype)
        gated_family(out, rng, dtype)
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "Tests", "ActivationEngineTests", "References", "vector.tsv")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", len(out), "cases to", os.path.normpath(path))


if __name__ == "__main__":
    main()

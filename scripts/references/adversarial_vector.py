"""The adversarial search's slices for the 8 vector functions.

softmax, softmin, log_softmax, sparsemax (rows of 2 to 1000 entries):
- random rows of several lengths and spreads, with random upstream gradients g, and with g of
  random magnitudes from subnormal to 1e308;
- cancelling gradients: g chosen so that one VJP entry nearly vanishes: gᵢ = Σⱼ≠ᵢ yⱼgⱼ/(1 − yᵢ)
  rounded (softmax, softmin: then gᵢ ≈ Σyⱼgⱼ), gᵢ = pᵢ·Σⱼ≠ᵢ gⱼ/(1 − pᵢ) (log_softmax), gᵢ = the
  mean of the other g on the support (sparsemax), and neighbours of those a few ulps away;
- extreme rows: entries 700 to 760 below the maximum (e^(x−m) subnormal) with huge g, entries of
  ±1e308, subnormal entries, equal entries, sparsemax entries next to the threshold τ.
glu, reglu, swiglu, geglu (both forms), both gates (rows of 8 pairs): gated inputs in the tails
where act(h) or act'(h) underflows, next to the zeros of act', and of random magnitudes; linear
halves and g from subnormal to 2^1023.
References: scripts/references/vector_references.py (90 digits, confirmed at 125).
"""
import math
import random

import mpmath as mp

import vector_references as V
from engine_eval import FORMATS
from generate import neighbour, to_dtype

SOFTMAX = ["softmax", "softmin", "log_softmax", "sparsemax"]
GATED = [("glu", {}), ("reglu", {}), ("swiglu", {}), ("geglu", {"approximate": "none"}),
         ("geglu", {"approximate": "tanh"})]


def cases():
    out = [(f, {}) for f in SOFTMAX]
    for f, P in GATED:
        for gate in ("second", "first"):
            out.append((f, {"gate": gate, **P}))
    return out


def magnitude(rng, fmt, low=None):
    """A random value of random sign and magnitude (random mantissa) over the dtype's range."""
    p, emin, emax = FORMATS[fmt]
    e = rng.randint(emin - p + 1 if low is None else low, emax)
    return to_dtype(math.ldexp(rng.uniform(1, 2), e) * rng.choice((1, -1)), fmt)


def ulps_away(x, fmt, k):
    for _ in range(abs(k)):
        x = neighbour(x, fmt, k > 0)
    return x


def underflow_span(fmt):
    """How far below the maximum an entry's e^(x−m) is subnormal: (start, end)."""
    return (700.0, 760.0) if fmt == "f64" else (85.0, 110.0)


def cancel(function, x, g, i, fmt):
    """g with gᵢ replaced so that dxᵢ nearly vanishes (None when that gᵢ is not finite)."""
    with mp.workdps(40):
        if function in ("softmax", "softmin"):
            y = V.softmax([-v for v in x] if function == "softmin" else x)
            if y is None or y[i] >= 1:
                return None
            rest = mp.fsum(y[j] * g[j] for j in range(len(x)) if j != i)
            value = rest / (1 - y[i])
        elif function == "log_softmax":
            p = V.softmax(x)
            if p is None or p[i] >= 1:
                return None
            value = p[i] * mp.fsum(g[j] for j in range(len(x)) if j != i) / (1 - p[i])
        else:
            y = V.sparsemax(x)
            if y is None:
                return None
            support = [j for j in range(len(x)) if y[j] > 0 and j != i]
            if y[i] <= 0 or not support:
                return None
            value = mp.fsum(g[j] for j in support) / len(support)
    v = to_dtype(float(value), fmt)
    if not math.isfinite(v):
        return None
    out = list(g)
    out[i] = v
    return out


def softmax_rows(function, fmt, rng, count):
    rows = []
    lengths = [2, 3, 4, 5, 8, 16, 33, 64]
    for _ in range(count // 3):
        n, spread = rng.choice(lengths), rng.choice([0.01, 1.0, 10.0, 100.0, 700.0, 1e4])
        x = [to_dtype(rng.uniform(-spread, spread), fmt) for _ in range(n)]
        g = [to_dtype(rng.uniform(-2, 2), fmt) for _ in range(n)] if rng.random() < 0.6 \
            else [magnitude(rng, fmt) for _ in range(n)]
        rows.append((x, g))
        c = cancel(function, x, g, rng.randrange(n), fmt)
        if c is not None:
            i = rng.randrange(n)
            rows.append((x, c))
            rows.append((x, [ulps_away(v, fmt, rng.choice((-2, -1, 1, 2))) if j == i else v
                             for j, v in enumerate(c)]))
    start, end = underflow_span(fmt)
    for _ in range(count // 6):
        n = rng.choice([2, 3, 5])
        x = [0.0] + [to_dtype(-rng.uniform(start, end), fmt) for _ in range(n - 1)]
        rng.shuffle(x)
        g = [magnitude(rng, fmt, low=FORMATS[fmt][2] - 60) for _ in range(n)]
        rows.append((x, g))
        c = cancel(function, x, g, rng.randrange(n), fmt)
        if c is not None:
            rows.append((x, c))
    big = math.ldexp(1.9, FORMATS[fmt][2])
    tiny = math.ldexp(1, FORMATS[fmt][1] - FORMATS[fmt][0] + 3)
    fixed = [[big, -big], [big, big / 2, 0.0], [tiny, 2 * tiny, -tiny], [1.0, 1.0, 1.0],
             [-big, -big, -big], [0.5, 0.5 + 2 ** -30, 0.5 - 2 ** -30]]
    for x in fixed:
        x = [to_dtype(v, fmt) for v in x]
        rows.append((x, [magnitude(rng, fmt) for _ in x]))
        rows.append((x, [to_dtype(rng.uniform(-2, 2), fmt) for _ in x]))
    for n in (256, 1000):
        x = [to_dtype(rng.gauss(0, 3), fmt) for _ in range(n)]
        g = [to_dtype(rng.uniform(-2, 2), fmt) for _ in range(n)]
        rows.append((x, g))
        c = cancel(function, x, g, rng.randrange(n), fmt)
        if c is not None:
            rows.append((x, c))
    if function == "sparsemax":
        rows += sparsemax_boundaries(fmt, rng, count // 6)
    return rows


def sparsemax_boundaries(fmt, rng, count):
    """Rows with one entry within a few ulps of the threshold τ (on the support's edge)."""
    rows = []
    for _ in range(count):
        n = rng.choice([3, 4, 6, 10])
        x = [to_dtype(rng.uniform(-1, 1), fmt) for _ in range(n)]
        with mp.workdps(40):
            y = V.sparsemax(x)
            z = sorted(x, reverse=True)
            k = sum(1 for v in y if v > 0)
            tau = (mp.fsum(z[:k]) - 1) / k
        j = min(range(n), key=lambda i: abs(x[i] - float(tau)) if y[i] == 0 else math.inf)
        if y[j] != 0:
            continue
        x[j] = ulps_away(to_dtype(float(tau), fmt), fmt, rng.randint(-3, 3))
        rows.append((x, [to_dtype(rng.uniform(-2, 2), fmt) for _ in range(n)]))
    return rows


def gated_h(function, P, fmt, rng):
    start, end = underflow_span(fmt)
    choices = [lambda: rng.uniform(-6, 6), lambda: rng.uniform(-40, 40), lambda: -rng.uniform(start, end),
               lambda: magnitude(rng, fmt), lambda: rng.uniform(-1500, 1500)]
    if function == "geglu":
        choices.append(lambda: -rng.uniform(36, 40) if fmt == "f64" else -rng.uniform(12, 15))
        choices.append(lambda: -0.75 + rng.uniform(-1e-3, 1e-3))
    if function == "swiglu":
        choices.append(lambda: -1.2784645427610737 + rng.uniform(-1e-3, 1e-3))
    return to_dtype(rng.choice(choices)(), fmt)


def gated_rows(function, P, fmt, rng, count, half=8):
    rows = []
    emax = FORMATS[fmt][2]
    for _ in range(count):
        h = [gated_h(function, P, fmt, rng) for _ in range(half)]
        lin = [to_dtype(rng.choice([lambda: rng.uniform(-3, 3), lambda: magnitude(rng, fmt),
                                    lambda: math.ldexp(rng.uniform(1, 2), emax - rng.randint(0, 30))
                                    * rng.choice((1, -1))])(), fmt) for _ in range(half)]
        g = [to_dtype(rng.choice([lambda: 1.0, lambda: rng.uniform(-2, 2), lambda: magnitude(rng, fmt)])(), fmt)
             for _ in range(half)]
        rows.append(((h + lin) if P.get("gate") == "first" else (lin + h), g))
    return rows


def rows_for(function, P, fmt, rng, count):
    if function in SOFTMAX:
        return softmax_rows(function, fmt, rng, count)
    return gated_rows(function, P, fmt, rng, count // 4)


def perturb(function, P, x, g, fmt, rng, focus):
    """A neighbour of a bad case: one entry of x or g moved by 1 to 2^20 ulps; for the softmax
    family the cancelling gradient is then chosen again. `focus` is the worst output index."""
    x, g = list(x), list(g)
    k = rng.choice((1, -1)) * (1 << rng.randint(0, 20))
    if function in SOFTMAX:
        if rng.random() < 0.5:
            j = rng.randrange(len(x))
            x[j] = ulps_away(x[j], fmt, k) if abs(k) < 64 else to_dtype(x[j] * (1 + k * 2.0 ** -52), fmt)
            c = cancel(function, x, g, focus % len(x), fmt)
            if c is not None and rng.random() < 0.7:
                g = c
        else:
            j = rng.randrange(len(g))
            g[j] = ulps_away(g[j], fmt, k) if abs(k) < 64 else to_dtype(g[j] * (1 + k * 2.0 ** -52), fmt)
        return x, g
    half = len(g)
    pair = focus % half
    h_at = pair if P.get("gate") == "first" else half + pair
    l_at = half + pair if P.get("gate") == "first" else pair
    which = rng.choice([h_at, l_at, None])
    if which is None:
        g[pair] = ulps_away(g[pair], fmt, k) if abs(k) < 64 else to_dtype(g[pair] * (1 + k * 2.0 ** -52), fmt)
    else:
        x[which] = ulps_away(x[which], fmt, k) if abs(k) < 64 else to_dtype(x[which] * (1 + k * 2.0 ** -52), fmt)
    return x, g


def reference(function, P, x, g, fmt):
    return V.rounded_case(function, P, x, g, fmt)


def params_text(P):
    return V.params_text(P)

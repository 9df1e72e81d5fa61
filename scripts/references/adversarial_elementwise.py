"""The adversarial search's inputs and references for the 32 elementwise functions.

Candidates per function, parameter set and dtype (every one a value of the dtype):
- random points on [-40, 40] and [-1000, 1000], random magnitudes with random mantissas from the
  smallest subnormal to the largest finite value (both signs), random bit patterns;
- every kink, zero of f, of f' and of the learnable partials, with neighbours 1 to 2^30 ulps
  away: zeros are found on a grid (sign changes, and local minima of |q| for double zeros such
  as snake' = 2·sin²(αx + π/4)), then refined at 200 bits; snake's zeros are also placed out
  to |αx| = 2^60 from their closed forms (f' at αx = -π/4 + kπ, ∂f/∂α at αx = kπ and at the
  roots of tan αx = 2αx);
- inputs whose value, derivative or partial is subnormal or at the edge of the normal range
  (the crossings are located on a grid and sampled densely);
- the kernels' own branch points (±700, ±745, ±1500, 0.85/α, 2^20/α, the root series' radii...)
  with their neighbours.
References: mpmath at 280 + 2·|exponent of x| bits (84+ digits), confirmed 96 bits higher.
"""
import math
import struct

import mpmath as mp

from cases import KINKS, LEARNABLE
from engine_eval import FORMATS
from functions import DEFINITIONS, NAN_AT_INFINITY
from generate import INFINITY_STANDIN, neighbour, round_to, to_dtype

# Branch points of the kernels (Sources/ActivationMath/Kernels): placed as x, and as x/p for
# every numeric parameter p (snake's and swish's thresholds are in αx, βx).
BRANCHES = [700, 745, 1500, 708.4, 709.8, 20, 25, 37, 40, 350, 0.85, 2.0 ** 20, 200.5, 2.0 ** 500,
            2.0 ** 150, 2.0 ** -27, 1.2017915, 0.3017915, 1.2024614, 0.3024614, 1.9284645, 0.6284645,
            1.6924312, 0.6924312, 823549.6, 0.78125, 0.3, 1e-8, 2.0 ** -26, 16.7, 36.7, 2.0 ** 26]
# Which results of a case are compared: the value, f' (PyTorch's kinks), f' (JAX's, where it
# differs somewhere), then the learnable partials.
JAX_DIFFERS = {"leaky_relu", "prelu", "rrelu", "leaky_relu6", "hardtanh", "sparse_sigmoid"}


def quantities(function):
    names = ["f", "d"] + (["dj"] if function in JAX_DIFFERS else [])
    return names + ["p_" + p for p in LEARNABLE.get(function, [])]


def evaluate(function, P, x, fmt, prec):
    """f, f' (both conventions) and partials at x, rounded to the dtype, at prec bits."""
    with mp.workprec(prec):
        Pm = {k: (mp.mpf(v) if isinstance(v, float) else v) for k, v in P.items()}
        xm = INFINITY_STANDIN * (1 if x > 0 else -1) if math.isinf(x) else mp.mpf(x)
        r = DEFINITIONS[function](xm, Pm)
        row = [r["f"], r["d"], r.get("dj", r["d"])] + list(r.get("p", []))
        return [round_to(v, fmt) for v in row]


def reference(function, P, x, fmt):
    """[f, d, dj, partials...] correctly rounded, confirmed at two precisions."""
    n = len(LEARNABLE.get(function, []))
    if math.isnan(x):
        return [x] * (3 + n)
    if math.isinf(x) and function in NAN_AT_INFINITY:
        return [x] + [math.nan] * (2 + n)
    e = abs(math.frexp(x)[1]) if math.isfinite(x) and x != 0 else 1100
    prec = 280 + 2 * e
    a = evaluate(function, P, x, fmt, prec)
    b = evaluate(function, P, x, fmt, prec + 96)
    same = lambda u, v: (math.isnan(u) and math.isnan(v)) or u == v
    if not all(same(u, v) for u, v in zip(a, b)):
        c = evaluate(function, P, x, fmt, 2 * prec + 400)
        if not all(same(u, v) for u, v in zip(b, c)):
            raise RuntimeError(f"{function} {P} {fmt} x={x!r}: no stable rounding")
        b = c
    return b


def rough(function, P, x, bits=64):
    """[f, d, partials...] as mpf at low precision (for locating zeros and crossings)."""
    e = abs(math.frexp(x)[1]) if x != 0 else 0
    with mp.workprec(bits + 2 * e):
        Pm = {k: (mp.mpf(v) if isinstance(v, float) else v) for k, v in P.items()}
        r = DEFINITIONS[function](mp.mpf(x), Pm)
        return [r["f"], r["d"]] + list(r.get("p", []))


def around(x, fmt, rng, far=30):
    """x with neighbours 1, 2, 3 ulps away and at random distances up to 2^far ulps."""
    out = [x]
    for up in (True, False):
        y = x
        for _ in range(3):
            y = neighbour(y, fmt, up)
            out.append(y)
    for _ in range(6):
        k = rng.randint(2, far)
        step = math.ldexp(abs(x) if x != 0 else math.ldexp(1, -1074 if fmt == "f64" else -149), -FORMATS[fmt][0] + k)
        out += [x + step * rng.random(), x - step * rng.random()]
    return out


def grid(fmt):
    p, emin, emax = FORMATS[fmt]
    xs = [i * 0.02 for i in range(-3000, 3001)] + [float(i) for i in range(-1100, 1101)]
    for k in range(emin - p + 1, emax + 1, 2):
        xs += [math.ldexp(1.5, k), -math.ldexp(1.5, k)]
    return sorted(set(to_dtype(x, fmt) for x in xs))


def crossings(function, P, fmt, rng, per=12):
    """Points next to the zeros of each quantity and where it crosses the subnormal range."""
    p, emin, _ = FORMATS[fmt]
    lo, hi = emin - p - 1, emin + 2  # log2 window: subnormal results and the first normals
    g = grid(fmt)
    rows = [rough(function, P, x) for x in g]
    out = []
    for q in range(len(rows[0])):
        values = [r[q] for r in rows]
        for i in range(len(g) - 1):
            a, b, va, vb = g[i], g[i + 1], values[i], values[i + 1]
            if (va == 0) != (vb == 0) or (va != 0 and (va > 0) != (vb > 0)):
                out += around(bisect(function, P, fmt, q, a, b), fmt, rng)
            la = float(mp.log(abs(va), 2)) if va != 0 else -1e9
            lb = float(mp.log(abs(vb), 2)) if vb != 0 else -1e9
            if min(la, lb) < hi and max(la, lb) > lo and max(la, lb) > -1e8:
                out += sample_between(a, b, fmt, rng, per)
            if 0 < i < len(g) - 2:  # a touching zero: |q| much smaller than both neighbours
                vp, vn = values[i - 1], values[i + 1]
                if 0 < abs(va) < min(abs(vp), abs(vn)) and 4 * abs(va) < max(abs(vp), abs(vn)) \
                        and (vp > 0) == (va > 0) == (vn > 0):
                    out += around(ternary(function, P, fmt, q, g[i - 1], g[i + 1]), fmt, rng)
    return out


def sample_between(a, b, fmt, rng, count):
    if a != 0 and b != 0 and (a > 0) == (b > 0) and max(abs(a), abs(b)) > 4 * min(abs(a), abs(b)):
        la, lb = math.log(abs(a)), math.log(abs(b))
        sign = 1 if a > 0 else -1
        return [to_dtype(sign * math.exp(rng.uniform(la, lb)), fmt) for _ in range(count)]
    return [to_dtype(rng.uniform(a, b), fmt) for _ in range(count)]


def bisect(function, P, fmt, q, a, b):
    """A zero of quantity q in [a, b] to the dtype's resolution (the values at 200 bits)."""
    sign = lambda x: rough(function, P, x, 200)[q] > 0
    sa = sign(a)
    for _ in range(80):
        m = to_dtype((a + b) / 2, fmt)
        if m in (a, b):
            break
        if sign(m) == sa:
            a = m
        else:
            b = m
    return a


def ternary(function, P, fmt, q, a, b):
    """The minimum of |quantity q| on [a, b] (a touching zero), to the dtype's resolution."""
    size = lambda x: abs(rough(function, P, x, 200)[q])
    for _ in range(120):
        m1, m2 = to_dtype(a + (b - a) / 3, fmt), to_dtype(b - (b - a) / 3, fmt)
        if m1 in (a, b) or m2 in (a, b) or m1 == m2:
            break
        if size(m1) < size(m2):
            b = m2
        else:
            a = m1
    return to_dtype((a + b) / 2, fmt)


def snake_zeros(P, fmt, rng, count=60):
    """snake's f' zeros (αx = -π/4 + kπ), ∂f/∂α zeros (αx = kπ, tan αx = 2αx) out to 2^60."""
    alpha = mp.mpf(P["alpha"])
    out = []
    limit = 60 if fmt == "f64" else 40
    with mp.workprec(400):
        for _ in range(count):
            k = int(mp.floor(mp.mpf(2) ** rng.uniform(0, limit))) * rng.choice((1, -1))
            for u in (-mp.pi / 4 + k * mp.pi, k * mp.pi):
                out += around(to_dtype(float(u / alpha), fmt), fmt, rng, far=12)
            if abs(k) < 2 ** 40:  # tan u = 2u: u ≈ kπ + π/2 - 1/(2kπ)
                guess = k * mp.pi + (mp.pi / 2 if k >= 0 else -mp.pi / 2)
                root = mp.findroot(lambda u: 2 * u * mp.cos(u) - mp.sin(u), guess - 1 / (2 * guess))
                out += around(to_dtype(float(root / alpha), fmt), fmt, rng, far=12)
    return out


def candidates(function, P, fmt, rng, count):
    p, emin, emax = FORMATS[fmt]
    xs = [rng.uniform(-40, 40) for _ in range(count // 4)]
    xs += [rng.uniform(-1000, 1000) for _ in range(count // 16)]
    for _ in range(count // 4):
        m = math.ldexp(rng.uniform(1, 2), rng.randint(emin - p + 1, emax))
        xs += [m, -m]
    bits = 64 if fmt == "f64" else 32
    code = ("<Q", "<d") if fmt == "f64" else ("<I", "<f")
    for _ in range(count // 16):
        x = struct.unpack(code[1], struct.pack(code[0], rng.getrandbits(bits)))[0]
        if math.isfinite(x):
            xs.append(x)
    for k in KINKS.get(function, lambda P: [])(P):
        xs += around(to_dtype(float(k), fmt), fmt, rng)
    scales = [1.0] + [v for v in P.values() if isinstance(v, float) and v != 0]
    for c in BRANCHES:
        for s in scales:
            for v in (c / s, -c / s):
                if math.isfinite(v) and abs(v) < math.ldexp(1, emax):
                    xs += around(to_dtype(v, fmt), fmt, rng, far=8)
    xs += crossings(function, P, fmt, rng)
    if function == "snake":
        xs += snake_zeros(P, fmt, rng)
    xs = [to_dtype(x, fmt) for x in xs if math.isfinite(x)]
    xs += [0.0, -0.0, math.inf, -math.inf, math.nan]
    return xs

#!/usr/bin/env python3
"""Generates the reference vectors of the elementwise activation functions.

README. The accuracy tests (Tests/ActivationMathTests/AccuracyTests.swift) compare the engine
against values computed here with mpmath at 200+ bits (60+ significant digits; more for large or
tiny |x|, and every point is recomputed 96 bits higher to confirm the rounding) and rounded
correctly, half to even, to float64 and float32, with overflow to ±inf and gradual underflow.
For each function of issue 2, each parameter set of cases.py and each dtype, the inputs are: a
dense grid and pseudo-random points on [-20, 20], log-spaced magnitudes from the smallest
subnormal to the largest finite value on both signs, every kink rounded to the dtype with its
four float neighbours on each side and points approaching it geometrically, the cancellation and
tail regions of cases.py, and ±0, ±inf and NaN. Inputs and numeric parameters are values of the
dtype; the reference is the exact function of those values (docs/numerical-conventions.md §2).

Each case is one little-endian binary file of `count` rows of `columns` (float64 or float32):
x, f, d (f' with PyTorch's kink convention), dj (with JAX's, only when some point differs) and
one column per learnable partial. manifest.json lists the cases with their exact parameters
and kink locations. Run once, not in CI (about ten minutes on one core):

    pip install -r scripts/references/requirements.txt
    python3 scripts/references/generate.py   # writes Tests/ActivationMathTests/References/
"""
import argparse
import json
import math
import os
import random
import struct
import sys

import mpmath as mp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES, KINKS, LEARNABLE, REGIONS  # noqa: E402
from functions import DEFINITIONS, NAN_AT_INFINITY  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ActivationMathTests",
                   "References")
# (precision p, minimum normal exponent, maximum exponent, struct code)
FORMATS = {"f64": (53, -1022, 1023, "d"), "f32": (24, -126, 127, "f")}
INFINITY_STANDIN = mp.ldexp(1, 1100)  # beyond both dtypes' range: limits at ±inf


def round_to(v, fmt):
    """v (mpf) correctly rounded, half to even, to the format: a Python float holding it."""
    p, emin, emax, _ = FORMATS[fmt]
    if mp.isnan(v):
        return math.nan
    if mp.isinf(v):
        return math.inf if v > 0 else -math.inf
    if v == 0:
        return 0.0
    sign, man, exp, bc = mp.mpf(v)._mpf_
    q = max(exp + bc - 1, emin) - (p - 1)  # exponent of the unit in the last place
    shift = q - exp
    if shift <= 0:
        n = man << -shift
    else:
        n = man >> shift
        rem, half = man - (n << shift), 1 << (shift - 1)
        if rem > half or (rem == half and n & 1):
            n += 1
    if n.bit_length() + q > emax + 1:
        r = math.inf
    else:
        r = math.ldexp(n, q)
    return -r if sign else r


def to_dtype(x, fmt):
    """A Python float rounded to the dtype (inputs and parameters)."""
    return round_to(mp.mpf(x), fmt) if math.isfinite(x) else x


def bits(x, fmt):
    return struct.pack("<" + FORMATS[fmt][3], x)


def neighbour(x, fmt, up):
    """The next float of the dtype above (up) or below x."""
    code, ucode = (("<d", "<q") if fmt == "f64" else ("<f", "<i"))
    if x == 0:
        tiny = 5e-324 if fmt == "f64" else 2.0 ** -149
        return tiny if up else -tiny
    i = struct.unpack(ucode, struct.pack(code, x))[0]
    i += 1 if (x > 0) == up else -1
    return struct.unpack(code, struct.pack(ucode, i))[0]


def inputs(function, P, fmt, rng):
    """The sample points of one case, as dtype values without duplicates (±0 kept apart)."""
    p, emin, emax, _ = FORMATS[fmt]
    xs = [-20 + i * 0.05 for i in range(801)]
    xs += [rng.uniform(-20, 20) for _ in range(400)]
    lo_exp = emin - p + 1
    count = 280 if fmt == "f64" else 160
    for k in range(count):
        e = lo_exp + round((emax - lo_exp) * k / (count - 1))
        m = math.ldexp(rng.uniform(1, 2), e)
        xs += [m, -m]
    for lo, hi, n, kind in REGIONS.get(function, []):
        for _ in range(n):
            if kind == "lin":
                xs.append(rng.uniform(lo, hi))
            else:
                m = math.exp(rng.uniform(math.log(lo), math.log(hi)))
                xs += [m, -m]
    edges = [mp.mpf(k) for k in KINKS.get(function, lambda P: [])(P)]
    if function == "exponential":  # overflow and underflow thresholds of the dtype
        top = mp.mpf(2) ** (emax + 1) * (1 - mp.mpf(2) ** -(p + 1))
        edges += [mp.log(top), mp.log(mp.mpf(2) ** (lo_exp - 1))]
    for k in edges:
        c = to_dtype(float(k), fmt)
        near = [c]
        for up in (True, False):
            y = c
            for _ in range(4):
                y = neighbour(y, fmt, up)
                near.append(y)
        for j in range(1, 40, 3):
            step = max(abs(c), 1.0) * 2.0 ** -j
            near += [c + step, c - step]
        xs += near
    xs = [to_dtype(x, fmt) for x in xs]
    xs += [0.0, -0.0, math.inf, -math.inf, math.nan]
    seen, out = set(), []
    for x in xs:
        key = bits(x, fmt)
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def evaluate(function, P, x, fmt, prec):
    """f, f' (both conventions) and partials at x, rounded to the dtype, computed at prec bits."""
    with mp.workprec(prec):
        Pm = {k: (mp.mpf(v) if isinstance(v, float) else v) for k, v in P.items()}
        xm = INFINITY_STANDIN * (1 if x > 0 else -1) if math.isinf(x) else mp.mpf(x)
        r = DEFINITIONS[function](xm, Pm)
        row = [r["f"], r["d"], r.get("dj", r["d"])] + list(r.get("p", []))
        return [round_to(v, fmt) for v in row]


def reference_row(function, P, x, fmt):
    """One row, confirmed by a second evaluation 96 bits more precise."""
    n = len(LEARNABLE.get(function, []))
    if math.isnan(x):
        return [x] + [math.nan] * (3 + n)
    if math.isinf(x) and function in NAN_AT_INFINITY:  # f has a limit, f' and partials do not
        return [x, x] + [math.nan] * (2 + n)
    e = abs(math.frexp(x)[1]) if math.isfinite(x) and x != 0 else 1100
    prec = 200 + 2 * e
    a = evaluate(function, P, x, fmt, prec)
    b = evaluate(function, P, x, fmt, prec + 96)
    same = lambda u, v: (math.isnan(u) and math.isnan(v)) or u == v
    if not all(same(u, v) for u, v in zip(a, b)):
        c = evaluate(function, P, x, fmt, 2 * prec + 400)
        if not all(same(u, v) for u, v in zip(b, c)):
            raise RuntimeError(f"{function} {P} {fmt} x={x!r}: no stable rounding {a} {b} {c}")
        b = c
    return [x] + b


def generate_case(function, index, P0, fmt, out_dir):
    rng = random.Random(f"{function}/{index}/{fmt}")
    P = {k: (to_dtype(v, fmt) if isinstance(v, float) else v) for k, v in P0.items()}
    rows = [reference_row(function, P, x, fmt) for x in inputs(function, P, fmt, rng)]
    columns = ["x", "f", "d", "dj"] + ["d_" + name for name in LEARNABLE.get(function, [])]
    same_as = lambda u, v: (math.isnan(u) and math.isnan(v)) or u == v
    if all(same_as(r[2], r[3]) for r in rows):
        columns.remove("dj")
        rows = [r[:3] + r[4:] for r in rows]
    name = f"{function}.{index}.{fmt}.bin"
    with open(os.path.join(out_dir, name), "wb") as fh:
        fh.write(b"".join(bits(v, fmt) for r in rows for v in r))
    kinks = [to_dtype(float(k), fmt) for k in KINKS.get(function, lambda P: [])(P)]
    if function == "snake":
        kinks = []  # smooth: those are cancellation points, not kinks
    return {"function": function, "parameterSet": index, "dtype": fmt, "file": name,
            "parameters": P,
            "parameterBits": {k: v.hex() for k, v in P.items() if isinstance(v, float)},
            "columns": columns, "count": len(rows), "kinks": kinks}


def self_check():
    """Checks every hand-written derivative and partial against mpmath's numerical derivative."""
    rng = random.Random(7)
    with mp.workdps(60):
        for function, sets in CASES.items():
            for P0 in sets:
                P = {k: (mp.mpf(v) if isinstance(v, float) else v) for k, v in P0.items()}
                f = DEFINITIONS[function]
                kinks = [mp.mpf(k) for k in KINKS.get(function, lambda P: [])(P)]
                for _ in range(12):
                    x = mp.mpf(rng.uniform(-8, 8))
                    if any(abs(x - k) < 0.01 for k in kinks):
                        continue
                    r = f(x, P)
                    checks = [(r["d"], mp.diff(lambda t: f(t, P)["f"], x))]
                    for name, partial in zip(LEARNABLE.get(function, []), r.get("p", [])):
                        g = lambda t: f(x, dict(P, **{name: t}))["f"]
                        checks.append((partial, mp.diff(g, P[name])))
                    for mine, numeric in checks:
                        if abs(mine - numeric) > mp.mpf(10) ** -40 * max(1, abs(numeric)):
                            raise RuntimeError(f"{function} {P0} x={x}: {mine} vs {numeric}")
    print("self-check: derivatives and partials agree with mpmath.diff")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--only", nargs="*", help="functions to regenerate (default: all)")
    args = ap.parse_args()
    self_check()
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "manifest.json")
    previous = []
    if args.only and os.path.exists(manifest_path):
        with open(manifest_path) as fh:
            previous = [c for c in json.load(fh)["cases"] if c["function"] not in args.only]
    cases = list(previous)
    for function, sets in CASES.items():
        if args.only and function not in args.only:
            continue
        for index, P in enumerate(sets):
            for fmt in ("f64", "f32"):
                case = generate_case(function, index, P, fmt, args.out)
                print(f"{function} #{index} {fmt}: {case['count']} points", flush=True)
                cases.append(case)
    order = list(CASES)
    cases.sort(key=lambda c: (order.index(c["function"]), c["parameterSet"], c["dtype"]))
    with open(manifest_path, "w") as fh:
        header = {"generator": "scripts/references/generate.py", "mpmath": mp.__version__}
        lines = [json.dumps(c, separators=(",", ":")) for c in cases]  # one case a line
        fh.write(json.dumps(header)[:-1] + ',\n"cases": [\n' + ",\n".join(lines) + "\n]}\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Adversarial accuracy search: each function's worst inputs, in both dtypes, against mpmath.

Run by hand, not in CI (docs/accuracy.md says how long it takes):

    swift build -c release --product activation-bench
    python3 scripts/references/adversarial.py                 # every function, both dtypes
    python3 scripts/references/adversarial.py --only softmax snake --dtypes f64 --points 4000

It evaluates the engine through `activation-bench eval` (engine_eval.py), in batches, and
compares every value, derivative (both kink conventions) and learnable partial, and every
vector function's values and VJP, with references correctly rounded from 84+ digits
(adversarial_elementwise.py, adversarial_vector.py say which inputs are tried). From the worst
inputs found it climbs: neighbours a few ulps to 2^20 ulps away, kept while the error grows.

The worst cases of every function, parameter set, dtype, quantity and result class (normal or
subnormal) join the committed tables that the normal test suite checks:
Tests/ActivationMathTests/References/adversarial.tsv (elementwise: function, parameter set of
cases.py, dtype, x, f, d, dj, partials as hex bit patterns of the dtype) and
Tests/ActivationEngineTests/References/vector-adversarial.tsv (vector.tsv's format). Rows already
there are kept (--replace starts afresh). It prints the worst error per function, dtype and
quantity, for normal and for subnormal results.
"""
import argparse
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adversarial_elementwise as AE  # noqa: E402
import adversarial_vector as AV  # noqa: E402
from cases import CASES  # noqa: E402
from engine_eval import ROOT, Engine, dec, enc, is_subnormal, ulp_error  # noqa: E402
from generate import neighbour, to_dtype  # noqa: E402

ELEMENTWISE_TABLE = os.path.join(ROOT, "Tests", "ActivationMathTests", "References", "adversarial.tsv")
VECTOR_TABLE = os.path.join(ROOT, "Tests", "ActivationEngineTests", "References", "vector-adversarial.tsv")
KEEP = 4  # worst cases kept per function, parameter set, dtype, quantity and result class


class Worst:
    """The worst errors of one case, per (quantity, result class), with the inputs."""

    def __init__(self):
        self.top = {}

    def record(self, quantity, subnormal, error, key, row):
        bucket = self.top.setdefault((quantity, "subnormal" if subnormal else "normal"), {})
        if key not in bucket or bucket[key][0] < error:
            bucket[key] = (error, row)

    def best(self, quantity=None):
        out = []
        for (q, cls), bucket in self.top.items():
            if quantity in (None, q):
                out += [(e, k, r, q, cls) for k, (e, r) in bucket.items()]
        return sorted(out, key=lambda t: -t[0] if not math.isnan(t[0]) else -math.inf)

    def kept(self):
        rows = {}
        for bucket in self.top.values():
            for key, (error, row) in sorted(bucket.items(), key=lambda kv: -kv[1][0])[:KEEP]:
                rows[key] = row
        return rows

    def summary(self):
        out = {}
        for (q, cls), bucket in self.top.items():
            out[(q, cls)] = max((e for e, _ in bucket.values()), default=0.0)
        return out


# MARK: elementwise

def measure_elementwise(engine, function, P, fmt, xs, worst, cache):
    xs = list(dict.fromkeys(xs))
    values, derivatives, partials = engine.elementwise(function, fmt, P, xs)
    jax = engine.elementwise(function, fmt, P, xs, "jax")[1] if "dj" in AE.quantities(function) else None
    errors = []
    for i, x in enumerate(xs):
        key = enc([x], fmt)
        if key not in cache:
            cache[key] = AE.reference(function, P, x, fmt)
        ref = cache[key]
        got = {"f": values[i], "d": derivatives[i]}
        if jax is not None:
            got["dj"] = jax[i]
        for k, column in enumerate(partials):
            got["p_" + AE.quantities(function)[-len(partials) + k][2:]] = column[i]
        expected = {"f": ref[0], "d": ref[1], "dj": ref[2]}
        for k, name in enumerate(q for q in AE.quantities(function) if q.startswith("p_")):
            expected[name] = ref[3 + k]
        row = [x] + ref
        point = {}
        for q, g in got.items():
            e = ulp_error(g, expected[q], fmt)
            worst.record(q, is_subnormal(expected[q], fmt), e, key, row)
            point[q] = e
        errors.append((x, point))
    return errors


def climb_elementwise(engine, function, P, fmt, worst, cache, rng, rounds):
    for q in AE.quantities(function):
        starts = [(e, r[0]) for e, _, r, _, _ in worst.best(q)[:4] if e > 0 and math.isfinite(r[0])]
        for best, x in starts:
            for _ in range(rounds):
                proposals = AE.around(x, fmt, rng, far=20)[1:]
                proposals += [to_dtype(x * (1 + rng.uniform(-1, 1) * 2.0 ** -rng.randint(1, 45)), fmt)
                              for _ in range(8)]
                proposals = [p for p in proposals if math.isfinite(p)]
                found = measure_elementwise(engine, function, P, fmt, proposals, worst, cache)
                e, at = max(((pt.get(q, 0), px) for px, pt in found), key=lambda t: t[0])
                if e > best:
                    best, x = e, at


def search_elementwise(engine, function, fmt, args, rng, table, report):
    for index, P0 in enumerate(CASES[function]):
        P = {k: (to_dtype(v, fmt) if isinstance(v, float) else v) for k, v in P0.items()}
        worst, cache = Worst(), {}
        started = time.time()
        measure_elementwise(engine, function, P, fmt, AE.candidates(function, P, fmt, rng, args.points),
                            worst, cache)
        climb_elementwise(engine, function, P, fmt, worst, cache, rng, args.rounds)
        for key, row in worst.kept().items():
            table[(function, index, fmt, key)] = row
        report(function, f"set {index}", fmt, worst, len(cache), time.time() - started)


def elementwise_line(function, index, fmt, row):
    x, f, d, dj, *partials = row
    return "\t".join([function, str(index), fmt, enc([x], fmt), enc([f], fmt), enc([d], fmt), enc([dj], fmt),
                      enc(partials, fmt) if partials else "-"])


def read_elementwise(path):
    table = {}
    if os.path.exists(path):
        for line in open(path):
            f = line.rstrip("\n").split("\t")
            fmt = f[2]
            row = dec(f[3], fmt) + dec(f[4], fmt) + dec(f[5], fmt) + dec(f[6], fmt) + dec(f[7], fmt)
            table[(f[0], int(f[1]), fmt, f[3])] = row
    return table


# MARK: vector

def measure_vector(engine, function, P, fmt, x, g, worst):
    y, dx = engine.vector(function, fmt, P, x, g)
    ry, rdx = AV.reference(function, P, x, g, fmt)
    key = enc(x, fmt) + "|" + enc(g, fmt)
    row = (x, g, ry, rdx)
    worst_index, worst_error = 0, -1.0
    for q, got, ref in (("values", y, ry), ("gradients", dx, rdx)):
        for classname in (False, True):
            errs = [(ulp_error(a, b, fmt), i) for i, (a, b) in enumerate(zip(got, ref)) if is_subnormal(b, fmt) == classname]
            if errs:
                e, i = max(errs)
                worst.record(q, classname, e, key, row)
                if e > worst_error:
                    worst_error, worst_index = e, i
    return worst_error, worst_index


def search_vector(engine, function, P, fmt, args, rng, table, report):
    worst = Worst()
    started = time.time()
    rows = AV.rows_for(function, P, fmt, rng, args.rows)
    scored = [(measure_vector(engine, function, P, fmt, x, g, worst), x, g) for x, g in rows]
    scored.sort(key=lambda t: -t[0][0])
    for (best, focus), x, g in scored[:6]:
        for _ in range(args.rounds * 4):
            nx, ng = AV.perturb(function, P, x, g, fmt, rng, focus)
            if not all(math.isfinite(v) or math.isinf(v) for v in nx + ng):
                continue
            e, i = measure_vector(engine, function, P, fmt, nx, ng, worst)
            if e > best:
                best, focus, x, g = e, i, nx, ng
    for key, row in worst.kept().items():
        table[(function, AV.params_text(P), fmt, key)] = row
    report(function, AV.params_text(P), fmt, worst, len(rows), time.time() - started)


def read_vector(path):
    table = {}
    if os.path.exists(path):
        for line in open(path):
            f = line.rstrip("\n").split("\t")
            table[(f[0], f[2], f[1], f[3] + "|" + f[4])] = line.rstrip("\n")
    return table


def vector_line(function, params, fmt, row):
    if isinstance(row, str):
        return row
    x, g, y, dx = row
    return "\t".join([function, fmt, params, enc(x, fmt), enc(g, fmt), enc(y, fmt), enc(dx, fmt)])


# MARK: main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", help="functions (default: all 40)")
    ap.add_argument("--dtypes", nargs="*", default=["f64", "f32"])
    ap.add_argument("--points", type=int, default=1600, help="random candidates per elementwise case")
    ap.add_argument("--rows", type=int, default=240, help="random slices per vector case")
    ap.add_argument("--rounds", type=int, default=6, help="hill-climbing rounds from each worst point")
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--kernels", help="baseline or x86-64-v3 (default: the fastest available)")
    ap.add_argument("--replace", action="store_true", help="write the tables afresh")
    ap.add_argument("--dry-run", action="store_true", help="search and report, write nothing")
    ap.add_argument("--show", type=int, default=0, help="print the N worst inputs of each quantity")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    engine = Engine(kernels=args.kernels)
    elementwise = {} if args.replace else read_elementwise(ELEMENTWISE_TABLE)
    vector = {} if args.replace else read_vector(VECTOR_TABLE)
    order = list(CASES) + AV.SOFTMAX + ["glu", "reglu", "geglu", "swiglu"]
    selected = [f for f in order if not args.only or f in args.only]

    def report(function, case, fmt, worst, count, seconds):
        cells = []
        for (q, cls), e in sorted(worst.summary().items()):
            cells.append(f"{q}{'(sub)' if cls == 'subnormal' else ''} {e:.3g}")
        print(f"| {function} | {case} | {fmt} | {count} | {seconds:.0f}s | " + ", ".join(cells) + " |", flush=True)
        if args.show:
            shown = {}
            for error, key, row, q, cls in worst.best():
                if error > 0 and shown.get((q, cls), 0) < args.show:
                    shown[(q, cls)] = shown.get((q, cls), 0) + 1
                    print(f"    {q} {cls}: {error:.3g} ulp at {key}: {row!r}"[:600], flush=True)

    print("| function | case | dtype | inputs | time | worst ulp error: quantity (sub = subnormal result) |")
    print("|---|---|---|---|---|---|")
    for function in selected:
        for fmt in args.dtypes:
            if function in CASES:
                search_elementwise(engine, function, fmt, args, rng, elementwise, report)
            else:
                for name, P in AV.cases():
                    if name == function:
                        search_vector(engine, function, P, fmt, args, rng, vector, report)
    engine.close()
    if args.dry_run:
        return
    rank = {f: i for i, f in enumerate(order)}
    with open(ELEMENTWISE_TABLE, "w") as out:
        for key in sorted(elementwise, key=lambda k: (rank[k[0]], k[1], k[2] != "f64", k[3])):
            out.write(elementwise_line(key[0], key[1], key[2], elementwise[key]) + "\n")
    with open(VECTOR_TABLE, "w") as out:
        for key in sorted(vector, key=lambda k: (rank[k[0]], k[1], k[2] != "f64", k[3])):
            out.write(vector_line(key[0], key[1], key[2], vector[key]) + "\n")
    print(f"wrote {len(elementwise)} elementwise and {len(vector)} vector cases")


if __name__ == "__main__":
    main()

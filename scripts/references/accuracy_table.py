#!/usr/bin/env python3
"""Turns the ACCURACY rows that the accuracy tests print into the Markdown tables of
docs/accuracy.md, in catalogue order: a summary per function and dtype (worst over its
parameter sets), then every case with the input where its worst error occurs.

    swift test --skip-build --filter AccuracyTests 2>&1 | python3 scripts/references/accuracy_table.py
"""
import json
import math
import os
import sys

MANIFEST = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ActivationMathTests",
                        "References", "manifest.json")


def ulps(cell):
    """The worst error in a cell: "0", "3 @ -13.5", "∂scale 0; ∂bias 1 @ 2", or "-"."""
    worst = None
    for part in cell.split(";"):
        words = part.replace("∂", "").split()
        numbers = [w for w in words if w[0].isdigit() or w in ("inf", "nan")]
        if numbers:
            value = float(numbers[0])
            worst = value if worst is None or value > worst or math.isnan(value) else worst
    return worst


def fmt(value):
    return "-" if value is None else ("%g" % value)


def main():
    with open(MANIFEST) as fh:
        order = []
        for case in json.load(fh)["cases"]:
            if case["function"] not in order:
                order.append(case["function"])
    rows = []
    for line in sys.stdin:
        if line.startswith("ACCURACY |"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")][1:])
    rank = lambda r: (order.index(r[0]) if r[0] in order else len(order), r[2] != "f64", r[1])
    rows = sorted({tuple(r) for r in rows}, key=rank)

    print("| function | f64 value | f64 f' | f64 ∂p | f32 value | f32 f' | f32 ∂p | ±0, ±inf, NaN |")
    print("|---|---|---|---|---|---|---|---|")
    for function in order:
        cells = []
        mine = [r for r in rows if r[0] == function]
        if not mine:
            continue
        for dtype in ("f64", "f32"):
            of = [r for r in mine if r[2] == dtype]
            value = max((ulps(r[3]) for r in of), default=None)
            derivative = max((max(ulps(r[4]), ulps(r[5])) for r in of), default=None)
            partial = [ulps(r[6]) for r in of if ulps(r[6]) is not None]
            cells += [fmt(value), fmt(derivative), fmt(max(partial) if partial else None)]
        special = "exact" if all(r[7] == "exact" for r in mine) else "**not exact**"
        print(f"| {function} | " + " | ".join(cells) + f" | {special} |")

    print()
    print("| function | parameters | dtype | value | derivative (PyTorch) | derivative (JAX) "
          "| learnable partials | ±0, ±inf, NaN |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()

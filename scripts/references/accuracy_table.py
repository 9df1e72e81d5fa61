#!/usr/bin/env python3
"""Turns the ACCURACY rows that the accuracy tests print into the Markdown table of
docs/accuracy.md, in catalogue order, float64 before float32.

    swift test --skip-build --filter AccuracyTests 2>&1 | python3 scripts/references/accuracy_table.py
"""
import json
import os
import sys

MANIFEST = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ActivationMathTests",
                        "References", "manifest.json")


def main():
    with open(MANIFEST) as fh:
        order = []
        for case in json.load(fh)["cases"]:
            if case["function"] not in order:
                order.append(case["function"])
    rows = []
    for line in sys.stdin:
        if not line.startswith("ACCURACY |"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")][1:]
        rows.append(cells)
    rank = lambda r: (order.index(r[0]) if r[0] in order else len(order), r[2] != "f64", r[1])
    rows = sorted({tuple(r) for r in rows}, key=rank)
    print("| function | parameters | dtype | value | derivative (PyTorch) | derivative (JAX) "
          "| learnable partials | ±0, ±inf, NaN |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Asks the live server about every rule openapi.yaml states for each function's request.

schemathesis samples 40 request branches at random and may never reach, say, the upper bound
of one parameter in one of them. This walks them all: for every function (by every name), each
parameter's default (the server resolves the same value), every bound (the bound and the next
double on each side), every choice and a non-choice, a per-channel list of 1, of one per channel
and of a wrong length, an unknown parameter, each required parameter left out, and the axis
range; each request must be accepted exactly when the schema says it is valid.

Usage: scripts/check-openapi-params.py --base-url http://127.0.0.1:8080 [--spec openapi.yaml]
"""
import argparse
import json
import math
import pathlib
import sys
import urllib.error
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
# 2 x 2: two channels (axis 1), and an even last axis for the functions that split it.
INPUTS = [[0.5, -0.5], [1.5, -2.0]]


def post(base, body):
    req = urllib.request.Request(base + "/v1/activate", data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def target(ref):
    return ref["$ref"].rsplit("/", 1)[1]


def number_schema(parameter):
    return parameter["anyOf"][0] if "anyOf" in parameter else parameter


def valid_number(schema):
    """A number inside the schema's bounds."""
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if low is not None and high is not None:
        return (low + high) / 2
    if low is not None:
        return low + 1
    if high is not None:
        return high - 1
    return 0.5


def bound_cases(schema):
    """(value, valid) at and beside each bound."""
    cases = []
    for keyword, inclusive, outward in [("minimum", True, -math.inf), ("exclusiveMinimum", False, -math.inf),
                                        ("maximum", True, math.inf), ("exclusiveMaximum", False, math.inf)]:
        if keyword in schema:
            bound = float(schema[keyword])
            cases += [(bound, inclusive), (math.nextafter(bound, outward), False),
                      (math.nextafter(bound, -outward), True)]
    return cases


def function_cases(schemas, branch):
    """(description, request body, whether the schema calls it valid) for one function."""
    evaluation = schemas[branch]
    params_schema = schemas[target(evaluation["properties"]["params"])]
    properties = params_schema["properties"]
    required = params_schema.get("required", [])
    vector = target(evaluation["properties"]["axis"]) == "VectorAxis"
    names = evaluation["properties"]["function"]["enum"]
    base_params = {p: valid_number(number_schema(properties[p])) for p in required}
    assert not params_schema.get("x-constraints") or all(
        not any(k in number_schema(properties[p]) for k in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"))
        for p in properties), f"{branch}: bounded parameters in a relation need relation-aware cases"

    def body(params=None, **fields):
        return {"function": names[0], "inputs": INPUTS, "params": {**base_params, **(params or {})}, **fields}

    cases = [(f"{name}: valid", {**body(), "function": name}, True) for name in names]
    cases.append(("unknown parameter", body({"zzz_unknown": 1}), False))
    for name in required:
        cases.append((f"{name} left out", {**body(), "params": {k: v for k, v in base_params.items() if k != name}},
                      False))
    for name, parameter in properties.items():
        if "enum" in parameter:
            cases += [(f"{name} = {choice!r}", body({name: choice}), True) for choice in parameter["enum"]]
            cases.append((f"{name} = not a choice", body({name: "zzz"}), False))
            continue
        number = number_schema(parameter)
        cases += [(f"{name} = {value!r}", body({name: value}), valid) for value, valid in bound_cases(number)]
        if "anyOf" in parameter:
            channel_axis = parameter["x-per-channel-axis"]
            channels = len(INPUTS) if channel_axis == 0 else len(INPUTS[0])
            value = valid_number(number)
            cases += [(f"{name} as [1 value]", body({name: [value]}), True),
                      (f"{name} per channel", body({name: [value] * channels}), True),
                      (f"{name} of a wrong length (rule beyond the schema)", body({name: [value] * (channels + 1)}),
                       False)]
    axis = schemas["VectorAxis" if vector else "ElementwiseAxis"]
    cases += [(f"axis = {a}", body(axis=a), True) for a in (axis["minimum"] if not vector else -2, axis["maximum"]
                                                             if not vector else 1)]
    cases += [(f"axis = {a}", body(axis=a), False) for a in (axis["minimum"] - 1, axis["maximum"] + 1)]
    if target(evaluation["properties"]["inputs"]) == "NDArrayAtLeast1D":
        cases.append(("0-d input", {**body(), "inputs": 0.5}, False))
    return cases, properties


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--spec", default=str(ROOT / "openapi.yaml"))
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    schemas = yaml.safe_load(pathlib.Path(args.spec).read_text(encoding="utf-8"))["components"]["schemas"]
    passed, failures = 0, []
    for branch in (target(ref) for ref in schemas["Evaluation"]["oneOf"]):
        cases, properties = function_cases(schemas, branch)
        for description, body, valid in cases:
            status, answer = post(base, body)
            if (200 <= status < 300) != valid:
                failures.append(f"{branch}: {description}: schema says {'valid' if valid else 'invalid'}, "
                                f"server answered {status} {json.dumps(answer)[:200]}")
                continue
            if valid and description.endswith(": valid"):
                # Defaults: what the server fills in is what the schema says.
                for name, parameter in properties.items():
                    if "default" in parameter and answer["params"].get(name) != parameter["default"]:
                        failures.append(f"{branch}: default of {name}: schema {parameter['default']!r}, "
                                        f"server {answer['params'].get(name)!r}")
            passed += 1
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"openapi.yaml parameter rules against the server: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

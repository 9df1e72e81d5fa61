#!/usr/bin/env python3
"""Writes openapi.yaml: the hand-written contract plus the parts generated from the service.

Two parts come from a running server, so they cannot drift from the code:
- the per-function parameter reference (from GET /v1/functions), and
- every example: each request below is sent, and the answer it really got is recorded.

Usage:
  scripts/gen-openapi.py --base-url http://127.0.0.1:8080            rewrite openapi.yaml
  scripts/gen-openapi.py --base-url http://127.0.0.1:8080 --check    exit 1 when it is stale
Then scripts/embed-openapi.py embeds the file into the binary (GET /openapi.yaml).
"""
import argparse
import json
import pathlib
import sys
import urllib.error
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = ROOT / "openapi.yaml"

# MARK: examples: real requests, answered by the running server

ACTIVATE_EXAMPLES = [
    ("gelu_float32", "GELU of four float32 numbers (values and gradients)",
     {"function": "gelu", "inputs": [-1.5, -0.5, 0.5, 1.5], "dtype": "float32"}),
    ("leaky_relu_params", "A parameter, and values only",
     {"function": "leaky_relu", "inputs": [[-2, -1], [1, 2]], "params": {"alpha": 0.1},
      "outputs": ["values"]}),
    ("softmax_axis", "A vector function along axis 0 of a 2x3 array",
     {"function": "softmax", "inputs": [[1, 2, 3], [1, 2, 4]], "axis": 0}),
    ("prelu_grad_output", "Upstream gradient, and the gradient of a learnable parameter",
     {"function": "prelu", "inputs": [-2, -1, 0.5, 3], "params": {"alpha": 0.25},
      "grad_output": [1, 0.5, 1, 2]}),
    ("non_finite", "Non-finite numbers travel as strings",
     {"function": "sigmoid", "inputs": ["-Infinity", -1, 0, "NaN", "Infinity"]}),
    ("jax_conventions", "JAX's derivative at a kink (relu'(0))",
     {"function": "relu", "inputs": [0], "conventions": "jax"}),
    ("batch", "A batch: an array of evaluations answers an array of results",
     [{"function": "relu", "inputs": [-1, 2]}, {"function": "tanh", "inputs": 0.5, "dtype": "float32"}]),
    ("unknown_function", "An unknown function: 404 listing the known names",
     {"function": "relux", "inputs": [1]}),
    ("ragged", "Ragged nested arrays: 422 with the JSON path",
     {"function": "relu", "inputs": [[1, 2], [3]]}),
    ("bad_parameter", "A parameter out of range: 422",
     {"function": "squareplus", "inputs": [1], "params": {"b": -1}}),
]
MALFORMED_BODY = '{"function": "relu", "inputs": [1, 2,]}'


def request(base, method, path, body=None, raw=None, content_type="application/json"):
    data = raw.encode() if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def jsonish(status, payload):
    return status, json.loads(payload)


# MARK: schemas (hand-written: the shape of the API)

def error_response(description):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


COMMON_ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "405": {"$ref": "#/components/responses/MethodNotAllowed"},
    "408": {"$ref": "#/components/responses/RequestTimeout"},
    "413": {"$ref": "#/components/responses/PayloadTooLarge"},
    "414": {"$ref": "#/components/responses/URITooLong"},
    "431": {"$ref": "#/components/responses/HeadersTooLarge"},
    "501": {"$ref": "#/components/responses/NotImplemented"},
    "503": {"$ref": "#/components/responses/Unavailable"},
    "505": {"$ref": "#/components/responses/VersionNotSupported"},
}


def with_common(responses):
    merged = dict(COMMON_ERRORS)
    merged.update(responses)
    return dict(sorted(merged.items()))


def schemas():
    number = {"description": "A number, or one of the strings \"NaN\", \"Infinity\", \"-Infinity\".",
              "anyOf": [{"type": "number"}, {"type": "string", "enum": ["NaN", "Infinity", "-Infinity"]}]}
    return {
        "Number": number,
        "NDArray": {
            "description": "A number (0-d) or nested arrays of numbers: rectangular, at most 8 dimensions, "
                           "row-major. Non-finite numbers are the strings \"NaN\", \"Infinity\", \"-Infinity\".",
            "anyOf": [{"$ref": "#/components/schemas/Number"},
                      {"type": "array", "items": {"$ref": "#/components/schemas/NDArray"}}]},
        "ParamValue": {
            "description": "A number, a list of numbers (prelu's per-channel alpha), or a choice string.",
            "anyOf": [{"$ref": "#/components/schemas/Number"},
                      {"type": "array", "items": {"$ref": "#/components/schemas/Number"}},
                      {"type": "string"}]},
        "Evaluation": {
            "type": "object",
            "required": ["function", "inputs"],
            "additionalProperties": False,
            "properties": {
                "function": {"type": "string", "description": "Canonical name or alias (GET /v1/functions)."},
                "inputs": {"$ref": "#/components/schemas/NDArray"},
                "params": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/ParamValue"},
                           "description": "Function parameters by name; missing ones take their defaults, "
                                          "unknown or out-of-range ones are 422. See the function reference "
                                          "in this document's description."},
                "dtype": {"type": "string", "enum": ["float32", "float64"], "default": "float64"},
                "outputs": {"type": "array", "items": {"type": "string", "enum": ["values", "gradients"]},
                            "default": ["values", "gradients"]},
                "grad_output": {"$ref": "#/components/schemas/NDArray",
                                "description": "Upstream gradient, shaped like the values; default all ones."},
                "axis": {"type": "integer", "default": -1, "description": "Axis of vector functions."},
                "conventions": {"type": "string", "enum": ["pytorch", "jax"], "default": "pytorch",
                                "description": "Which framework's derivative to take at kinks."},
            },
        },
        "ActivateRequest": {"anyOf": [{"$ref": "#/components/schemas/Evaluation"},
                                      {"type": "array", "items": {"$ref": "#/components/schemas/Evaluation"}}]},
        "EvaluationResult": {
            "type": "object",
            "required": ["function", "params", "dtype", "shape"],
            "properties": {
                "function": {"type": "string", "description": "Canonical name."},
                "params": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/ParamValue"},
                           "description": "The parameters used, defaults filled in."},
                "dtype": {"type": "string", "enum": ["float32", "float64"]},
                "shape": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                "values": {"$ref": "#/components/schemas/NDArray"},
                "gradients": {"$ref": "#/components/schemas/NDArray"},
                "param_gradients": {"type": "object",
                                    "additionalProperties": {"$ref": "#/components/schemas/ParamValue"},
                                    "description": "Sum of grad_output times the partial derivative, "
                                                   "for each learnable parameter."},
            },
        },
        "ActivateResponse": {"anyOf": [{"$ref": "#/components/schemas/EvaluationResult"},
                                       {"type": "array", "items": {"$ref": "#/components/schemas/EvaluationResult"}}]},
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {
                "type": "object", "required": ["code", "message", "details"],
                "properties": {
                    "code": {"type": "string", "description": "Stable snake_case code."},
                    "message": {"type": "string", "description": "For people; may change."},
                    "details": {"type": "object", "description": "Where and what: path, line, column, index, known."},
                }}},
        },
        "Parameter": {
            "type": "object", "required": ["name", "type", "required", "learnable", "description"],
            "properties": {
                "name": {"type": "string"},
                "type": {"type": "string", "enum": ["number", "number_or_per_channel", "choice"]},
                "choices": {"type": "array", "items": {"type": "string"}},
                "required": {"type": "boolean"},
                "default": {"$ref": "#/components/schemas/ParamValue"},
                "minimum": {"$ref": "#/components/schemas/Number"},
                "exclusive_minimum": {"$ref": "#/components/schemas/Number"},
                "maximum": {"$ref": "#/components/schemas/Number"},
                "exclusive_maximum": {"$ref": "#/components/schemas/Number"},
                "learnable": {"type": "boolean"},
                "description": {"type": "string"},
            }},
        "Kink": {
            "type": "object",
            "required": ["location", "location_at_defaults", "pytorch", "pytorch_at_defaults", "jax", "jax_at_defaults"],
            "properties": {
                "location": {"type": "string"}, "location_at_defaults": {"$ref": "#/components/schemas/Number"},
                "pytorch": {"type": "string"}, "pytorch_at_defaults": {"$ref": "#/components/schemas/Number"},
                "jax": {"type": "string"}, "jax_at_defaults": {"$ref": "#/components/schemas/Number"},
            }},
        "FunctionMetadata": {
            "type": "object",
            "required": ["name", "aliases", "kind", "summary", "formula", "formula_latex", "derivative",
                         "derivative_latex", "parameters", "constraints", "range", "properties", "cost",
                         "kinks", "year", "reference", "notes", "accuracy"],
            "properties": {
                "name": {"type": "string"},
                "aliases": {"type": "array", "items": {"type": "string"}},
                "kind": {"type": "string", "enum": ["elementwise", "vector"]},
                "summary": {"type": "string"},
                "formula": {"type": "string"}, "formula_latex": {"type": "string"},
                "derivative": {"type": "string"}, "derivative_latex": {"type": "string"},
                "parameters": {"type": "array", "items": {"$ref": "#/components/schemas/Parameter"}},
                "constraints": {"type": "array", "items": {"type": "string"}},
                "range": {"type": "string"},
                "properties": {"type": "object", "additionalProperties": {"type": "boolean"}},
                "cost": {"type": "string", "enum": ["trivial", "cheap", "moderate", "expensive"]},
                "kinks": {"type": "array", "items": {"$ref": "#/components/schemas/Kink"}},
                "year": {"type": "integer"},
                "reference": {"type": "string"},
                "notes": {"type": "array", "items": {"type": "string"}},
                "accuracy": {"$ref": "#/components/schemas/Accuracy"},
            }},
        "Accuracy": {
            "type": "object", "required": ["float32", "float64", "exact"],
            "description": "The worst error measured against correctly rounded mpmath references (the committed "
                           "reference vectors and the adversarial search's worst cases), in units in the last "
                           "place of the exact result, for normal results; subnormal results are held to the same "
                           "bound in the smallest subnormal's spacing. Gradients are the VJP with respect to the "
                           "input; learnable-parameter gradients are not included (docs/accuracy.md). `exact`: "
                           "every value and gradient is correctly rounded for every input, by construction.",
            "properties": {
                "float32": {"$ref": "#/components/schemas/AccuracyBound"},
                "float64": {"$ref": "#/components/schemas/AccuracyBound"},
                "exact": {"type": "boolean"},
            }},
        "AccuracyBound": {
            "type": "object", "required": ["values_ulp", "gradients_ulp"],
            "properties": {
                "values_ulp": {"type": "integer", "minimum": 0},
                "gradients_ulp": {"type": "integer", "minimum": 0},
            }},
        "FunctionList": {"type": "object", "required": ["functions"],
                         "properties": {"functions": {"type": "array",
                                                      "items": {"$ref": "#/components/schemas/FunctionMetadata"}}}},
        "Health": {"type": "object", "required": ["status"],
                   "properties": {"status": {"type": "string"}, "version": {"type": "string"}}},
    }


def components():
    return {
        "schemas": schemas(),
        "responses": {
            "BadRequest": error_response("Malformed request: bad HTTP framing (from the server), malformed JSON "
                                         "(`malformed_json`, details `line` and `column`), a JSON value of the "
                                         "wrong type (`invalid_type`, details `path`), or a bad query parameter."),
            "MethodNotAllowed": {**error_response("The path exists, but not with this method "
                                                  "(`method_not_allowed`); `Allow` lists the methods."),
                                 "headers": {"Allow": {"description": "The methods this path answers.",
                                                       "schema": {"type": "string"}}}},
            "RequestTimeout": error_response("The request's head or body did not arrive in time."),
            "PayloadTooLarge": error_response("The body is larger than the server's limit (MAX_BODY_BYTES)."),
            "URITooLong": error_response("The request line is longer than the server's limit."),
            "HeadersTooLarge": error_response("The header section is larger than the server's limits."),
            "NotImplemented": error_response("A method or transfer coding the server does not implement."),
            "Unavailable": error_response("Draining (readiness), or the connection limit is reached."),
            "VersionNotSupported": error_response("An HTTP version other than 1.0 and 1.1."),
        },
    }


# MARK: the function reference (generated from GET /v1/functions)

def function_reference(functions):
    lines = ["## Functions and their parameters", "",
             "Generated from `GET /v1/functions` by scripts/gen-openapi.py.", ""]
    for entry in functions:
        aliases = f" (aliases: {', '.join(entry['aliases'])})" if entry["aliases"] else ""
        lines.append(f"- **{entry['name']}**{aliases}, {entry['kind']}: {entry['summary']} `{entry['formula']}`")
        for p in entry["parameters"]:
            facts = [p["type"]]
            if p.get("choices"):
                facts.append("one of " + ", ".join(p["choices"]))
            facts.append("required" if p["required"] else
                         (f"default {json.dumps(p['default'])}" if "default" in p else "optional"))
            for key, sign in [("minimum", ">="), ("exclusive_minimum", ">"), ("maximum", "<="),
                              ("exclusive_maximum", "<")]:
                if key in p:
                    facts.append(f"{sign} {json.dumps(p[key])}")
            if p["learnable"]:
                facts.append("learnable")
            lines.append(f"  - `{p['name']}` ({'; '.join(facts)}): {p['description']}")
        for constraint in entry["constraints"]:
            lines.append(f"  - constraint: `{constraint}`")
    return "\n".join(lines) + "\n"


DESCRIPTION = """\
Evaluates neural-network activation functions and their gradients (vector-Jacobian products)
over N-dimensional arrays, in float32 or float64.

Numbers are written as the shortest text that reads back to the same float in the request's dtype
(float32 answers as float32 text: `0.1`, not `0.10000000149011612`). Non-finite numbers travel as
the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, in and out.

Every error is `{"error": {"code", "message", "details"}}` with a stable `code`. Every response
carries `X-Request-Id` (the client's, when it is a short token, or a generated one).

"""


def build(base):
    status, functions = jsonish(*request(base, "GET", "/v1/functions"))
    assert status == 200, status
    functions = functions["functions"]

    activate_requests, activate_answers = {}, {}
    for name, summary, body in ACTIVATE_EXAMPLES:
        status, answer = jsonish(*request(base, "POST", "/v1/activate", body))
        activate_requests[name] = {"summary": summary, "value": body}
        activate_answers.setdefault(str(status), {})[name] = {"summary": summary, "value": answer}
    status, answer = jsonish(*request(base, "POST", "/v1/activate", raw=MALFORMED_BODY))
    activate_requests["malformed"] = {"summary": "Malformed JSON: 400 with line and column",
                                      "value": MALFORMED_BODY}
    activate_answers.setdefault(str(status), {})["malformed"] = {
        "summary": "Malformed JSON: 400 with line and column", "value": answer}
    status, answer = jsonish(*request(base, "POST", "/v1/activate", raw="{}", content_type="text/plain"))
    unsupported = {"not_json": {"summary": "Content-Type other than application/json", "value": answer}}

    status, gelu = jsonish(*request(base, "GET", "/v1/functions/gelu"))
    status, unknown = jsonish(*request(base, "GET", "/v1/functions/relux"))
    status, health = jsonish(*request(base, "GET", "/healthz"))
    status, bad_kind = jsonish(*request(base, "GET", "/v1/functions?kind=scalar"))

    def content(schema, examples=None):
        media = {"schema": {"$ref": f"#/components/schemas/{schema}"}}
        if examples:
            media["examples"] = examples
        return {"application/json": media}

    activate_responses = {
        "200": {"description": "One result, or an array of results in the order of the batch.",
                "content": content("ActivateResponse", activate_answers.get("200"))},
        "400": {"description": "Malformed JSON (`malformed_json`, details `line`, `column`) or a value of the "
                               "wrong JSON type (`invalid_type`, details `path`); or bad HTTP framing.",
                "content": content("Error", activate_answers.get("400"))},
        "404": {"description": "Unknown function (`unknown_function`, details `known` lists the names, "
                               "`index` the batch position).",
                "content": content("Error", activate_answers.get("404"))},
        "415": {"description": "The Content-Type is not application/json (`unsupported_media_type`).",
                "content": content("Error", unsupported)},
        "422": {"description": "Valid JSON that is not a valid evaluation: ragged arrays, unknown fields, bad "
                               "or missing parameters, shape mismatches, too many dimensions or elements. "
                               "In a batch nothing is evaluated and `details.index` names the item.",
                "content": content("Error", activate_answers.get("422"))},
    }
    headers = {"X-Request-Id": {"description": "The client's request id, or a generated one.",
                                "schema": {"type": "string"}}}

    def get(summary, operation_id, responses, parameters=None, description=None):
        op = {"summary": summary, "operationId": operation_id}
        if description:
            op["description"] = description
        if parameters:
            op["parameters"] = parameters
        op["responses"] = with_common(responses)
        return op

    paths = {
        "/v1/activate": {"post": {
            "summary": "Evaluate activation functions and their gradients",
            "operationId": "activate",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/ActivateRequest"}, "examples": activate_requests}}},
            "responses": with_common(activate_responses),
        }},
        "/v1/functions": {"get": get(
            "List the catalogue", "listFunctions",
            {"200": {"description": "Every function's metadata, optionally one kind only.",
                     "content": content("FunctionList")},
             "400": {"description": "`kind` is not `elementwise` or `vector` (`invalid_query`).",
                     "content": content("Error", {"bad_kind": {"value": bad_kind}})}},
            parameters=[{"name": "kind", "in": "query", "required": False,
                         "schema": {"type": "string", "enum": ["elementwise", "vector"]}}])},
        "/v1/functions/{name}": {"get": get(
            "One function's metadata", "getFunction",
            {"200": {"description": "The function's metadata.",
                     "content": content("FunctionMetadata", {"gelu": {"value": gelu}})},
             "404": {"description": "Neither a canonical name nor an alias (`unknown_function`), or no such path.",
                     "content": content("Error", {"unknown": {"value": unknown}})}},
            parameters=[{"name": "name", "in": "path", "required": True,
                         "description": "Canonical name or alias.",
                         "schema": {"type": "string", "minLength": 1, "pattern": "^[A-Za-z0-9_]+$"}}])},
        "/healthz": {"get": get(
            "Liveness", "health",
            {"200": {"description": "The process is serving (also while draining).",
                     "content": content("Health", {"ok": {"value": health}})}})},
        "/readyz": {"get": get(
            "Readiness", "ready",
            {"200": {"description": "Ready for traffic.", "content": content("Health")},
             "503": {"description": "Draining after SIGTERM/SIGINT (`not_ready`): take it out of rotation.",
                     "content": content("Error")}})},
        "/metrics": {"get": get(
            "Prometheus metrics", "metrics",
            {"200": {"description": "Prometheus text exposition format 0.0.4.",
                     "content": {"text/plain": {"schema": {"type": "string"}}}}},
            description="Requests by route, method and status; request duration histogram; requests in "
                        "flight; open connections; elements evaluated by function and dtype; errors by code.")},
        "/openapi.yaml": {"get": get(
            "This document", "openapi",
            {"200": {"description": "The OpenAPI document, byte for byte as committed.",
                     "content": {"application/yaml": {"schema": {
                         "type": "object", "description": "A YAML mapping: this document."}}}}})},
    }
    for item in paths.values():
        for op in item.values():
            for status, response in op["responses"].items():
                if "$ref" not in response:
                    response["headers"] = headers

    return {
        "openapi": "3.1.0",
        "info": {"title": "activation-service", "version": "1.0.0",
                 "description": DESCRIPTION + function_reference(functions),
                 "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}},
        "servers": [{"url": "http://localhost:8080", "description": "swift run -c release activation-server"}],
        "paths": paths,
        "components": components(),
    }


def render(spec):
    header = "# Generated by scripts/gen-openapi.py from the running service: do not edit by hand.\n"
    return header + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=110)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = render(build(args.base_url.rstrip("/")))
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print("openapi.yaml is stale: run scripts/gen-openapi.py --base-url ... "
                  "then scripts/embed-openapi.py", file=sys.stderr)
            return 1
        print("openapi.yaml is up to date")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes openapi.yaml: the hand-written contract plus the parts generated from the service.

Three parts come from a running server, so they cannot drift from the code:
- the request schema of every function: its name and aliases, and each parameter's type, default,
  bounds and choices (from GET /v1/functions; which vector functions halve their axis is asked of
  the server by evaluating each once);
- the per-function parameter reference in the description (from GET /v1/functions), and
- every example: each request below is sent, and the answer it really got is recorded.

Layout, so that new routes slot in beside the old ones:
- `Live` talks to the running server and holds what it serves (the catalogue);
- `SCHEMA_SECTIONS` are functions `(live) -> {name: schema}` that together make
  components/schemas; `PATH_SECTIONS` are functions `(live) -> {path: path item}`. A new family
  of routes adds one function to each list (and its responses to `RESPONSE_SECTIONS` if shared);
  `build` merges them and refuses a name defined twice.

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

import openapi_inference  # the /v2 routes (scripts/openapi_inference.py)

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = ROOT / "openapi.yaml"


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


# MARK: the running server

class Live:
    """The running server: requests, and the catalogue it serves."""

    def __init__(self, base):
        self.base = base
        status, catalogue = self.json("GET", "/v1/functions")
        assert status == 200, status
        self.functions = catalogue["functions"]
        self.property_definitions = catalogue["property_definitions"]
        # Which vector functions split their axis into two halves (the GLU family) is not a field of
        # the metadata: the server says it by the shape of one evaluation's values.
        self.splits_axis = {}
        for entry in self.functions:
            if entry["kind"] == "vector":
                status, answer = self.json("POST", "/v1/activate", {
                    "function": entry["name"], "inputs": [0, 0], "outputs": ["values"]})
                assert status == 200, (entry["name"], status, answer)
                self.splits_axis[entry["name"]] = answer["shape"] == [1]

    def request(self, method, path, body=None, raw=None, content_type="application/json"):
        data = raw.encode() if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def json(self, method, path, body=None, **kwargs):
        status, payload = self.request(method, path, body, **kwargs)
        return status, json.loads(payload)


# MARK: helpers for operations

def error_response(description):
    return {"description": description,
            "content": {"application/json": {"schema": ref("Error")}}}


def content(schema, examples=None):
    media = {"schema": ref(schema)}
    if examples:
        media["examples"] = examples
    return {"application/json": media}


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


def get(summary, operation_id, responses, parameters=None, description=None):
    op = {"summary": summary, "operationId": operation_id}
    if description:
        op["description"] = description
    if parameters:
        op["parameters"] = parameters
    op["responses"] = with_common(responses)
    return op


# MARK: schemas: numbers and arrays

# The server's limits that a schema can state (Tensor.maxDimensions, ParamsReader.maxArrayCount)
# and the ones it cannot (ServiceConfiguration.maxElements, float32's range).
MAX_DIMENSIONS = 8
MAX_PARAMETER_ARRAY = 1 << 20
DEFAULT_MAX_ELEMENTS = 4_194_304
# 2^128 - 2^103: the smallest magnitude that rounds to infinity in float32 (halfway past the largest
# float32, ties to even). A finite float64 at or past it is 422 `invalid_value` for dtype float32.
FLOAT32_OVERFLOW = float(2**128 - 2**103)
# |axis| below 10^15 (EvaluationReader.readAxis); elementwise functions ignore it otherwise.
AXIS_MAGNITUDE_LIMIT = 10**15 - 1
CHANNEL_AXIS = 1

RUNTIME_CHECKS_TEXT = (
    "Checked by the server, beyond this schema (marked by the `x-server-checks`, `x-per-channel-axis` "
    "and `x-constraints` extensions; scripts/schemathesis_hooks.py repairs generated valid requests "
    "for exactly these): `inputs` and "
    "`grad_output` are rectangular; `grad_output` has the shape of the values; a vector function's "
    "`axis` lies in [-ndim, ndim) (-1 or 0 for a 0-d input); a function that splits its axis (GLU "
    "family) needs that axis of even length; a per-channel parameter list has 1 value or one per "
    "channel (the size of axis 1); relations between parameters (`lower <= upper`) hold with "
    "defaults filled in; with dtype float32 every number, parameters included, must stay finite and "
    "inside its bounds once rounded to float32 (|x| < 2^128 - 2^103); `inputs` plus `grad_output` "
    "hold at most MAX_ELEMENTS numbers across a batch (4194304 by default). Violations are 422.")


def value_schemas(live):
    schemas = {
        "Number": {"description": "A number, or one of the strings \"NaN\", \"Infinity\", \"-Infinity\".",
                   "anyOf": [{"type": "number"}, {"type": "string", "enum": ["NaN", "Infinity", "-Infinity"]}]},
        "NDArray": {
            "description": f"A number (0-d) or nested arrays of numbers: rectangular, at most {MAX_DIMENSIONS} "
                           "dimensions, row-major. Non-finite numbers are the strings \"NaN\", \"Infinity\", "
                           "\"-Infinity\". The schema fixes the depth; that arrays at one depth have one length "
                           "(rectangular) is checked by the server (422 `ragged_array`).",
            "anyOf": [ref("Number"), ref("NDArrayAtLeast1D")]},
        "NDArrayAtLeast1D": {
            "description": f"Nested arrays of numbers of 1 to {MAX_DIMENSIONS} dimensions (not a bare number).",
            "anyOf": [ref(f"NDArray{d}D") for d in range(1, MAX_DIMENSIONS + 1)]},
        "NDArray1D": {"type": "array", "items": ref("Number")},
    }
    for d in range(2, MAX_DIMENSIONS + 1):
        schemas[f"NDArray{d}D"] = {"type": "array", "items": ref(f"NDArray{d - 1}D")}
    schemas["ParamValue"] = {
        "description": "A number, a list of numbers (prelu's per-channel alpha), or a choice string.",
        "anyOf": [ref("Number"), {"type": "array", "items": ref("Number")}, {"type": "string"}]}
    return schemas


# MARK: schemas: the request, one branch per function

def evaluation_field_schemas(live):
    return {
        "DType": {"type": "string", "enum": ["float32", "float64"], "default": "float64",
                  "description": "float32 evaluates in float32 and writes float32 text."},
        "Outputs": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": ["values", "gradients"]},
                    "default": ["values", "gradients"],
                    "description": "What to compute; at least one, repeats are harmless."},
        "Conventions": {"type": "string", "enum": ["pytorch", "jax"], "default": "pytorch",
                        "description": "Which framework's derivative to take at kinks."},
        "ElementwiseAxis": {
            "type": "integer", "default": -1,
            "minimum": -AXIS_MAGNITUDE_LIMIT, "maximum": AXIS_MAGNITUDE_LIMIT,
            "description": "Ignored by elementwise functions (accepted for uniformity with vector ones); "
                           "an integer of magnitude below 10^15."},
        "VectorAxis": {
            "type": "integer", "default": -1, "minimum": -MAX_DIMENSIONS, "maximum": MAX_DIMENSIONS - 1,
            "description": "The axis the function works along, in [-ndim, ndim) for the input's ndim "
                           f"(at most {MAX_DIMENSIONS}); -1 or 0 for a 0-d input."},
    }


BOUND_KEYWORDS = [("minimum", "minimum"), ("exclusive_minimum", "exclusiveMinimum"),
                  ("maximum", "maximum"), ("exclusive_maximum", "exclusiveMaximum")]


def number_schema(parameter):
    schema = {"type": "number"}
    for served, keyword in BOUND_KEYWORDS:
        if served in parameter:
            schema[keyword] = parameter[served]
    return schema


def parameter_schema(parameter):
    """One parameter of GET /v1/functions as JSON Schema."""
    kind = parameter["type"]
    if kind == "number":
        schema = number_schema(parameter)
    elif kind == "number_or_per_channel":
        schema = {"anyOf": [number_schema(parameter),
                            {"type": "array", "items": number_schema(parameter),
                             "maxItems": MAX_PARAMETER_ARRAY}],
                  "x-per-channel-axis": CHANNEL_AXIS}
    elif kind == "choice":
        schema = {"type": "string", "enum": parameter["choices"]}
    else:
        raise ValueError(f"unknown parameter type {kind!r}")
    schema["description"] = parameter["description"]
    if "default" in parameter:
        schema["default"] = parameter["default"]
    if parameter["learnable"]:
        schema["x-learnable"] = True
    return schema


def params_schema(entry):
    names = [p["name"] for p in entry["parameters"]]
    schema = {"type": "object",
              "description": f"{entry['name']}'s parameters; missing ones take their defaults."
                             if names else f"{entry['name']} takes no parameters.",
              "additionalProperties": False,
              "properties": {p["name"]: parameter_schema(p) for p in entry["parameters"]}}
    required = [p["name"] for p in entry["parameters"] if p["required"]]
    if required:
        schema["required"] = required
    if entry["constraints"]:
        schema["description"] += " The server also checks " + ", ".join(
            f"`{c}`" for c in entry["constraints"]) + " (defaults filled in)."
        schema["x-constraints"] = entry["constraints"]
    return schema


def evaluation_schema(live, entry):
    """The request for one function: its names as the `function` enum, its own `params`."""
    name = entry["name"]
    vector = entry["kind"] == "vector"
    splits = live.splits_axis.get(name, False)
    # A function that halves its axis cannot take a 0-d input (its one slice has odd length 1).
    array = ref("NDArrayAtLeast1D") if splits else ref("NDArray")
    # What the server checks beyond the schema, per function; per-channel parameters and relations
    # between parameters are marked on Params_* (x-per-channel-axis, x-constraints).
    checks = {"kind": entry["kind"], "splits_axis": splits}
    description = f"{name}: {entry['summary']} `{entry['formula']}`"
    if splits:
        description += (" Splits `axis` into two halves: its length must be even (422 `odd_split_dimension`) "
                        "and the values have half of it; a 0-d input is refused.")
    return {
        "type": "object",
        "title": name,
        "description": description,
        # `params` is required where a parameter is: its absence would leave that one missing.
        "required": ["function", "inputs", *(["params"] if any(p["required"] for p in entry["parameters"]) else [])],
        "additionalProperties": False,
        "properties": {
            "function": {"type": "string", "enum": [name, *entry["aliases"]],
                         "description": "Canonical name or alias."},
            "inputs": array,
            "params": ref(f"Params_{name}"),
            "dtype": ref("DType"),
            "outputs": ref("Outputs"),
            "grad_output": {**array, "description": "Upstream gradient, shaped like the values; default all ones."},
            "axis": ref("VectorAxis" if vector else "ElementwiseAxis"),
            "conventions": ref("Conventions"),
        },
        "x-server-checks": checks,
    }


def activate_schemas(live):
    schemas = {}
    mapping = {}
    for entry in live.functions:
        schemas[f"Evaluation_{entry['name']}"] = evaluation_schema(live, entry)
        schemas[f"Params_{entry['name']}"] = params_schema(entry)
        for alias in [entry["name"], *entry["aliases"]]:
            mapping[alias] = f"#/components/schemas/Evaluation_{entry['name']}"
    schemas["Evaluation"] = {
        "description": "One evaluation: `function` (canonical name or alias) selects the branch, which "
                       "lists that function's parameters. Fields: `inputs` (required), `params` (missing "
                       "ones take their defaults), `dtype` (default float64), `outputs` (default both), "
                       "`grad_output` (the upstream gradient, shaped like the values; default all ones), "
                       "`axis` (vector functions; default -1), `conventions` (default pytorch). "
                       + RUNTIME_CHECKS_TEXT,
        "oneOf": [ref(f"Evaluation_{entry['name']}") for entry in live.functions],
        "discriminator": {"propertyName": "function", "mapping": mapping},
        "x-server-checks": {
            "rectangular": ["inputs", "grad_output"],
            "grad_output_shape": "values",
            "max_dimensions": MAX_DIMENSIONS,
            "max_elements_default": DEFAULT_MAX_ELEMENTS,
            "float32_overflow": FLOAT32_OVERFLOW,
        },
    }
    schemas["ActivateRequest"] = {
        "description": "One evaluation, or a batch (an array) of them; a batch is validated whole.",
        "oneOf": [ref("Evaluation"), {"type": "array", "items": ref("Evaluation")}]}
    schemas["EvaluationResult"] = {
        "type": "object",
        "required": ["function", "params", "dtype", "shape"],
        "properties": {
            "function": {"type": "string", "description": "Canonical name."},
            "params": {"type": "object", "additionalProperties": ref("ParamValue"),
                       "description": "The parameters used, defaults filled in."},
            "dtype": {"type": "string", "enum": ["float32", "float64"]},
            "shape": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            "values": ref("NDArray"),
            "gradients": ref("NDArray"),
            "param_gradients": {"type": "object", "additionalProperties": ref("ParamValue"),
                                "description": "Sum of grad_output times the partial derivative, "
                                               "for each learnable parameter."},
        },
    }
    schemas["ActivateResponse"] = {"anyOf": [ref("EvaluationResult"),
                                             {"type": "array", "items": ref("EvaluationResult")}]}
    return schemas


# MARK: schemas: the catalogue, errors, operations

def property_value_schema(live, key, definition):
    """One property's schema, typed by the value the server serves and described by its definition."""
    sample = live.functions[0]["properties"][key]
    if isinstance(sample, bool):
        schema = {"type": "boolean"}
    elif isinstance(sample, list):
        schema = {"type": "array", "items": {"type": "string"}}
    else:
        schema = {"type": "string", "enum": definition["values"]}
    schema["title"] = definition["label"]
    schema["description"] = definition["definition"] + (
        f" Criterion: {definition['criterion']}." if definition["criterion"] else "")
    if definition["deprecated"]:
        schema["deprecated"] = True
        schema["description"] += f" Deprecated: use `{definition['replaced_by']}`."
    return schema


def property_schemas(live):
    """FunctionProperties and PropertyDefinitions, from the glossary GET /v1/functions serves."""
    keys = list(live.property_definitions)
    return {
        "FunctionProperties": {
            "type": "object", "required": keys, "additionalProperties": False,
            "description": "The function's properties at the default parameters, of what `properties_of` "
                           "says; every key is defined in `property_definitions` (GET /v1/functions). "
                           "`bounded_below`, `bounded_above` and `takes_both_signs` are read from `range`.",
            "properties": {key: property_value_schema(live, key, d) for key, d in live.property_definitions.items()},
        },
        "PropertyDefinition": {
            "type": "object", "required": ["label", "definition", "criterion", "deprecated"],
            "properties": {
                "label": {"type": "string", "description": "A short label for a table or a legend."},
                "definition": {"type": "string", "description": "What the property means, for a learner."},
                "criterion": {"type": ["string", "null"],
                              "enum": ["vanishing gradients", "zero-centring", "computational expense",
                                       "differentiability", None],
                              "description": "Which of the article's four criteria the property answers."},
                "values": {"type": "array", "items": {"type": "string"},
                           "description": "An enumeration's values, in order."},
                "deprecated": {"type": "boolean"},
                "replaced_by": {"type": "string", "description": "The key that replaces a deprecated one."},
            }},
        "PropertyDefinitions": {
            "type": "object", "required": keys, "additionalProperties": False,
            "description": "The glossary of `properties`: one definition per key.",
            "properties": {key: ref("PropertyDefinition") for key in keys},
        },
    }


def catalogue_schemas(live):
    return {
        "Parameter": {
            "type": "object", "required": ["name", "type", "required", "learnable", "description"],
            "properties": {
                "name": {"type": "string"},
                "type": {"type": "string", "enum": ["number", "number_or_per_channel", "choice"]},
                "choices": {"type": "array", "items": {"type": "string"}},
                "required": {"type": "boolean"},
                "default": ref("ParamValue"),
                "minimum": ref("Number"),
                "exclusive_minimum": ref("Number"),
                "maximum": ref("Number"),
                "exclusive_maximum": ref("Number"),
                "learnable": {"type": "boolean"},
                "description": {"type": "string"},
            }},
        "Kink": {
            "type": "object",
            "required": ["location", "location_at_defaults", "pytorch", "pytorch_at_defaults", "jax", "jax_at_defaults"],
            "properties": {
                "location": {"type": "string"}, "location_at_defaults": ref("Number"),
                "pytorch": {"type": "string"}, "pytorch_at_defaults": ref("Number"),
                "jax": {"type": "string"}, "jax_at_defaults": ref("Number"),
            }},
        "FunctionMetadata": {
            "type": "object",
            "required": ["name", "aliases", "kind", "summary", "formula", "formula_latex", "derivative",
                         "derivative_latex", "parameters", "constraints", "range", "properties_of", "properties", "cost",
                         "kinks", "year", "reference", "notes", "accuracy"],
            "properties": {
                "name": {"type": "string"},
                "aliases": {"type": "array", "items": {"type": "string"}},
                "kind": {"type": "string", "enum": ["elementwise", "vector"]},
                "summary": {"type": "string"},
                "formula": {"type": "string"}, "formula_latex": {"type": "string"},
                "derivative": {"type": "string"}, "derivative_latex": {"type": "string"},
                "parameters": {"type": "array", "items": ref("Parameter")},
                "constraints": {"type": "array", "items": {"type": "string"}},
                "range": {"type": "string"},
                "properties_of": {"type": "string", "description": "What `properties` describe."},
                "properties": ref("FunctionProperties"),
                "value_half_properties_of": {"type": "string", "description": "The GLU family: what "
                                             "`value_half_properties` describe."},
                "value_half_properties": ref("FunctionProperties"),
                "cost": {"type": "string", "enum": ["trivial", "cheap", "moderate", "expensive"]},
                "kinks": {"type": "array", "items": ref("Kink")},
                "year": {"type": "integer"},
                "reference": {"type": "string"},
                "notes": {"type": "array", "items": {"type": "string"}},
                "accuracy": ref("Accuracy"),
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
                "float32": ref("AccuracyBound"),
                "float64": ref("AccuracyBound"),
                "exact": {"type": "boolean"},
            }},
        "AccuracyBound": {
            "type": "object", "required": ["values_ulp", "gradients_ulp"],
            "properties": {
                "values_ulp": {"type": "integer", "minimum": 0},
                "gradients_ulp": {"type": "integer", "minimum": 0},
            }},
        "FunctionList": {"type": "object", "required": ["functions", "property_definitions"],
                         "properties": {"functions": {"type": "array", "items": ref("FunctionMetadata")},
                                        "property_definitions": ref("PropertyDefinitions")}},
    }


def operations_schemas(live):
    return {
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
        "Health": {"type": "object", "required": ["status"],
                   "properties": {"status": {"type": "string"}, "version": {"type": "string"}}},
    }


def common_responses(live):
    return {
        "BadRequest": error_response("Malformed request: bad HTTP framing (from the server), malformed JSON "
                                     "(`malformed_json`, details `line` and `column`), a JSON value of the "
                                     "wrong type (`invalid_type`, details `path`), or a bad query parameter."),
        "MethodNotAllowed": {**error_response("The path exists, but not with this method "
                                              "(`method_not_allowed`); `Allow` lists the methods."),
                             "headers": {"Allow": {"description": "The methods this path answers.",
                                                   "schema": {"type": "string"}}}},
        "RequestTimeout": error_response("The request's head or body did not arrive in time."),
        "PayloadTooLarge": error_response(
            "The body is larger than the server's limit (MAX_BODY_BYTES), or the request would need more memory "
            "than the server's whole budget (MEMORY_BUDGET_BYTES): `payload_too_large`, answered before the body "
            "is read."),
        "URITooLong": error_response("The request line is longer than the server's limit."),
        "HeadersTooLarge": error_response("The header section is larger than the server's limits."),
        "NotImplemented": error_response("A method or transfer coding the server does not implement."),
        "Unavailable": {
            **error_response(
                "Draining (readiness), the connection limit is reached, or the request waited MEMORY_WAIT_SECONDS "
                "for memory held by other requests (`insufficient_memory`, with `Retry-After`)."),
            "headers": {"Retry-After": {
                "description": "Seconds after which a retry may find memory free (memory refusals only).",
                "schema": {"type": "integer", "minimum": 1}}},
        },
        "VersionNotSupported": error_response("An HTTP version other than 1.0 and 1.1."),
    }


# MARK: paths: /v1/activate (examples: real requests, answered by the running server)

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
HEADERS = {"X-Request-Id": {"description": "The client's request id, or a generated one.",
                            "schema": {"type": "string"}}}


def activate_paths(live):
    activate_requests, activate_answers = {}, {}
    for name, summary, body in ACTIVATE_EXAMPLES:
        status, answer = live.json("POST", "/v1/activate", body)
        activate_requests[name] = {"summary": summary, "value": body}
        activate_answers.setdefault(str(status), {})[name] = {"summary": summary, "value": answer}
    status, answer = live.json("POST", "/v1/activate", raw=MALFORMED_BODY)
    activate_requests["malformed"] = {"summary": "Malformed JSON: 400 with line and column",
                                      "value": MALFORMED_BODY}
    activate_answers.setdefault(str(status), {})["malformed"] = {
        "summary": "Malformed JSON: 400 with line and column", "value": answer}
    status, answer = live.json("POST", "/v1/activate", raw="{}", content_type="text/plain")
    unsupported = {"not_json": {"summary": "Content-Type other than application/json", "value": answer}}

    responses = {
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
    return {"/v1/activate": {"post": {
        "summary": "Evaluate activation functions and their gradients",
        "operationId": "activate",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref("ActivateRequest"), "examples": activate_requests}}},
        "responses": with_common(responses),
    }}}


# MARK: paths: the catalogue

def catalogue_paths(live):
    status, gelu = live.json("GET", "/v1/functions/gelu")
    status, unknown = live.json("GET", "/v1/functions/relux")
    status, bad_kind = live.json("GET", "/v1/functions?kind=scalar")
    names = [name for entry in live.functions for name in [entry["name"], *entry["aliases"]]]
    return {
        "/v1/functions": {"get": get(
            "List the catalogue", "listFunctions",
            {"200": {"description": "Every function's metadata, optionally one kind only, and the "
                                    "definitions of their properties (`property_definitions`).",
                     "content": content("FunctionList")},
             "400": {"description": "`kind` is not `elementwise` or `vector` (`invalid_query`).",
                     "content": content("Error", {"bad_kind": {"value": bad_kind}})}},
            parameters=[{"name": "kind", "in": "query", "required": False,
                         "schema": {"type": "string", "enum": ["elementwise", "vector"]}}])},
        "/v1/functions/{name}": {"get": get(
            "One function's metadata", "getFunction",
            {"200": {"description": "The function's metadata, byte for byte its entry in the list. Its "
                                    "properties are defined in the list's `property_definitions`.",
                     "headers": {"Link": {"description": "`</v1/functions>; rel=\"describedby\"`: where the "
                                                         "properties are defined (RFC 8288).",
                                          "schema": {"type": "string"}}},
                     "content": content("FunctionMetadata", {"gelu": {"value": gelu}})},
             "404": {"description": "Neither a canonical name nor an alias (`unknown_function`), or no such path.",
                     "content": content("Error", {"unknown": {"value": unknown}})}},
            parameters=[{"name": "name", "in": "path", "required": True,
                         "description": "Canonical name or alias; any other name is 404.",
                         "schema": {"type": "string", "enum": names}}])},
        "/v1/functions/{name}/plot.svg": {"get": plot_operation(live, list(names))},
    }


def plot_operation(live, names):
    """GET /v1/functions/{name}/plot.svg: the errors are real answers of the running server."""
    examples = {}
    for key, target in [("unknown", "/v1/functions/relux/plot.svg"),
                        ("bad_range", "/v1/functions/relu/plot.svg?min=2&max=1"),
                        ("bad_parameter", "/v1/functions/leaky_relu6/plot.svg?alpha=3")]:
        status, answer = live.json("GET", target)
        examples.setdefault(str(status), {})[key] = {"value": answer}
    bound = {"type": "number", "minimum": -1e15, "maximum": 1e15}
    return get(
        "f and f′ as an SVG image", "plotFunction",
        {"200": {"description": "A standalone SVG 1.1 document (720 x 440): f solid, f′ dashed, 401 points each, "
                                "axes, ticks, a legend, and a `<title>` naming the function, its parameters as "
                                "used and the dtype.",
                 "content": {"image/svg+xml": {"schema": {"type": "string"}}}},
         "400": {"description": "`min`, `max` or `dtype` unusable (`invalid_query`): not a finite number in "
                                "[-1e15, 1e15], `min` not below `max`, another dtype.",
                 "content": content("Error", examples.get("400"))},
         "404": {"description": "Neither a canonical name nor an alias (`unknown_function`).",
                 "content": content("Error", examples.get("404"))},
         "422": {"description": "A function parameter the engine refuses, with the codes of `POST /v1/activate` "
                                "(`parameter_out_of_range`, `unknown_parameter`, `invalid_parameter_value`, ...).",
                 "content": content("Error", examples.get("422"))}},
        parameters=[
            {"name": "name", "in": "path", "required": True,
             "description": "Canonical name or alias; any other name is 404.",
             "schema": {"type": "string", "enum": names}},
            {"name": "min", "in": "query", "required": False, "description": "The smallest x drawn.",
             "schema": {**bound, "default": -6}},
            {"name": "max", "in": "query", "required": False,
             "description": "The largest x drawn; must be greater than `min` (a 400 otherwise).",
             "schema": {**bound, "default": 6}},
            {"name": "dtype", "in": "query", "required": False, "description": "The dtype of the evaluation.",
             "schema": {"type": "string", "enum": ["float64", "float32"], "default": "float64"}},
        ],
        description="Drawn by the server from the engine's numbers, exactly as `POST /v1/activate` computes them, "
                    "for READMEs, notebooks and documents. Any of the function's parameters may be given as a query "
                    "parameter of the same name (`?alpha=0.2`, `?approximate=tanh`), with the types, bounds and "
                    "defaults of `Params_<function>`; the rest take their defaults. Vector functions are drawn "
                    "along a line: the softmax family and sparsemax as the first output for the input [x, 0], the "
                    "GLU family as the output for [x, x], each with its derivative along x. Cached like the "
                    "catalogue (`Cache-Control: max-age=300`). The relation `min < max` is checked by the server "
                    "(`x-server-checks`).") | {"x-server-checks": {"min_less_than_max": True}}


# MARK: paths: operations

def operations_paths(live):
    status, health = live.json("GET", "/healthz")
    return {
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


# MARK: the function reference (generated from GET /v1/functions)

def function_reference(functions):
    lines = ["## Functions and their parameters", "",
             "Generated from `GET /v1/functions` by scripts/gen-openapi.py; the request schema "
             "(`Evaluation`, one branch per function) states the same rules.", ""]
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

The same functions also speak the Open Inference Protocol (KServe v2 REST, with Triton's binary
tensor extension) under `/v2`: every function is a model, and errors there have the protocol's
shape `{"error": "message"}` with the stable code in `X-Error-Code` (docs/api.md).

"""

# MARK: assembly

# Each section is a function of the live server returning names to add; a new family of routes
# (e.g. /v2) adds its own functions here.
SCHEMA_SECTIONS = [value_schemas, evaluation_field_schemas, activate_schemas, catalogue_schemas, property_schemas,
                   operations_schemas, openapi_inference.inference_schemas]
RESPONSE_SECTIONS = [common_responses]
PATH_SECTIONS = [activate_paths, catalogue_paths, operations_paths, openapi_inference.inference_paths]


def merged(sections, live, what):
    result = {}
    for section in sections:
        for name, value in section(live).items():
            if name in result:
                raise SystemExit(f"{what} {name!r} is defined twice (again by {section.__name__})")
            result[name] = value
    return result


# Paths answered without a key when the server runs with API keys (AccessControl.openPaths);
# /metrics joins them with --public-metrics.
OPEN_PATHS = {"/healthz", "/readyz", "/v2/health/live", "/v2/health/ready"}
BEARER = "apiKey"
WWW_AUTHENTICATE = {"WWW-Authenticate": {
    "description": "`Bearer realm=\"activation-service\"`, with `error=\"invalid_token\"` when a key was "
                   "presented and refused (RFC 6750).", "schema": {"type": "string"}}}


def unauthorized(path):
    """The 401 of a path that needs a key when keys are configured, in its protocol's error shape."""
    if path == "/v2" or path.startswith("/v2/"):
        response = openapi_inference.protocol_error("API keys are configured and the request has none, "
                                                    "or one that is not valid.")
        response["headers"] = {**response.get("headers", {}), **WWW_AUTHENTICATE}
        return response
    return {"$ref": "#/components/responses/Unauthorized"}


def security_components():
    return {
        "responses": {"Unauthorized": {
            **error_response("API keys are configured (`--api-key-file`) and the request has no "
                             "`Authorization: Bearer KEY`, or a key that is not valid (`unauthorized`)."),
            "headers": WWW_AUTHENTICATE}},
        "securitySchemes": {BEARER: {
            "type": "http", "scheme": "bearer",
            "description": "One of the keys in the file given by `--api-key-file` / `API_KEY_FILE`, as "
                           "`Authorization: Bearer KEY`. Only when the server runs with keys: without them "
                           "every route is open (hence the empty alternative in each `security`). The "
                           "probes (`/healthz`, `/readyz`, `/v2/health/*`) never need one; `/metrics` "
                           "does unless `--public-metrics`."}},
    }


def build(base):
    live = Live(base)
    paths = merged(PATH_SECTIONS, live, "path")
    for path, item in paths.items():
        for method, op in item.items():
            if method == "parameters":
                continue
            if path not in OPEN_PATHS:
                op["security"] = [{}, {BEARER: []}]
                op["responses"] = dict(sorted({**op["responses"], "401": unauthorized(path)}.items()))
            else:
                op["security"] = [{}]
            for status, response in op["responses"].items():
                if "$ref" not in response:
                    response["headers"] = {**HEADERS, **response.get("headers", {})}
    return {
        "openapi": "3.1.0",
        "info": {"title": "activation-service", "version": "1.0.0",
                 "description": DESCRIPTION + function_reference(live.functions),
                 "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}},
        "servers": [{"url": "http://localhost:8080", "description": "swift run -c release activation-server"}],
        "paths": paths,
        "components": {"schemas": merged(SCHEMA_SECTIONS, live, "schema"),
                       "responses": {**merged(RESPONSE_SECTIONS, live, "response"),
                                     **security_components()["responses"]},
                       "securitySchemes": security_components()["securitySchemes"]},
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

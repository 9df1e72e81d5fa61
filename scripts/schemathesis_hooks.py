"""Schemathesis hooks: teach the generator the request rules that JSON Schema cannot state.

Loaded by scripts/schemathesis.sh (SCHEMATHESIS_HOOKS). openapi.yaml states every rule of
POST /v1/activate that JSON Schema can: each function's names, its parameters' types, defaults,
bounds and choices, which parameters exist and which are required, the array depth, the axis
range of vector functions, that GLU-family inputs are not 0-d. The server checks a few more
that relate one value to another; the schema lists them in its descriptions and marks them with
extensions (`x-server-checks` on `Evaluation` and on each `Evaluation_<function>`,
`x-per-channel-axis` on a parameter, `x-constraints` on `Params_<function>`), and this module
reads them from there, from the document schemathesis is testing:

- `inputs` and `grad_output` are rectangular (arrays at one depth have one length);
- `grad_output` has the shape of the values;
- a vector function's `axis` lies in [-ndim, ndim) (-1 or 0 for a 0-d input);
- a function that splits its axis (`splits_axis`) needs that axis of even length;
- a per-channel parameter list has 1 value or one per channel (the size of axis 1; 1 value when
  the input has fewer dimensions);
- relations between parameters (`x-constraints`, e.g. `lower <= upper`) hold, defaults filled in;
- with dtype float32, every number stays finite once rounded to float32, and every parameter
  stays inside its bounds once rounded (the server checks the value it will use);
- `inputs` and `grad_output` together hold at most the element limit across a batch.

The /v2 inference operations (`POST /v2/models/{name}[/versions/{version}]/infer`) take the same
rules through the v1 evaluation each request stands for (`repair_inference`), plus the protocol's
own: the model in the path decides which inputs, parameters and outputs exist, and a tensor's
`data` holds as many numbers as its `shape` says.

Only *positive* cases (generated to be valid) are touched: each is repaired to satisfy these
rules, keeping as much of the generated data as it can (arrays cut to their common length, an
out-of-range axis taken modulo ndim, an odd split axis cut by one, grad_output refilled from its
own numbers in the right shape, a parameter that fails only after float32 rounding replaced by
its default, a violated relation fixed by swapping or falling back to defaults). A case over the
element limit is dropped. Negative cases pass untouched, so negative testing is unaffected.
"""
import copy
import itertools
import math
import struct

import schemathesis
from schemathesis import GenerationMode

ACTIVATE = ("POST", "/v1/activate")
FLOAT32_MAX = struct.unpack("<f", bytes.fromhex("ffff7f7f"))[0]


# MARK: what the schema says

class Rules:
    """The `x-server-checks` of openapi.yaml, and each function's branch and parameters."""

    def __init__(self, raw_schema):
        schemas = raw_schema["components"]["schemas"]
        self.common = schemas["Evaluation"]["x-server-checks"]
        self.functions = {}
        for branch in schemas["Evaluation"]["oneOf"]:
            name = branch["$ref"].rsplit("/", 1)[1]
            evaluation = schemas[name]
            params = schemas[evaluation["properties"]["params"]["$ref"].rsplit("/", 1)[1]]
            entry = (evaluation["x-server-checks"], params)
            for alias in evaluation["properties"]["function"]["enum"]:
                self.functions[alias] = entry


_RULES = {}


def rules_for(operation):
    key = id(operation.schema)
    if key not in _RULES:
        _RULES[key] = Rules(operation.schema.raw_schema)
    return _RULES[key]


# MARK: arrays

def shape_of(array):
    """The shape of a rectangular array; a 0-d number has shape []."""
    shape = []
    while isinstance(array, list):
        shape.append(len(array))
        if not array:
            break
        array = array[0]
    return shape


def rectangular(array):
    """The array cut to the shortest length found at each depth (mixed depths cut to the shallowest)."""
    if not isinstance(array, list):
        return array
    shape, level = [], [array]
    while level and all(isinstance(item, list) for item in level):
        length = min(len(item) for item in level)
        shape.append(length)
        level = [child for item in level for child in item[:length]]
    return cut(array, shape)


def cut(array, shape):
    if not shape:
        while isinstance(array, list):  # a list where a number belongs: its first number, or 0
            array = array[0] if array else 0
        return array
    return [cut(item, shape[1:]) for item in array[:shape[0]]]


def leaves(array):
    if isinstance(array, list):
        for item in array:
            yield from leaves(item)
    else:
        yield array


def filled(numbers, shape):
    """An array of `shape` whose numbers are `numbers` repeated (1 when there are none)."""
    source = itertools.cycle(list(numbers) or [1])

    def build(dims):
        if not dims:
            return next(source)
        return [build(dims[1:]) for _ in range(dims[0])]

    return build(shape)


def cut_axis(array, axis, length):
    """The array with axis `axis` cut to `length`."""
    if axis == 0:
        return array[:length]
    return [cut_axis(item, axis - 1, length) for item in array]


# MARK: float32

def as_float32(x):
    """x rounded to float32 as the server does (a finite double past float32's range is infinite)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def float32_safe(array):
    """Numbers that round to infinity in float32 brought back to the largest float32 of their sign."""
    if isinstance(array, list):
        return [float32_safe(item) for item in array]
    if isinstance(array, (int, float)) and not isinstance(array, bool) and math.isinf(as_float32(array)):
        return math.copysign(FLOAT32_MAX, array)
    return array


def inside(x, schema):
    if not math.isfinite(x):
        return False
    checks = [("minimum", lambda b: x >= b), ("exclusiveMinimum", lambda b: x > b),
              ("maximum", lambda b: x <= b), ("exclusiveMaximum", lambda b: x < b)]
    return all(test(schema[key]) for key, test in checks if key in schema)


def number_schema(parameter):
    return parameter["anyOf"][0] if "anyOf" in parameter else parameter


def used_value(x, float32):
    if float32:
        return as_float32(x)
    try:
        return float(x)
    except OverflowError:
        return math.copysign(math.inf, x)


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# MARK: one evaluation

def repair_parameters(params, schema, shape, float32):
    properties = schema.get("properties", {})
    for name, parameter in properties.items():
        value = params.get(name)
        if "x-per-channel-axis" not in parameter or not isinstance(value, list):
            continue
        channel_axis = parameter["x-per-channel-axis"]
        channels = shape[channel_axis] if len(shape) > channel_axis else None
        if len(value) != 1 and len(value) != channels:
            fallback = value or [properties[name].get("default", 1)]
            params[name] = [fallback[0]] if channels is None else list(itertools.islice(
                itertools.cycle(fallback), channels))
    if float32:
        for name, value in list(params.items()):
            parameter = properties.get(name, {})
            bounds = number_schema(parameter)
            default = parameter.get("default")

            def usable(x):
                if not is_number(x) or inside(as_float32(x), bounds):
                    return x
                if is_number(default):
                    return default
                return math.copysign(FLOAT32_MAX, x)  # required and unbounded (threshold's)

            params[name] = [usable(x) for x in value] if isinstance(value, list) else usable(value)
    for constraint in schema.get("x-constraints", []):
        left, relation, right = constraint.split()
        holds = (lambda a, b: a < b) if relation == "<" else (lambda a, b: a <= b)

        def resolved(name):
            value = params.get(name, properties[name].get("default"))
            return used_value(value, float32) if is_number(value) else None

        def satisfied():
            a, b = resolved(left), resolved(right)
            return a is None or b is None or holds(a, b)

        if not satisfied() and left in params and right in params:
            params[left], params[right] = params[right], params[left]
        if not satisfied():
            params.pop(left, None)
            params.pop(right, None)
            assert satisfied(), f"the defaults of {constraint} do not satisfy it"


def repair_evaluation(evaluation, rules):
    if not isinstance(evaluation, dict) or evaluation.get("function") not in rules.functions:
        return evaluation
    checks, params_schema = rules.functions[evaluation["function"]]
    float32 = evaluation.get("dtype") == "float32"

    inputs = rectangular(evaluation["inputs"])
    if float32:
        inputs = float32_safe(inputs)
    shape = shape_of(inputs)
    ndim = len(shape)
    output_shape = list(shape)
    if checks["kind"] == "vector":
        given = evaluation.get("axis", -1)
        axis = int(given)  # JSON Schema's integers include whole floats (2.0); kept as spelled
        if ndim == 0:
            axis = axis if axis in (0, -1) else -1
        elif not -ndim <= axis < ndim:
            axis %= ndim
        if "axis" in evaluation and axis != given:
            evaluation["axis"] = float(axis) if isinstance(given, float) else axis
        if checks["splits_axis"] and ndim > 0:
            normalised = axis % ndim
            if shape[normalised] % 2:
                shape[normalised] -= 1
                inputs = cut_axis(inputs, normalised, shape[normalised])
            output_shape = list(shape)
            output_shape[normalised] //= 2
    evaluation["inputs"] = inputs

    if "grad_output" in evaluation:
        numbers = [x for x in leaves(evaluation["grad_output"])]
        gradient = filled(numbers, output_shape)
        evaluation["grad_output"] = float32_safe(gradient) if float32 else gradient

    if isinstance(evaluation.get("params"), dict):
        repair_parameters(evaluation["params"], params_schema, shape, float32)
    return evaluation


def is_positive_activate(case):
    meta = case.meta
    return ((case.method.upper(), case.path) == ACTIVATE and meta is not None
            and meta.generation.mode == GenerationMode.POSITIVE)


# MARK: /v2 inference requests

INFER_PATHS = {"/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer"}
PROTOCOL_PARAMETERS = {"axis", "conventions", "binary_data_output", "sequence_id", "sequence_start", "sequence_end",
                       "priority", "timeout", "headers"}
# A generated shape may multiply to anything; repaired ones stay small enough to send quickly.
MAX_REPAIRED_ELEMENTS = 4096


def is_positive_infer(case):
    meta = case.meta
    return (case.method.upper() == "POST" and case.path in INFER_PATHS and meta is not None
            and meta.generation.mode == GenerationMode.POSITIVE)


def valid_parameter(value, schema):
    """Whether a generated request parameter is a value the function's parameter accepts."""
    if isinstance(value, bool):
        return False
    if "enum" in schema:
        return value in schema["enum"]
    return is_number(value) and inside(float(value), number_schema(schema))


def small_shape(shape):
    """`shape` with dimensions cut until the product of the non-zero ones is at most
    MAX_REPAIRED_ELEMENTS (a zero dimension elsewhere does not make [2**62, 0] small: building it
    would still make 2**62 empty rows)."""
    shape = [int(d) for d in shape][:8]
    while math.prod(d for d in shape if d) > MAX_REPAIRED_ELEMENTS:
        index = max(range(len(shape)), key=lambda i: shape[i])
        shape[index] = max(1, shape[index] // 2)
    return shape


def repair_inference(case, rules):
    """A generated valid /v2 inference request made valid for the model in its path.

    The request is mapped onto the v1 evaluation it stands for (x's numbers in x's shape, the
    function's parameters, a per-channel alpha tensor as a list), repaired with the v1 rules
    above, and mapped back: the two front ends share every rule, so the hook does too.
    """
    model = case.path_parameters.get("name")
    if model not in rules.functions or not isinstance(case.body, dict):
        return case
    # A copy: the coverage phase hands the same body object to every model name it tries.
    body = case.body = copy.deepcopy(case.body)
    checks, params_schema = rules.functions[model]
    properties = params_schema.get("properties", {})
    parameters = dict(body.get("parameters") or {})
    protocol = {k: v for k, v in parameters.items() if k in PROTOCOL_PARAMETERS or k.startswith("triton_")}
    function_params = {k: v for k, v in parameters.items()
                       if k in properties and k not in protocol and valid_parameter(v, properties[k])}
    for name in params_schema.get("required", []):
        function_params.setdefault(name, 0.0)
    inputs = {item["name"]: item for item in body.get("inputs", []) if isinstance(item, dict) and "name" in item}
    x = inputs.get("x", {"name": "x", "shape": [2], "datatype": "FP64"})
    float32 = x.get("datatype") == "FP32"
    numbers = [v for item in inputs.values() for v in leaves(item.get("data", [])) if is_number(v)]
    numbers = [v for v in numbers if math.isfinite(used_value(v, float32))] or [0.5, -1.5, 2.0]
    shape = small_shape(x.get("shape", [2]))
    if checks.get("splits_axis") and not shape:
        shape = [2]
    evaluation = {"function": model, "inputs": filled(numbers, shape),
                  "dtype": "float32" if float32 else "float64", "params": function_params}
    if "axis" in protocol:
        evaluation["axis"] = protocol["axis"]
    if "grad_output" in inputs:
        evaluation["grad_output"] = numbers
    for name, parameter in properties.items():
        if "x-per-channel-axis" in parameter and name in inputs:
            function_params.pop(name, None)
            evaluation["params"][name] = [v for v in leaves(inputs[name].get("data", [])) if is_number(v)] or [0.25]
    repair_evaluation(evaluation, rules)
    if "axis" in evaluation:
        protocol["axis"] = evaluation["axis"]

    def tensor(name, array):
        return {"name": name, "shape": shape_of(array), "datatype": x.get("datatype", "FP64"),
                "data": list(leaves(array))}

    repaired_inputs = [tensor("x", evaluation["inputs"])]
    if "grad_output" in evaluation:
        repaired_inputs.append(tensor("grad_output", evaluation["grad_output"]))
    scalars = {}
    for name, value in evaluation["params"].items():
        if isinstance(value, list):
            repaired_inputs.append({"name": name, "shape": [len(value)], "datatype": x.get("datatype", "FP64"),
                                    "data": float32_safe(value) if float32 else value})
        else:
            scalars[name] = value
    body["inputs"] = repaired_inputs
    body["parameters"] = {**scalars, **protocol}
    if "outputs" in body:
        learnable = [f"param_gradients.{name}" for name, p in properties.items() if p.get("x-learnable")]
        names, outputs = set(), []
        for output in body["outputs"]:
            if output.get("name") in ["values", "gradients"] + learnable and output["name"] not in names:
                names.add(output["name"])
                outputs.append(output)
        if outputs:
            body["outputs"] = outputs
        else:
            del body["outputs"]
    return case


# MARK: GET /v1/functions/{name}/plot.svg: min < max (`x-server-checks` on the operation)

PLOT_PATH = "/v1/functions/{name}/plot.svg"


def applies_to_plot(case):
    meta = case.meta
    return (case.method.upper() == "GET" and case.path == PLOT_PATH and meta is not None
            and meta.generation.mode == GenerationMode.POSITIVE)


def repair_plot(case):
    """A valid range whose `min` is not below `max` (defaults -6 and 6 filled in) is swapped, or
    widened by one on the side that stays inside [-1e15, 1e15]. A function with required
    parameters (threshold's `threshold` and `value`) gets them, as numbers inside their bounds:
    the query schema cannot say which function's parameters apply."""
    query = dict(case.query or {})
    entry = rules_for(case.operation).functions.get((case.path_parameters or {}).get("name"))
    if entry is not None:
        params = entry[1]
        for name in params.get("required", []):
            if name not in query:
                bounds = number_schema(params["properties"][name])
                query[name] = 0 if inside(0.0, bounds) else bounds.get("minimum", bounds.get("maximum", 0))
    low, high = float(query.get("min", -6)), float(query.get("max", 6))
    if low < high:
        case.query = query
        return case
    if low > high:
        low, high = high, low
    elif high + 1 <= 1e15:
        high += 1
    else:
        low -= 1
    query["min"], query["max"] = low, high
    case.query = query
    return case


# MARK: hooks

def repair(case):
    rules = rules_for(case.operation)
    if isinstance(case.body, list):
        case.body = [repair_evaluation(item, rules) for item in case.body]
    else:
        case.body = repair_evaluation(case.body, rules)
    return case


def within_element_limit(case):
    """Whether a valid case stays within the element limit (4194304 by default) once repaired.

    Filters run before maps, so this bounds the repaired size: inputs only shrink, and grad_output
    is refilled to the shape of the values, which never holds more numbers than the inputs.
    """
    limit = rules_for(case.operation).common["max_elements_default"]
    body = case.body if isinstance(case.body, list) else [case.body]
    total = 0
    for item in body:
        if isinstance(item, dict):
            numbers = sum(1 for _ in leaves(item.get("inputs", 0)))
            total += 2 * numbers if "grad_output" in item else numbers
    return total <= limit


def applies(case):
    return is_positive_activate(case) and isinstance(case.body, (dict, list))


def applies_to_inference(case):
    return is_positive_infer(case) and isinstance(case.body, dict)


@schemathesis.hook
def filter_case(context, case):
    """Generated cases: drops a valid one that could pass the element limit."""
    return not applies(case) or within_element_limit(case)


@schemathesis.hook
def map_case(context, case):
    """Generated cases (coverage, fuzzing, stateful phases): repairs the valid ones."""
    if applies_to_inference(case):
        return repair_inference(case, rules_for(case.operation))
    if applies_to_plot(case):
        return repair_plot(case)
    return repair(case) if applies(case) else case


@schemathesis.hook
def before_add_examples(context, examples):
    """The examples phase takes the schema's examples without the case hooks: the same rules here.

    The `ragged` request example is valid JSON Schema but documents a 422; as every valid case,
    it is sent repaired.
    """
    kept = []
    for case in examples:
        if applies_to_inference(case):
            repair_inference(case, rules_for(case.operation))
        if applies_to_plot(case):
            repair_plot(case)
        if applies(case):
            if not within_element_limit(case):
                continue
            repair(case)
        kept.append(case)
    examples[:] = kept

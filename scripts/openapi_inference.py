"""The Open Inference Protocol (KServe v2 REST) part of openapi.yaml: schemas and paths under /v2.

Imported by scripts/gen-openapi.py, whose section lists take these functions. Like the v1 part,
everything that depends on the catalogue (model names, learnable parameters, per-channel
parameter tensors) comes from the running server. Only the JSON form of an inference request is
a request body here: the binary form (JSON header, then the tensors' bytes, framed by
Inference-Header-Content-Length) has no structure OpenAPI can state; its rules are in the
operation's description and docs/api.md. Answers are described in both forms.

What JSON Schema cannot state about an inference request (which inputs and parameters each
model takes, data counts that match shapes, grad_output shaped like the values, the per-channel
alpha's length, ...) is listed in `x-server-checks`; scripts/schemathesis_hooks.py repairs
generated valid requests for those rules and leaves invalid ones as generated.
"""

MAX_DIMENSIONS = 8
RESERVED_PARAMETERS = ["sequence_id", "sequence_start", "sequence_end", "priority", "timeout", "headers"]
DATATYPES = ["FP32", "FP64"]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def model_names(live):
    return [name for entry in live.functions for name in [entry["name"]] + entry["aliases"]]


def output_names(live):
    names = ["values", "gradients"]
    for entry in live.functions:
        for parameter in entry["parameters"]:
            name = f"param_gradients.{parameter['name']}"
            if parameter["learnable"] and name not in names:
                names.append(name)
    return names


def tensor_parameter_names(live):
    names = []
    for entry in live.functions:
        for parameter in entry["parameters"]:
            if parameter["type"] == "number_or_per_channel" and parameter["name"] not in names:
                names.append(parameter["name"])
    return names


# MARK: schemas

def inference_schemas(live):
    size = {"type": "integer", "minimum": 0, "maximum": 2 ** 62 - 1}
    metadata_tensor = {
        "type": "object", "required": ["name", "datatype", "shape"],
        "properties": {"name": {"type": "string"}, "datatype": {"type": "string"},
                       "shape": {"type": "array", "items": {"type": "integer"}}}}
    return {
        "TensorData": {
            "description": "Row-major tensor elements, flat or nested like the shape (1 to 8 levels, as v1's "
                           "arrays). Non-finite numbers are the strings \"NaN\", \"Infinity\", \"-Infinity\" "
                           "(the bare tokens NaN, Infinity, -Infinity that Python's json writes are accepted too, "
                           "though they are not JSON).",
            "allOf": [ref("NDArrayAtLeast1D")]},
        "InferenceInput": {
            "type": "object", "required": ["name", "shape", "datatype"], "additionalProperties": False,
            "description": "An input tensor: `x` (required), `grad_output` (optional, shaped like the values) or a "
                           "parameter that may hold one value per channel (prelu's `alpha`). Exactly one of `data` "
                           "and `parameters.binary_data_size` (the binary extension: its bytes follow the JSON "
                           "header).",
            "properties": {
                "name": {"type": "string", "enum": ["x", "grad_output"] + tensor_parameter_names(live)},
                "shape": {"type": "array", "maxItems": MAX_DIMENSIONS, "items": size},
                "datatype": {"type": "string", "enum": DATATYPES},
                "parameters": {"type": "object", "additionalProperties": False,
                               "properties": {"binary_data_size": size}},
                "data": ref("TensorData"),
            }},
        "InferenceRequestedOutput": {
            "type": "object", "required": ["name"], "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "enum": output_names(live)},
                "parameters": {"type": "object", "additionalProperties": False,
                               "properties": {"binary_data": {"type": "boolean",
                                                              "description": "Answer this output as binary."}}},
            }},
        "InferenceRequestParameters": {
            "type": "object",
            "description": "The function's scalar parameters (as in /v1/activate's `params`), `axis`, "
                           "`conventions`, `binary_data_output` (all outputs binary unless an output says "
                           "otherwise); Triton's reserved parameters are accepted and ignored.",
            "properties": {
                "axis": {"type": "integer", "minimum": -(10 ** 15) + 1, "maximum": 10 ** 15 - 1},
                "conventions": {"type": "string", "enum": ["pytorch", "jax"]},
                "binary_data_output": {"type": "boolean"},
                **{name: {} for name in RESERVED_PARAMETERS},
            },
            "patternProperties": {"^triton_": {}},
            "additionalProperties": {"anyOf": [{"type": "number"}, {"type": "string"}]},
        },
        "InferenceRequest": {
            "type": "object", "required": ["inputs"], "additionalProperties": False,
            "x-server-checks": {
                "inputs": "one `x`; the model's own inputs only, each once; `grad_output` in x's datatype and "
                          "shaped like the values; a per-channel parameter as a tensor of shape [] or [C] (C "
                          "the size of axis 1, or 1), and not also in `parameters`",
                "data": "as many numbers as the shape's product (at most MAX_ELEMENTS), finite in the datatype",
                "parameters": "the model's parameters only, inside their bounds (see /v1/functions/{name} or "
                              "the Params_<function> schemas); `axis` inside x's dimensions for vector functions",
                "outputs": "the model's outputs only (`param_gradients.<name>` for its learnable parameters), "
                           "each once",
            },
            "properties": {
                "id": {"type": "string", "description": "Echoed in the answer."},
                "model_name": {"type": "string", "description": "Accepted and ignored: the path names the model."},
                "model_version": {"type": "string", "description": "Accepted and ignored."},
                "parameters": ref("InferenceRequestParameters"),
                "inputs": {"type": "array", "minItems": 1, "maxItems": 2 + len(tensor_parameter_names(live)),
                           "description": "At most one of each input name.", "items": ref("InferenceInput")},
                "outputs": {"type": "array", "minItems": 1, "maxItems": len(output_names(live)),
                            "description": "At most one of each output name.", "items": ref("InferenceRequestedOutput")},
            }},
        "InferenceOutput": {
            "type": "object", "required": ["name", "datatype", "shape"],
            "properties": {
                "name": {"type": "string", "enum": output_names(live)},
                "datatype": {"type": "string", "enum": DATATYPES},
                "shape": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                "data": {"type": "array", "items": ref("Number"),
                         "description": "Flat row-major elements (absent for a binary output)."},
                "parameters": {"type": "object", "properties": {"binary_data_size": size}},
            }},
        "InferenceResponse": {
            "type": "object", "required": ["model_name", "outputs"],
            "properties": {
                "model_name": {"type": "string", "description": "The canonical name."},
                "model_version": {"type": "string", "enum": ["1"]},
                "id": {"type": "string"},
                "parameters": {"type": "object", "description": "The function's scalar parameters as used.",
                               "additionalProperties": {"anyOf": [ref("Number"), {"type": "string"}]}},
                "outputs": {"type": "array", "items": ref("InferenceOutput")},
            }},
        "InferenceError": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "string", "description": "The message (the stable code is in "
                                                                      "the X-Error-Code header)."}}},
        "InferenceServerMetadata": {
            "type": "object", "required": ["name", "version", "extensions"],
            "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                           "extensions": {"type": "array", "items": {"type": "string"}}}},
        "InferenceModelMetadata": {
            "type": "object", "required": ["name", "versions", "platform", "inputs", "outputs"],
            "properties": {
                "name": {"type": "string"},
                "versions": {"type": "array", "items": {"type": "string"}},
                "platform": {"type": "string"},
                "inputs": {"type": "array", "items": metadata_tensor},
                "outputs": {"type": "array", "items": metadata_tensor},
                "parameters": {"type": "object",
                               "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "number"},
                                                                  {"type": "boolean"}]}},
            }},
        "InferenceModelReady": {"type": "object", "required": ["name", "ready"],
                                "properties": {"name": {"type": "string"}, "ready": {"type": "boolean"}}},
        "InferenceRepositoryIndex": {
            "type": "array",
            "items": {"type": "object", "required": ["name", "version", "state", "reason"],
                      "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                                     "state": {"type": "string", "enum": ["READY", "UNAVAILABLE"]},
                                     "reason": {"type": "string"}}}},
        "InferenceRepositoryIndexRequest": {
            "type": "object", "additionalProperties": False,
            "properties": {"ready": {"type": "boolean", "description": "Accepted; every model is always ready."}}},
    }


# MARK: paths

ERROR_HEADERS = {"X-Error-Code": {"description": "The stable error code (v1's `error.code`).",
                                  "schema": {"type": "string"}}}


def protocol_error(description, server_made=False):
    """An error in the protocol's shape; `server_made` ones come from the HTTP server itself (framing,
    body limits, content codings), in the protocol's shape once the request line was read and in the
    v1 shape when the request line itself is broken (then no path, hence no operation, is known)."""
    schema = {"anyOf": [ref("InferenceError"), ref("Error")]} if server_made else ref("InferenceError")
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if not server_made:
        response["headers"] = ERROR_HEADERS
    return response


def protocol_responses(responses, with_body=False):
    merged = {
        "405": {**protocol_error("The path exists, but not with this method; `Allow` lists the methods."),
                "headers": {**ERROR_HEADERS, "Allow": {"description": "The methods this path answers.",
                                                       "schema": {"type": "string"}}}},
        "408": {"$ref": "#/components/responses/RequestTimeout"},
        "414": {"$ref": "#/components/responses/URITooLong"},
        "431": protocol_error("The header section is larger than the server's limits.", server_made=True),
        "501": protocol_error("A method or transfer coding the server does not implement.", server_made=True),
        "503": {"$ref": "#/components/responses/Unavailable"},
        "505": {"$ref": "#/components/responses/VersionNotSupported"},
    }
    if with_body:
        merged["400"] = protocol_error(
            "A bad request: malformed JSON, a wrong type, a value the model does not accept, or a binary "
            "framing fault (`binary_framing`: Inference-Header-Content-Length, binary_data_size, missing or "
            "trailing bytes), or one the HTTP server finds before routing (bad framing, a corrupt "
            "Content-Encoding), also in the protocol's shape; only a request line too broken to have a "
            "path is answered in the v1 shape.", server_made=True)
        merged["413"] = protocol_error("The body (sent, or once decoded) is larger than MAX_BODY_BYTES.",
                                       server_made=True)
        merged["415"] = protocol_error("A Content-Encoding other than gzip, deflate or identity.", server_made=True)
    merged.update(responses)
    return dict(sorted(merged.items()))


def json_ok(schema, description):
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def model_path_parameters(live, versioned):
    parameters = [{"name": "name", "in": "path", "required": True,
                   "description": "A function's canonical name or alias (POST /v2/repository/index lists them).",
                   "schema": {"type": "string", "enum": model_names(live)}}]
    if versioned:
        parameters.append({"name": "version", "in": "path", "required": True,
                           "description": "The only version, 1 (any other is 404).",
                           "schema": {"type": "string", "enum": ["1"]}})
    return parameters


UNKNOWN_MODEL = {"404": protocol_error("An unknown model or version.")}

INFER_DESCRIPTION = """\
One evaluation of the model's function, as `/v1/activate` would compute it (same defaults, same
validation, bit-identical numbers). Inputs `x`, optional `grad_output` and, for prelu, `alpha`;
outputs `values`, `gradients` and `param_gradients.<name>` (default: all of the model's). The
function's scalar parameters, `axis` and `conventions` travel in `parameters`.

The binary tensor extension (Triton's): an input's bytes may follow the JSON header instead of
`data` (`parameters.binary_data_size` on the input, `Inference-Header-Content-Length` giving the
header's length; little-endian, row-major), and outputs asked for with `binary_data` (or all, with
`binary_data_output`) are answered the same way with `Content-Type: application/octet-stream`.
Only the JSON form is described as a request body here; docs/api.md has the binary rules.
"""


def inference_paths(live):
    infer = {
        "summary": "Evaluate a function (inference)", "operationId": "infer",
        "description": INFER_DESCRIPTION,
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("InferenceRequest")}}},
        "responses": protocol_responses({
            "200": {"description": "The outputs asked for, as JSON, or (binary outputs) the JSON header followed by "
                                   "their bytes.",
                    "headers": {"Inference-Header-Content-Length": {
                        "description": "With binary outputs: the JSON header's length in bytes.",
                        "schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": ref("InferenceResponse")},
                                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            **UNKNOWN_MODEL}, with_body=True),
    }
    metadata = {"summary": "Model metadata", "operationId": "modelMetadata",
                "responses": protocol_responses({"200": json_ok("InferenceModelMetadata", "The model."),
                                                 **UNKNOWN_MODEL})}
    ready = {"summary": "Model readiness", "operationId": "modelReady",
             "responses": protocol_responses({
                 "200": json_ok("InferenceModelReady", "Ready."),
                 "503": {"description": "Draining: not ready (or the connection limit is reached).",
                         "content": {"application/json": {"schema": {"anyOf": [ref("InferenceModelReady"),
                                                                               ref("Error")]}}}},
                 **UNKNOWN_MODEL})}

    def versioned(operation, suffix):
        copy = dict(operation)
        copy["operationId"] = operation["operationId"] + suffix
        return copy

    paths = {
        "/v2": {"get": {"summary": "Server metadata", "operationId": "serverMetadata",
                        "responses": protocol_responses({"200": json_ok("InferenceServerMetadata", "The server.")})}},
        "/v2/health/live": {"get": {"summary": "Liveness", "operationId": "serverLive", "responses": protocol_responses({
            "200": {"description": "Alive.", "content": {"application/json": {"schema": {
                "type": "object", "required": ["live"], "properties": {"live": {"type": "boolean"}}}}}}})}},
        "/v2/health/ready": {"get": {"summary": "Readiness", "operationId": "serverReady", "responses": protocol_responses({
            "200": {"description": "Ready.", "content": {"application/json": {"schema": {
                "type": "object", "required": ["ready"], "properties": {"ready": {"type": "boolean"}}}}}},
            "503": {"description": "Draining (from the first SIGTERM), or the connection limit is reached.",
                    "content": {"application/json": {"schema": {"anyOf": [
                        {"type": "object", "required": ["ready"], "properties": {"ready": {"type": "boolean"}}},
                        ref("Error")]}}}}})}},
        "/v2/repository/index": {"post": {
            "summary": "Every model", "operationId": "repositoryIndex",
            "requestBody": {"required": False,
                            "content": {"application/json": {"schema": ref("InferenceRepositoryIndexRequest")}}},
            "responses": protocol_responses({"200": json_ok("InferenceRepositoryIndex", "Every model, ready.")},
                                            with_body=True)}},
    }
    for suffix, prefix, is_versioned in [("", "/v2/models/{name}", False),
                                         ("Version", "/v2/models/{name}/versions/{version}", True)]:
        parameters = model_path_parameters(live, is_versioned)
        paths[prefix] = {"parameters": parameters, "get": versioned(metadata, suffix)}
        paths[prefix + "/ready"] = {"parameters": parameters, "get": versioned(ready, suffix)}
        paths[prefix + "/infer"] = {"parameters": parameters, "post": versioned(infer, suffix)}
    return paths

"""The peer for scripts/load-compare.sh: POST /v1/activate in FastAPI + numpy + orjson.

What a competent Python team would deploy for the same contract: uvicorn with uvloop and
httptools, the raw body parsed by orjson (no pydantic model: validating a 65,536-element list
through pydantic would only slow the peer down), numpy for values and gradients, orjson
writing numpy arrays directly (shortest round-trip digits, float32 printed as float32).

It implements what the benchmark sends: one evaluation object or an array of them, with
`function`, `inputs` (a flat list), optional `dtype` (float64 default, or float32); every
answer carries `function`, `params`, `dtype`, `shape`, `values`, `gradients` like the
service's. GELU uses the tanh approximation (numpy has no erf); it is cheaper than the exact
form the service computes, so the comparison favours the peer.

Run: uvicorn fastapi_peer:app --workers 2 --loop uvloop --http httptools --port PORT
"""

import numpy as np
import orjson
from fastapi import FastAPI, Request, Response

app = FastAPI()


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _softplus(x):
    return np.logaddexp(0.0, x)


def relu(x):
    return np.maximum(x, 0), (x > 0).astype(x.dtype)


def sigmoid(x):
    s = _sigmoid(x)
    return s, s * (1 - s)


def tanh(x):
    t = np.tanh(x)
    return t, 1 - t * t


def swish(x):
    s = _sigmoid(x)
    return x * s, s + x * s * (1 - s)


def elu(x):
    negative = np.expm1(np.minimum(x, 0))
    return np.where(x > 0, x, negative), np.where(x > 0, 1, negative + 1).astype(x.dtype)


def softplus(x):
    return _softplus(x), _sigmoid(x)


def mish(x):
    t = np.tanh(_softplus(x))
    return x * t, t + x * (1 - t * t) * _sigmoid(x)


def gelu(x):
    c = np.sqrt(2 / np.pi).astype(x.dtype)
    inner = c * (x + 0.044715 * x ** 3)
    t = np.tanh(inner)
    value = 0.5 * x * (1 + t)
    gradient = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
    return value, gradient


FUNCTIONS = {f.__name__: f for f in [relu, sigmoid, tanh, swish, elu, softplus, mish, gelu]}
FUNCTIONS["silu"] = swish


def evaluate(item):
    name = item["function"]
    dtype = item.get("dtype", "float64")
    x = np.asarray(item["inputs"], dtype=np.float32 if dtype == "float32" else np.float64)
    values, gradients = FUNCTIONS[name](x)
    return {
        "function": name, "params": {}, "dtype": dtype, "shape": list(x.shape),
        "values": values.astype(x.dtype, copy=False), "gradients": gradients.astype(x.dtype, copy=False),
    }


@app.post("/v1/activate")
async def activate(request: Request):
    body = orjson.loads(await request.body())
    answer = [evaluate(item) for item in body] if isinstance(body, list) else evaluate(body)
    return Response(orjson.dumps(answer, option=orjson.OPT_SERIALIZE_NUMPY), media_type="application/json")

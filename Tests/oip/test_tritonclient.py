"""The Open Inference Protocol front end driven by the real tritonclient[http].

Run by scripts/oip-checks.sh against a live server (the URL in OIP_URL, host:port). Every
inference is compared with /v1/activate for the same inputs: the binary outputs must be the
numbers v1's JSON answers, bit for bit once read back in the dtype.
"""
import asyncio
import json
import os
import unittest
import urllib.request

import numpy as np
import tritonclient.http as httpclient
import tritonclient.http.aio as aioclient
from tritonclient.utils import InferenceServerException

URL = os.environ.get("OIP_URL", "127.0.0.1:8080")
DTYPES = {"FP32": np.float32, "FP64": np.float64}


def v1(body):
    request = urllib.request.Request(
        f"http://{URL}/v1/activate", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def v1_array(value, dtype):
    """v1's JSON numbers (and non-finite strings) as an array of the dtype."""
    return np.array(value, dtype=np.float64).astype(dtype)


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


def catalogue():
    with urllib.request.urlopen(f"http://{URL}/v1/functions", timeout=30) as response:
        return json.loads(response.read())["functions"]


def inside(parameter):
    """A value inside a required parameter's bounds."""
    low = parameter.get("minimum", parameter.get("exclusive_minimum", -1e9))
    high = parameter.get("maximum", parameter.get("exclusive_maximum", 1e9))
    return 0.5 if low < 0.5 < high else (low + high) / 2


class TritonClientTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = httpclient.InferenceServerClient(URL)
        cls.functions = catalogue()
        cls.rng = np.random.default_rng(20261206)

    def infer(self, model, arrays, outputs=None, parameters=None, binary=True, **options):
        inputs = []
        for name, array in arrays.items():
            datatype = "FP32" if array.dtype == np.float32 else "FP64"
            tensor = httpclient.InferInput(name, list(array.shape), datatype)
            tensor.set_data_from_numpy(array, binary_data=binary)
            inputs.append(tensor)
        requested = None if outputs is None else [
            httpclient.InferRequestedOutput(name, binary_data=binary) for name in outputs]
        return self.client.infer(model, inputs, outputs=requested, parameters=parameters, **options)

    # MARK: health and metadata

    def test_health_and_readiness(self):
        self.assertTrue(self.client.is_server_live())
        self.assertTrue(self.client.is_server_ready())
        self.assertTrue(self.client.is_model_ready("gelu"))
        self.assertTrue(self.client.is_model_ready("silu", "1"))
        self.assertFalse(self.client.is_model_ready("gelu", "2"))
        self.assertFalse(self.client.is_model_ready("no_such_function"))

    def test_server_metadata_names_the_binary_extension(self):
        metadata = self.client.get_server_metadata()
        self.assertEqual(metadata["name"], "activation-service")
        self.assertIn("binary_tensor_data", metadata["extensions"])
        self.assertTrue(metadata["version"])

    def test_model_metadata_of_every_function_and_alias(self):
        for function in self.functions:
            for name in [function["name"]] + function["aliases"]:
                metadata = self.client.get_model_metadata(name)
                self.assertEqual(metadata["name"], function["name"])
                self.assertEqual(metadata["versions"], ["1"])
                self.assertTrue(metadata["platform"])
                inputs = [tensor["name"] for tensor in metadata["inputs"]]
                self.assertEqual(inputs[:2], ["x", "grad_output"])
                learnable = [p["name"] for p in function["parameters"] if p["learnable"]]
                self.assertEqual([tensor["name"] for tensor in metadata["outputs"]],
                                 ["values", "gradients"] + [f"param_gradients.{n}" for n in learnable])
                self.assertEqual(metadata["parameters"]["metadata"], f"/v1/functions/{function['name']}")
        self.assertEqual(self.client.get_model_metadata("relu", "1")["name"], "relu")
        with self.assertRaises(InferenceServerException) as raised:
            self.client.get_model_metadata("relu", "2")
        self.assertEqual(raised.exception.status(), "404")

    def test_repository_index_lists_every_function(self):
        index = self.client.get_model_repository_index()
        self.assertEqual(sorted(entry["name"] for entry in index), sorted(f["name"] for f in self.functions))
        self.assertTrue(all(entry["state"] == "READY" and entry["version"] == "1" for entry in index))

    # MARK: inference, against /v1/activate

    def check_against_v1(self, function, datatype, binary):
        dtype = DTYPES[datatype]
        params = {p["name"]: inside(p) for p in function["parameters"] if p["required"]}
        shape = (3, 4) if function["kind"] == "vector" else (2, 3, 2)
        x = (self.rng.standard_normal(shape) * 3).astype(dtype)
        x.flat[0] = 0.0
        g = self.rng.standard_normal(
            (3, 2) if function["name"] in ("glu", "reglu", "geglu", "swiglu") else shape).astype(dtype)
        result = self.infer(function["name"], {"x": x, "grad_output": g}, parameters=params or None, binary=binary)
        answer = v1({"function": function["name"], "inputs": x.astype(np.float64).tolist(),
                     "grad_output": g.astype(np.float64).tolist(), "params": params,
                     "dtype": "float32" if dtype == np.float32 else "float64"})
        context = f"{function['name']} {datatype} binary={binary}"
        self.assertTrue(same(result.as_numpy("values"), v1_array(answer["values"], dtype).reshape(answer["shape"])), context)
        self.assertTrue(same(result.as_numpy("gradients"), v1_array(answer["gradients"], dtype).reshape(shape)), context)
        for name, value in answer.get("param_gradients", {}).items():
            self.assertTrue(same(result.as_numpy(f"param_gradients.{name}"), v1_array(value, dtype)), context)

    def test_every_function_binary_in_both_dtypes_matches_v1(self):
        for function in self.functions:
            for datatype in DTYPES:
                self.check_against_v1(function, datatype, binary=True)

    def test_every_function_json_in_both_dtypes_matches_v1(self):
        for function in self.functions:
            for datatype in DTYPES:
                self.check_against_v1(function, datatype, binary=False)

    def test_request_parameters_reach_the_function(self):
        x = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]], dtype=np.float32)
        leaky = self.infer("leaky_relu", {"x": x}, parameters={"alpha": 0.2}).as_numpy("values")
        self.assertTrue(same(leaky, np.array([[-0.4, -0.1, 0.0, 0.5, 2.0]], dtype=np.float32)))
        tanh = self.infer("gelu", {"x": x}, parameters={"approximate": "tanh"})
        exact = self.infer("gelu", {"x": x})
        self.assertFalse(same(tanh.as_numpy("values"), exact.as_numpy("values")))
        self.assertEqual(tanh.get_response()["parameters"]["approximate"], "tanh")
        columns = self.infer("softmax", {"x": np.ones((2, 3), np.float32)}, parameters={"axis": 0}).as_numpy("values")
        self.assertTrue(same(columns, np.full((2, 3), 0.5, np.float32)))
        zero = np.zeros((1,), np.float64)
        self.assertEqual(self.infer("leaky_relu", {"x": zero}, parameters={"conventions": "jax"}).as_numpy("gradients")[0], 1.0)
        self.assertEqual(self.infer("leaky_relu", {"x": zero}).as_numpy("gradients")[0], 0.01)
        first = self.infer("glu", {"x": np.array([[1.0, 2.0]])}, parameters={"gate": "first"}).as_numpy("values")
        self.assertAlmostEqual(first[0][0], 2.0 / (1 + np.exp(-1.0)), places=15)

    def test_per_channel_prelu_and_its_parameter_gradient(self):
        x = self.rng.standard_normal((2, 3, 4)).astype(np.float32)
        alpha = np.array([0.1, 0.2, 0.3], np.float32)
        g = self.rng.standard_normal((2, 3, 4)).astype(np.float32)
        result = self.infer("prelu", {"x": x, "grad_output": g, "alpha": alpha})
        answer = v1({"function": "prelu", "inputs": x.astype(np.float64).tolist(), "dtype": "float32",
                     "grad_output": g.astype(np.float64).tolist(), "params": {"alpha": alpha.astype(np.float64).tolist()}})
        gradient = result.as_numpy("param_gradients.alpha")
        self.assertEqual(gradient.shape, (3,))
        self.assertTrue(same(gradient, v1_array(answer["param_gradients"]["alpha"], np.float32)))
        self.assertTrue(same(result.as_numpy("values"), v1_array(answer["values"], np.float32)))

    def test_output_selection(self):
        x = np.array([-1.0, 1.0])
        only_values = self.infer("prelu", {"x": x}, outputs=["values"])
        self.assertEqual([o["name"] for o in only_values.get_response()["outputs"]], ["values"])
        self.assertIsNone(only_values.as_numpy("gradients"))
        only_alpha = self.infer("prelu", {"x": x}, outputs=["param_gradients.alpha"], binary=False)
        self.assertEqual([o["name"] for o in only_alpha.get_response()["outputs"]], ["param_gradients.alpha"])
        # A scalar alpha has a scalar gradient: shape [], the sum of grad_output * x over x < 0.
        self.assertEqual(only_alpha.as_numpy("param_gradients.alpha").shape, ())
        self.assertEqual(only_alpha.as_numpy("param_gradients.alpha").item(), -1.0)
        mixed = self.client.infer(
            "relu", [httpclient.InferInput("x", [2], "FP64").set_data_from_numpy(x)],
            outputs=[httpclient.InferRequestedOutput("gradients", binary_data=False),
                     httpclient.InferRequestedOutput("values", binary_data=True)])
        self.assertEqual([o["name"] for o in mixed.get_response()["outputs"]], ["gradients", "values"])
        self.assertTrue(same(mixed.as_numpy("values"), np.array([0.0, 1.0])))
        self.assertTrue(same(mixed.as_numpy("gradients"), np.array([0.0, 1.0])))

    def test_non_finite_numbers_travel_binary_and_json(self):
        x = np.array([np.nan, np.inf, -np.inf, -0.0], np.float64)
        for binary in (True, False):
            values = self.infer("sigmoid", {"x": x}, binary=binary).as_numpy("values")
            self.assertTrue(same(values, np.array([np.nan, 1.0, 0.0, 0.5])), f"binary={binary}: {values}")

    def test_compression_both_ways(self):
        x = self.rng.standard_normal(4096).astype(np.float32)
        plain = self.infer("tanh", {"x": x}).as_numpy("values")
        for request in (None, "gzip", "deflate"):
            for response in (None, "gzip", "deflate"):
                for binary in (True, False):
                    result = self.infer("tanh", {"x": x}, binary=binary, request_compression_algorithm=request,
                                        response_compression_algorithm=response)
                    self.assertTrue(same(result.as_numpy("values"), plain), f"{request} {response} {binary}")

    def test_asyncio_client(self):
        # aiohttp advertises Accept-Encoding: gzip, deflate on every call; the aio client
        # decodes only inference answers, so metadata must come back plain.
        async def run():
            client = aioclient.InferenceServerClient(URL)
            try:
                self.assertTrue(await client.is_server_ready())
                self.assertIn("binary_tensor_data", (await client.get_server_metadata())["extensions"])
                self.assertEqual((await client.get_model_metadata("geglu"))["name"], "geglu")
                self.assertEqual(len(await client.get_model_repository_index()), len(self.functions))
                x = np.linspace(-4, 4, 2048, dtype=np.float32)
                tensor = aioclient.InferInput("x", [2048], "FP32")
                tensor.set_data_from_numpy(x)
                result = await client.infer("softsign", [tensor])
                expected = self.infer("softsign", {"x": x}).as_numpy("values")
                self.assertTrue(same(result.as_numpy("values"), expected))
            finally:
                await client.close()
        asyncio.run(run())

    def test_errors_carry_the_protocols_status_and_message(self):
        x = np.array([1.0])
        with self.assertRaises(InferenceServerException) as raised:
            self.infer("squareplus", {"x": x}, parameters={"b": -1})
        self.assertEqual(raised.exception.status(), "400")
        self.assertIn("b", raised.exception.message())
        with self.assertRaises(InferenceServerException) as raised:
            self.infer("no_such_function", {"x": x})
        self.assertEqual(raised.exception.status(), "404")
        with self.assertRaises(InferenceServerException) as raised:
            self.infer("relu", {"x": x}, outputs=["logits"])
        self.assertEqual(raised.exception.status(), "400")
        with self.assertRaises(InferenceServerException) as raised:
            self.infer("relu", {"x": x, "gradient": x})
        self.assertIn("unknown input", raised.exception.message())
        with self.assertRaises(InferenceServerException) as raised:
            self.client.infer("relu", [httpclient.InferInput("x", [1], "INT32").set_data_from_numpy(np.array([1], np.int32))])
        self.assertIn("INT32", raised.exception.message())


if __name__ == "__main__":
    unittest.main(verbosity=2)

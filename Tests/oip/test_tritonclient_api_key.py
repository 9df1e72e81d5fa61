"""API keys as tritonclient[http] sends them: `headers={"Authorization": "Bearer ..."}` on each call.

Run by scripts/oip-checks.sh against a server started with API_KEY_FILE (URL in OIP_URL, the key in
OIP_API_KEY). The protocol's health routes answer without a key; everything else needs it.
"""
import asyncio
import os
import unittest

import numpy as np
import tritonclient.http as httpclient
import tritonclient.http.aio as aioclient
from tritonclient.utils import InferenceServerException

URL = os.environ["OIP_URL"]
KEY = os.environ["OIP_API_KEY"]
HEADERS = {"Authorization": f"Bearer {KEY}"}


def relu_input():
    tensor = httpclient.InferInput("x", [4], "FP32")
    tensor.set_data_from_numpy(np.array([-2, -0.5, 0, 3], dtype=np.float32), binary_data=True)
    return tensor


class APIKeyTests(unittest.TestCase):
    def setUp(self):
        self.client = httpclient.InferenceServerClient(URL)

    def test_health_needs_no_key(self):
        self.assertTrue(self.client.is_server_live())
        self.assertTrue(self.client.is_server_ready())

    def test_without_the_key_calls_are_refused_with_401(self):
        with self.assertRaises(InferenceServerException) as raised:
            self.client.get_model_metadata("relu")
        self.assertEqual(raised.exception.status(), "401")
        self.assertIn("API key", raised.exception.message())
        with self.assertRaises(InferenceServerException) as raised:
            self.client.infer("relu", [relu_input()])
        self.assertEqual(raised.exception.status(), "401")
        with self.assertRaises(InferenceServerException) as raised:
            self.client.infer("relu", [relu_input()], headers={"Authorization": "Bearer " + "x" * 32})
        self.assertEqual(raised.exception.status(), "401")

    def test_with_the_key_in_headers_calls_succeed(self):
        self.assertEqual(self.client.get_model_metadata("relu", headers=HEADERS)["name"], "relu")
        self.assertTrue(self.client.is_model_ready("relu", headers=HEADERS))
        result = self.client.infer("relu", [relu_input()], headers=HEADERS)
        np.testing.assert_array_equal(result.as_numpy("values"), np.array([0, 0, 0, 3], dtype=np.float32))

    def test_the_asyncio_client_sends_it_too(self):
        async def run():
            async with aioclient.InferenceServerClient(URL) as client:
                tensor = aioclient.InferInput("x", [2], "FP64")
                tensor.set_data_from_numpy(np.array([-1.0, 2.0]), binary_data=True)
                result = await client.infer("relu", [tensor], headers=HEADERS)
                return result.as_numpy("values")
        np.testing.assert_array_equal(asyncio.run(run()), np.array([0.0, 2.0]))


if __name__ == "__main__":
    unittest.main(verbosity=2)

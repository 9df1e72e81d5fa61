#!/usr/bin/env python3
"""The release server on a processor without AVX: proves that the x86-64 binary runs on the
baseline instruction set, picks its baseline kernel build there, refuses a request for the
x86-64-v3 build, and answers what the same binary answers natively (where this machine has
x86-64-v3, with the other build).

"The same" is exact for every function that does not call the C library's exp, log, erfc, sin
or cos. Those that do may differ by one ulp in rare near-halfway cases: glibc picks its
implementation by CPU (FMA or not), and the two are not always correctly rounded alike (seen:
exp(3.625), whose exact value lies 0.03 ulp from a rounding boundary). Every such difference is
listed; more than one ulp fails. That the two kernel builds agree bit for bit on one CPU is
tested in ActivationEngineTests (KernelBuildTests) and ActivationServiceTests.

The old processor is emulated by qemu-user (`qemu-x86_64 -cpu Nehalem`: SSE4.2, no AVX, no FMA),
which raises SIGILL on any instruction the model lacks.

    scripts/check-baseline-cpu.py .build/release/activation-server
"""
import json
import math
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request

CPU_MODEL = "Nehalem"
# Functions whose kernels call the C library's transcendental functions (directly or through
# their gate): one ulp of difference between CPUs is the C library's, not ours.
USES_LIBM = {"elu", "selu", "celu", "gelu", "sigmoid", "log_sigmoid", "tanh", "softplus", "swish", "mish",
             "tanhshrink", "exponential", "snake", "softmax", "log_softmax", "softmin", "glu", "geglu", "swiglu"}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fetch(port, path, body=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body,
        headers={"Content-Type": "application/json"} if body is not None else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.read()


def start(command, env):
    port = free_port()
    process = subprocess.Popen(
        command + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for _ in range(600):
        if process.poll() is not None:
            sys.exit(f"FAIL: {' '.join(command)} exited with {process.returncode}:\n"
                     + process.stdout.read().decode(errors="replace"))
        try:
            fetch(port, "/healthz")
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit(f"FAIL: {' '.join(command)} did not answer /healthz")


def inputs(dtype):
    """200-odd values: a grid over the interesting range (long enough for the vector loops and
    their remainders), kinks and their neighbours, tails, subnormals and the largest values."""
    xs = [i / 8 for i in range(-96, 97)]
    xs += [-745.5, -40.0, -20.0, -1.2785, -0.7518, 1e-8, -1e-8, 2.99, 8.3, 16.6, 37.5, 700.0]
    if dtype == "float32":
        xs += [-3e38, 3e38, -1e-38, 1e-38, -1e-45, 1e-45]
    else:
        xs += [-1e308, 1e308, -1e-300, 1e-300, -5e-324, 5e-324]
    return xs


def batch(functions):
    items = []
    for f in functions:
        if f["kind"] != "elementwise":
            continue
        params = {"threshold": 0.5, "value": -1.0} if f["name"] == "threshold" else {}
        for dtype in ("float32", "float64"):
            xs = inputs(dtype)
            grads = [((i % 7) - 2.5) for i in range(len(xs))]
            items.append({"function": f["name"], "dtype": dtype, "inputs": xs, "grad_output": grads,
                          "params": params})
    items.append({"function": "gelu", "params": {"approximate": "tanh"}, "inputs": inputs("float64")})
    items.append({"function": "swish", "params": {"beta": 1.702}, "inputs": inputs("float64")})
    items.append({"function": "snake", "params": {"alpha": 0.5}, "inputs": inputs("float64")})
    pairs = [[x / 3 - 5, 5 - x / 4] for x in range(64)]
    for name in ("glu", "reglu", "geglu", "swiglu", "softmax", "log_softmax", "sparsemax"):
        items.append({"function": name, "inputs": pairs})
    return json.dumps(items).encode()


def flatten(value):
    if value is None:
        return []
    if isinstance(value, list):
        return [y for x in value for y in flatten(x)]
    return [value]


def ulps(u, v, dtype):
    """Distance in units of the dtype's spacing at the larger magnitude (JSON gives finite
    numbers as numbers; anything else compared as unequal by inf)."""
    if not all(isinstance(t, (int, float)) for t in (u, v)):
        return math.inf
    if dtype == "float32":
        def key(t):
            (bits,) = struct.unpack("<i", struct.pack("<f", t))
            return bits if bits >= 0 else -(bits & 0x7FFFFFFF)
    else:
        def key(t):
            (bits,) = struct.unpack("<q", struct.pack("<d", t))
            return bits if bits >= 0 else -(bits & 0x7FFFFFFFFFFFFFFF)
    return abs(key(float(u)) - key(float(v)))


def kernel_build(port):
    _, metrics = fetch(port, "/metrics")
    for line in metrics.decode().splitlines():
        if line.startswith("activation_kernel_build_info{"):
            return line.split('build="', 1)[1].split('"', 1)[0]
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    qemu = shutil.which("qemu-x86_64")
    if qemu is None:
        sys.exit("FAIL: qemu-x86_64 not found (apt-get install qemu-user)")
    env = {k: v for k, v in os.environ.items() if k != "KERNELS"}

    refused = subprocess.run([qemu, "-cpu", CPU_MODEL, binary, "--kernels", "x86-64-v3", "--port", "0"],
                             env=env, capture_output=True, timeout=120)
    if refused.returncode == 0 or b"x86-64-v3" not in refused.stdout + refused.stderr:
        sys.exit("FAIL: --kernels x86-64-v3 on a CPU without it was not refused")
    print(f"ok: --kernels x86-64-v3 refused on {CPU_MODEL} (exit {refused.returncode})")

    native, native_port = start([binary], env)
    old, old_port = start([qemu, "-cpu", CPU_MODEL, binary], env)
    try:
        native_build, old_build = kernel_build(native_port), kernel_build(old_port)
        print(f"ok: native server runs the {native_build} kernels, the {CPU_MODEL} one the {old_build} kernels")
        if old_build != "baseline":
            sys.exit(f"FAIL: the server on {CPU_MODEL} chose {old_build}")
        _, functions = fetch(native_port, "/v1/functions")
        listed = json.loads(functions)
        listed = listed["functions"] if isinstance(listed, dict) else listed
        body = batch(listed)
        status_a, answer_a = fetch(native_port, "/v1/activate", body)
        status_b, answer_b = fetch(old_port, "/v1/activate", body)
        if status_a != 200 or status_b != 200:
            sys.exit(f"FAIL: statuses {status_a} and {status_b}: {answer_a[:300]!r}")
        items = json.loads(body)
        a, b = json.loads(answer_a), json.loads(answer_b)
        compared, differences = 0, []
        for i, (x, y) in enumerate(zip(a, b)):
            name, dtype = x["function"], x["dtype"]
            for key in ("values", "gradients"):
                for j, (u, v) in enumerate(zip(flatten(x.get(key)), flatten(y.get(key)))):
                    compared += 1
                    if u == v:
                        continue
                    distance = ulps(u, v, dtype)
                    differences.append((name, dtype, key, flatten(items[i]["inputs"])[j], u, v, distance))
                    if distance > 1 or name not in USES_LIBM:
                        sys.exit(f"FAIL: {name} {dtype} {key} at input {differences[-1][3]}: {u} ({native_build}) "
                                 f"vs {v} ({old_build}), {distance} ulp")
        if len(a) != len(b) or len(a) != len(items):
            sys.exit("FAIL: the answers have different lengths")
        for name, dtype, key, x, u, v, distance in differences:
            print(f"note: {name} {dtype} {key} at {x}: {u} vs {v} ({distance:g} ulp, the C library's)")
        print(f"ok: {len(items)} evaluations, {compared} numbers: {compared - len(differences)} identical, "
              f"{len(differences)} one ulp apart in C-library functions")
    finally:
        for process in (native, old):
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()

"""orjson on the JSON benchmark's bodies, for scale: called by activation-json-bench --orjson.

Reads the files the benchmark wrote into DIR: body-float32.json and body-float64.json (the
request bodies it parses) and values-float32.bin / values-float64.bin (the arrays it writes, raw
in the machine's byte order). Parses each body with orjson.loads and dumps each array as a numpy array with
OPT_SERIALIZE_NUMPY, which is what a FastAPI + numpy + orjson service does with them. Prints
one line per measurement: NAME SECONDS, the best thread CPU time of ROUNDS rounds, measured
like the Swift side (time.thread_time_ns around one call; the garbage collector is off, as
nothing here makes cycles).

Usage: python3 scripts/orjson-bench.py DIR ROUNDS
"""
import gc
import os
import sys
import time

import numpy
import orjson


def best(rounds, work):
    result = float("inf")
    for _ in range(rounds):
        start = time.thread_time_ns()
        work()
        result = min(result, time.thread_time_ns() - start)
    return result / 1e9


def main():
    directory, rounds = sys.argv[1], int(sys.argv[2])
    gc.disable()
    for dtype in ("float32", "float64"):
        with open(os.path.join(directory, f"body-{dtype}.json"), "rb") as f:
            body = f.read()
        count = len(orjson.loads(body)["inputs"])
        seconds = best(rounds, lambda: orjson.loads(body))
        print(f"parse-{dtype} {seconds:.9f} {count}")
    for dtype in ("float32", "float64"):
        with open(os.path.join(directory, f"values-{dtype}.bin"), "rb") as f:
            values = numpy.frombuffer(f.read(), dtype=dtype)  # native order: written on this machine
        option = orjson.OPT_SERIALIZE_NUMPY
        size = len(orjson.dumps(values, option=option))
        seconds = best(rounds, lambda: orjson.dumps(values, option=option))
        print(f"write-{dtype} {seconds:.9f} {len(values)} {size}")
    print(f"version orjson {orjson.__version__} numpy {numpy.__version__} python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()

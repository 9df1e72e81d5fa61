#!/usr/bin/env python3
"""The seeded request bodies every load, profile and counting script posts.

    python3 scripts/bench_bodies.py DIR    writes DIR/NAME.json and DIR/NAME.elements per workload,
                                           and DIR/post.lua: wrk posting the file named by BODY_FILE

gelu-16, sigmoid-1024 and batch-8x64 (8 functions x 64) carry numbers of up to 6 decimals;
relu-65536 is float32 with 17-digit numbers (~1.2 MB), the JSON reader's worst case. The same seed
gives the same bytes in every script, so figures from different scripts are about the same bodies.
"""
import random
import sys

POST_LUA = """local file = io.open(os.getenv("BODY_FILE"), "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
"""

BATCH_FUNCTIONS = ["relu", "gelu", "sigmoid", "tanh", "swish", "elu", "softplus", "mish"]


def bodies():
    """Workload name -> (body, elements), in a fixed order (the draws depend on it)."""
    rng = random.Random(20261129)

    def numbers(n, digits=None):
        values = [rng.uniform(-6, 6) for _ in range(n)]
        return "[" + ",".join(format(v, ".17g") if digits else repr(round(v, 6)) for v in values) + "]"

    return {
        "gelu-16": ('{"function":"gelu","inputs":%s}' % numbers(16), 16),
        "sigmoid-1024": ('{"function":"sigmoid","inputs":%s}' % numbers(1024), 1024),
        "relu-65536": ('{"function":"relu","dtype":"float32","inputs":%s}' % numbers(65536, digits=17), 65536),
        "batch-8x64": ("[" + ",".join('{"function":"%s","inputs":%s}' % (f, numbers(64)) for f in BATCH_FUNCTIONS)
                       + "]", 512),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for name, (body, elements) in bodies().items():
        with open(f"{sys.argv[1]}/{name}.json", "w") as f:
            f.write(body)
        with open(f"{sys.argv[1]}/{name}.elements", "w") as f:
            f.write(str(elements))
    with open(f"{sys.argv[1]}/post.lua", "w") as f:
        f.write(POST_LUA)

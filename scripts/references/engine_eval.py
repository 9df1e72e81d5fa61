"""Drives `activation-bench eval` (Sources/activation-bench/Eval.swift): the engine's answers to
chosen inputs, bit for bit, for the adversarial search; and the ULP measure the tests use.

One process is kept open and fed batches; numbers cross as IEEE bit patterns in hex.
"""
import math
import os
import struct
import subprocess

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BINARY = os.path.join(ROOT, ".build", "release", "activation-bench")
# (precision, minimum normal exponent, maximum exponent)
FORMATS = {"f64": (53, -1022, 1023), "f32": (24, -126, 127)}
BATCH = 4096


def enc(values, fmt):
    if fmt == "f32":
        return ",".join("%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in values)
    return ",".join("%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in values)


def dec(field, fmt):
    if field == "-" or field == "":
        return []
    if fmt == "f32":
        return [struct.unpack("<f", struct.pack("<I", int(h, 16)))[0] for h in field.split(",")]
    return [struct.unpack("<d", struct.pack("<Q", int(h, 16)))[0] for h in field.split(",")]


def params_text(P):
    """The eval mode's spelling: numbers as exact hexadecimal floats, choices as words."""
    if not P:
        return "-"
    return ",".join(f"{k}={v.hex() if isinstance(v, float) else v}" for k, v in sorted(P.items()))


def ulp(v, fmt):
    """The spacing of the dtype at |v| (the smallest subnormal below the normal range)."""
    p, emin, _ = FORMATS[fmt]
    if v == 0 or abs(v) < math.ldexp(1, emin):
        return math.ldexp(1, emin - p + 1)
    return math.ldexp(1, math.frexp(abs(v))[1] - 1 - (p - 1))


def ulp_error(got, ref, fmt):
    """|got − ref| in ULPs of ref, as the Swift tests measure it: NaN only equals NaN, an infinity
    only the same infinity, +0 equals −0."""
    if math.isnan(ref) or math.isnan(got):
        return 0.0 if math.isnan(ref) and math.isnan(got) else math.inf
    if math.isinf(ref) or math.isinf(got):
        return 0.0 if got == ref else math.inf
    if got == ref:
        return 0.0
    return abs((got - ref) / ulp(ref, fmt)) if abs(got - ref) != math.inf else math.inf


def is_subnormal(v, fmt):
    """A result below the normal range (0 included: its unit is the smallest subnormal)."""
    return math.isfinite(v) and abs(v) < math.ldexp(1, FORMATS[fmt][1])


class Engine:
    """One `activation-bench eval` process."""

    def __init__(self, binary=BINARY, kernels=None):
        if not os.path.exists(binary):
            raise SystemExit(f"{binary} missing: swift build -c release --product activation-bench")
        command = [binary, "eval"] + (["--kernels", kernels] if kernels else [])
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        bufsize=1)

    def _ask(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().rstrip("\n")
        if answer.startswith("ERR") or not answer:
            raise RuntimeError(f"engine: {answer!r} for {line[:200]!r}")
        return answer.split("\t")

    def elementwise(self, function, fmt, P, xs, convention="pytorch"):
        """(values, derivatives, [partials per learnable parameter]) at each x."""
        values, derivatives, partials = [], [], None
        for start in range(0, len(xs), BATCH):
            chunk = xs[start:start + BATCH]
            fields = self._ask("\t".join(["E", function, fmt, params_text(P), convention, enc(chunk, fmt)]))
            values += dec(fields[0], fmt)
            derivatives += dec(fields[1], fmt)
            columns = [dec(f, fmt) for f in fields[2:4] if f != "-"]
            partials = columns if partials is None else [a + b for a, b in zip(partials, columns)]
        return values, derivatives, partials or []

    def vector(self, function, fmt, P, x, g):
        fields = self._ask("\t".join(["V", function, fmt, params_text(P), enc(x, fmt), enc(g, fmt)]))
        return dec(fields[0], fmt), dec(fields[1], fmt)

    def close(self):
        self.process.stdin.close()
        self.process.wait()

#!/usr/bin/env python3
"""Fails when the Dockerfile and scripts/container-smoke.sh drift apart.

The smoke script proves the Dockerfile's steps without a Docker engine, so both must use the
same Debian release, the same runtime packages, the same build flags, the same user id and the
same binary path. Run by scripts/test.sh.
"""
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
dockerfile = (root / "Dockerfile").read_text()
smoke = (root / "scripts" / "container-smoke.sh").read_text()
problems = []


def expect(what, docker_value, smoke_value):
    if docker_value != smoke_value:
        problems.append(f"{what}: Dockerfile has {docker_value!r}, container-smoke.sh has {smoke_value!r}")


def one(pattern, text, what):
    match = re.search(pattern, text, re.MULTILINE)
    if not match:
        problems.append(f"cannot find {what}")
        return None
    return match.group(1)


# The Debian release: the ARG default, used by both stages.
expect("Debian release",
       one(r"^ARG DEBIAN_RELEASE=(\S+)", dockerfile, "ARG DEBIAN_RELEASE in the Dockerfile"),
       one(r"^DEBIAN_RELEASE=(\S+)", smoke, "DEBIAN_RELEASE in the smoke script"))
if "FROM debian:${DEBIAN_RELEASE}-slim" not in dockerfile:
    problems.append("the runtime stage is not FROM debian:${DEBIAN_RELEASE}-slim")

# Runtime packages: the apt-get install of the runtime stage.
runtime_stage = dockerfile.split("# MARK: runtime stage", 1)[-1]
docker_packages = one(r"apt-get install -y --no-install-recommends ([^\\\n&]+)", runtime_stage,
                      "the runtime stage's apt-get install")
smoke_packages = one(r"^RUNTIME_PACKAGES=\(([^)]*)\)", smoke, "RUNTIME_PACKAGES in the smoke script")
if docker_packages is not None and smoke_packages is not None:
    expect("runtime packages", sorted(docker_packages.split()), sorted(smoke_packages.split()))

# Build flags.
docker_build = one(r"RUN swift build (-c release[^\\\n&]*)", dockerfile, "the Dockerfile's swift build")
smoke_build = one(r"^BUILD_FLAGS=\(([^)]*)\)", smoke, "BUILD_FLAGS in the smoke script")
if docker_build is not None and smoke_build is not None:
    expect("build flags", docker_build.split(), smoke_build.split())

# The build stage's context: what it copies before building, and what the script copies.
build_stage = dockerfile.split("# MARK: runtime stage", 1)[0]
copied = re.findall(r"^COPY (?!--from)(\S+) ", build_stage, re.MULTILINE)
smoke_context = one(r"^BUILD_CONTEXT=\(([^)]*)\)", smoke, "BUILD_CONTEXT in the smoke script")
if smoke_context is not None:
    expect("build context", sorted(copied), sorted(smoke_context.split()))

# User id and binary path.
expect("user id",
       one(r"^USER (\d+):", dockerfile, "USER in the Dockerfile"),
       one(r"^RUNTIME_UID=(\d+)", smoke, "RUNTIME_UID in the smoke script"))
if one(r"useradd .*--uid (\d+)", dockerfile, "useradd in the Dockerfile") != one(r"^RUNTIME_UID=(\d+)", smoke, "uid"):
    problems.append("the Dockerfile's useradd uid differs from RUNTIME_UID")
expect("binary path",
       one(r'^ENTRYPOINT \["([^"]+)"\]', dockerfile, "ENTRYPOINT in the Dockerfile"),
       one(r"^BINARY_PATH=(\S+)", smoke, "BINARY_PATH in the smoke script"))

if problems:
    print("Dockerfile and scripts/container-smoke.sh have drifted:", file=sys.stderr)
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    sys.exit(1)
print("Dockerfile and scripts/container-smoke.sh agree: release, packages, build context, build flags, user, path")

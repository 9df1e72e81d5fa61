#!/usr/bin/env python3
"""Validates deploy/kubernetes/ against the Kubernetes schemas, and checks what the schemas cannot:

- every manifest in the folder is listed in kustomization.yaml, and every listed one exists;
- the Deployment's termination grace period exceeds the drain period plus the shutdown grace;
- the probes point at the routes the service serves (/healthz, /readyz);
- the container runs as non-root with a read-only root filesystem and no privilege escalation.

Needs kubernetes-validate and PyYAML (scripts/test.sh installs them in its virtual environment).
Usage: scripts/validate-manifests.py [--kubernetes-version 1.30.0]
"""
import subprocess
import sys
from pathlib import Path

import yaml

root = Path(__file__).resolve().parent.parent / "deploy" / "kubernetes"
problems = []

kustomization = yaml.safe_load((root / "kustomization.yaml").read_text())
listed = set(kustomization.get("resources", []))
present = {p.name for p in root.glob("*.yaml")} - {"kustomization.yaml"}
for name in sorted(present - listed):
    problems.append(f"{name} is not listed in kustomization.yaml")
for name in sorted(listed - present):
    problems.append(f"kustomization.yaml lists {name}, which does not exist")

versions = sys.argv[sys.argv.index("--kubernetes-version") + 1:][:1] if "--kubernetes-version" in sys.argv else []
for version in versions or ["1.37.0", "1.30.0"]:
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", "-k", version,
         *[str(root / name) for name in sorted(listed & present)]],
        capture_output=True, text=True)
    if result.returncode != 0:
        problems.append(f"schema validation against Kubernetes {version} failed:\n{result.stdout}{result.stderr}")

deployment = yaml.safe_load((root / "deployment.yaml").read_text())
pod = deployment["spec"]["template"]["spec"]
container = pod["containers"][0]
env = {e["name"]: e.get("value") for e in container.get("env", [])}
drain = float(env.get("DRAIN_SECONDS", 5))
grace = float(env.get("SHUTDOWN_GRACE_SECONDS", 10))
if pod.get("terminationGracePeriodSeconds", 30) <= drain + grace:
    problems.append("terminationGracePeriodSeconds must exceed DRAIN_SECONDS + SHUTDOWN_GRACE_SECONDS")
if container["livenessProbe"]["httpGet"]["path"] != "/healthz":
    problems.append("the liveness probe must use /healthz")
if container["readinessProbe"]["httpGet"]["path"] != "/readyz":
    problems.append("the readiness probe must use /readyz")
if "startupProbe" not in container:
    problems.append("the container has no startup probe")
security = container.get("securityContext", {})
if not pod.get("securityContext", {}).get("runAsNonRoot"):
    problems.append("the pod must run as non-root")
if security.get("readOnlyRootFilesystem") is not True:
    problems.append("the root filesystem must be read-only")
if security.get("allowPrivilegeEscalation") is not False:
    problems.append("privilege escalation must be off")
for kind in ("requests", "limits"):
    for resource in ("cpu", "memory"):
        if resource not in container.get("resources", {}).get(kind, {}):
            problems.append(f"resources.{kind}.{resource} is missing")

if problems:
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    sys.exit(1)
print(f"deploy/kubernetes: {len(listed)} manifests valid ({', '.join(versions or ['1.37.0', '1.30.0'])}), "
      "probes, grace period and security context as required")

#!/usr/bin/env python3
"""Validates deploy/kubernetes/ against the Kubernetes schemas, and checks what the schemas cannot:

- every manifest in the folder is listed in kustomization.yaml, and every listed one exists;
- the Deployment's termination grace period exceeds the drain period plus the shutdown grace;
- the probes point at the routes the service serves (/healthz, /readyz);
- the container runs as non-root with a read-only root filesystem and no privilege escalation;
- the memory settings agree (docs/deploy.md, "Sizing memory"): the memory request equals the
  limit (the budget counts on that memory being there), MEMORY_BUDGET_BYTES (or its default,
  3/4 of the limit) leaves at least a quarter of the limit for the process's baseline, and the
  largest request MAX_BODY_BYTES and MAX_ELEMENTS allow fits in the budget
  (MAX_BODY_BYTES + 74 bytes x MAX_ELEMENTS, the service's working-set bound), so it is served
  rather than refused with 413.

And deploy/kserve/ (KServe's ServingRuntime and InferenceService, custom resources that
kubernetes-validate has no schema for): the runtime's pod parts are validated as a core/v1 Pod
against the same Kubernetes schemas; every field of both resources is one of the fields KServe's
API types define (serving.kserve.io v1alpha1 ServingRuntimeSpec, v1beta1 PredictorSpec), so a
misspelt field fails here rather than being dropped by the API server; the InferenceService
names the runtime and a model format it supports, over protocol v2; the container is called
kserve-container, probes the protocol's health routes, and runs with the Deployment's image,
limits, resources and security settings.

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

# MARK: memory: limits, budget and request limits agree (the service's defaults when unset)

BYTES_PER_NUMBER = 74  # ActivationService.WorkingSet.bytesPerNumber
DEFAULT_MAX_BODY_BYTES = 64 << 20
DEFAULT_MAX_ELEMENTS = 4 << 20
UNITS = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


def quantity(text):
    text = str(text)
    for suffix, factor in sorted(UNITS.items(), key=lambda item: -len(item[0])):
        if text.endswith(suffix):
            return int(float(text[:-len(suffix)]) * factor)
    return int(float(text))


resources = container.get("resources", {})
memory_limit = quantity(resources.get("limits", {}).get("memory", 0))
memory_request = quantity(resources.get("requests", {}).get("memory", 0))
if memory_limit and memory_request != memory_limit:
    problems.append("resources.requests.memory must equal resources.limits.memory: the memory budget counts on it")
budget = int(env.get("MEMORY_BUDGET_BYTES") or memory_limit // 4 * 3)
if memory_limit and budget > memory_limit // 4 * 3:
    problems.append(f"MEMORY_BUDGET_BYTES ({budget}) leaves less than a quarter of the {memory_limit}-byte limit "
                    "for the process's baseline")
largest = int(env.get("MAX_BODY_BYTES") or DEFAULT_MAX_BODY_BYTES) \
    + BYTES_PER_NUMBER * int(env.get("MAX_ELEMENTS") or DEFAULT_MAX_ELEMENTS)
if largest > budget:
    problems.append(f"the largest request MAX_BODY_BYTES and MAX_ELEMENTS allow needs up to {largest} bytes, more than "
                    f"the memory budget of {budget}: it would always be refused with 413")

# MARK: deploy/kserve

kserve = root.parent / "kserve"
kserve_kustomization = yaml.safe_load((kserve / "kustomization.yaml").read_text())
kserve_listed = set(kserve_kustomization.get("resources", []))
kserve_present = {p.name for p in kserve.glob("*.yaml")} - {"kustomization.yaml"}
if kserve_listed != kserve_present:
    problems.append(f"deploy/kserve: kustomization.yaml lists {sorted(kserve_listed)}, the folder has {sorted(kserve_present)}")
documents = {}
for name in sorted(kserve_present):
    document = yaml.safe_load((kserve / name).read_text())
    documents[document.get("kind")] = document
runtime = documents.get("ServingRuntime")
service = documents.get("InferenceService")
if runtime is None or service is None:
    problems.append("deploy/kserve needs one ServingRuntime and one InferenceService")
else:
    def unknown(fields, allowed, where):
        for field in sorted(set(fields) - set(allowed)):
            problems.append(f"deploy/kserve: {where}.{field} is not a field of KServe's API")

    if runtime.get("apiVersion") != "serving.kserve.io/v1alpha1":
        problems.append("the ServingRuntime's apiVersion must be serving.kserve.io/v1alpha1")
    spec = runtime["spec"]
    pod_fields = {"containers", "volumes", "nodeSelector", "affinity", "tolerations", "labels", "annotations",
                  "imagePullSecrets", "hostIPC"}
    unknown(spec, pod_fields | {"supportedModelFormats", "multiModel", "disabled", "protocolVersions", "workerSpec",
                                "grpcEndpoint", "grpcDataEndpoint", "httpDataEndpoint", "replicas", "storageHelper",
                                "builtInAdapter"}, "ServingRuntime.spec")
    for model_format in spec.get("supportedModelFormats", []):
        unknown(model_format, {"name", "version", "autoSelect", "priority"}, "supportedModelFormats[]")
        if model_format.get("priority", 1) < 1:
            problems.append("a supported model format's priority must be at least 1")
    if not set(spec.get("protocolVersions", [])) <= {"v1", "v2", "grpc-v1", "grpc-v2"} or "v2" not in spec.get("protocolVersions", []):
        problems.append("the ServingRuntime must speak protocol v2 (and only KServe's protocol names)")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "servingruntime-pod-parts"},
           "spec": {key: spec[key] for key in ("containers", "volumes", "nodeSelector", "affinity", "tolerations",
                                              "imagePullSecrets", "hostIPC") if key in spec}}
    pod_file = Path(subprocess.run(["mktemp", "--suffix=.yaml"], capture_output=True, text=True).stdout.strip())
    pod_file.write_text(yaml.safe_dump(pod))
    for version in versions or ["1.37.0", "1.30.0"]:
        result = subprocess.run(
            [sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", "-k", version, str(pod_file)],
            capture_output=True, text=True)
        if result.returncode != 0:
            problems.append(f"the ServingRuntime's pod parts are not a valid Pod for Kubernetes {version}:\n"
                            f"{result.stdout}{result.stderr}")
    pod_file.unlink()
    runtime_container = spec["containers"][0]
    if runtime_container["name"] != "kserve-container":
        problems.append("the ServingRuntime's container must be called kserve-container (KServe merges into it by name)")
    if runtime_container.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/v2/health/live":
        problems.append("the runtime's liveness probe must use /v2/health/live")
    if runtime_container.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/v2/health/ready":
        problems.append("the runtime's readiness probe must use /v2/health/ready")
    runtime_env = {e["name"]: e.get("value") for e in runtime_container.get("env", [])}
    for name in ("MAX_ELEMENTS", "MAX_BODY_BYTES", "MEMORY_BUDGET_BYTES", "DRAIN_SECONDS", "SHUTDOWN_GRACE_SECONDS", "PORT"):
        if runtime_env.get(name) != env.get(name):
            problems.append(f"the runtime's {name} ({runtime_env.get(name)}) differs from the Deployment's ({env.get(name)})")
    for key in ("image", "resources"):
        if runtime_container.get(key) != container.get(key):
            problems.append(f"the runtime's {key} differs from the Deployment's")
    runtime_security = runtime_container.get("securityContext", {})
    if runtime_security.get("runAsNonRoot") is not True or runtime_security.get("readOnlyRootFilesystem") is not True \
            or runtime_security.get("allowPrivilegeEscalation") is not False:
        problems.append("the runtime's container must run as non-root, read-only, without privilege escalation")

    if service.get("apiVersion") != "serving.kserve.io/v1beta1":
        problems.append("the InferenceService's apiVersion must be serving.kserve.io/v1beta1")
    unknown(service["spec"], {"predictor", "transformer", "explainer"}, "InferenceService.spec")
    predictor = service["spec"]["predictor"]
    unknown(predictor, {"model", "minReplicas", "maxReplicas", "scaleTarget", "scaleMetric", "scaleMetricType",
                        "autoScaling", "containerConcurrency", "timeout", "canaryTrafficPercent", "logger", "batcher",
                        "labels", "annotations", "deploymentStrategy", "serviceAccountName", "nodeSelector",
                        "tolerations", "affinity", "terminationGracePeriodSeconds", "imagePullSecrets"},
            "InferenceService.spec.predictor")
    model = predictor.get("model", {})
    unknown(model, {"modelFormat", "runtime", "protocolVersion", "storageUri", "runtimeVersion", "resources", "env",
                    "args", "image", "name"}, "InferenceService.spec.predictor.model")
    formats = {(f["name"], f.get("version")) for f in spec.get("supportedModelFormats", [])}
    wanted = (model.get("modelFormat", {}).get("name"), model.get("modelFormat", {}).get("version"))
    if wanted not in formats:
        problems.append(f"the InferenceService asks for model format {wanted}, the runtime supports {sorted(formats)}")
    if model.get("runtime") != runtime["metadata"]["name"]:
        problems.append("the InferenceService must name the ServingRuntime in predictor.model.runtime")
    if model.get("protocolVersion") != "v2":
        problems.append("the InferenceService must ask for protocol v2")

if problems:
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    sys.exit(1)
print(f"deploy/kubernetes: {len(listed)} manifests valid ({', '.join(versions or ['1.37.0', '1.30.0'])}), "
      "probes, grace period, security context and memory sizing as required; deploy/kserve: ServingRuntime and "
      "InferenceService consistent with KServe's API and the Deployment")

#!/usr/bin/env bash
# kubectl-free end-to-end smoke test against scripts/k8s/cluster.sh (curl + jq).
set -euo pipefail
eval "$("$(dirname "$0")"/cluster.sh env)"
S="$PHASEKIT_K8S_SERVER"
NS="smoke-$RANDOM"
PASS=0; FAILN=0
api() { local m="$1" p="$2"; shift 2; curl -sS --max-time 10 --cacert "$PHASEKIT_K8S_CA" -H "Authorization: Bearer $PHASEKIT_K8S_TOKEN" -X "$m" "$S$p" "$@"; }
post() { api POST "$1" -H 'Content-Type: application/json' --data-binary "$2"; }
ok() { echo "PASS: $*"; PASS=$((PASS + 1)); }
bad() { echo "FAIL: $*"; FAILN=$((FAILN + 1)); }
# wait_jq <timeout_s> <path> <jq-filter returning true> <label>
wait_jq() {
  local t="$1" p="$2" f="$3" label="$4" start; start=$(date +%s%3N)
  local deadline=$(($(date +%s) + t)) body=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    body=$(api GET "$p" 2>/dev/null || true)
    if [ "$(printf '%s' "$body" | jq -r "$f" 2>/dev/null)" = true ]; then
      ok "$label ($(($(date +%s%3N) - start)) ms)"; return 0
    fi
    sleep 0.2
  done
  bad "$label (timeout ${t}s); last: $(printf '%s' "$body" | head -c 1500)"
  return 1
}

T0=$(date +%s%3N)
post /api/v1/namespaces "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$NS\"}}" >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/serviceaccounts/default" '.metadata.name == "default"' "namespace $NS has default ServiceAccount"

# 1. Job -> controller-manager creates a Pod -> scheduler binds it -> kwok runs it -> Succeeded -> Job Complete
post "/apis/batch/v1/namespaces/$NS/jobs" '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"ok-job"},
 "spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never",
   "containers":[{"name":"main","image":"example.invalid/train:1","resources":{"requests":{"cpu":"1","nvidia.com/gpu":"1"},"limits":{"nvidia.com/gpu":"1"}}}]}}}}' >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods?labelSelector=job-name%3Dok-job" '(.items | length) >= 1' "job ok-job: controller-manager created a pod"
wait_jq 30 "/api/v1/namespaces/$NS/pods?labelSelector=job-name%3Dok-job" '(.items[0].spec.nodeName // "") | startswith("kwok-node-")' "job ok-job: scheduler bound the pod to a kwok node"
wait_jq 30 "/api/v1/namespaces/$NS/pods?labelSelector=job-name%3Dok-job" '.items[0].status.phase == "Succeeded" and .items[0].status.containerStatuses[0].state.terminated.exitCode == 0' "job ok-job: pod Succeeded (exit 0)"
wait_jq 30 "/apis/batch/v1/namespaces/$NS/jobs/ok-job" '[.status.conditions[]? | select(.type=="Complete" and .status=="True")] | length == 1' "job ok-job: condition Complete=True"

# 2. Failing Job (exit code via pod template annotation) -> Job Failed
post "/apis/batch/v1/namespaces/$NS/jobs" '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"bad-job"},
 "spec":{"backoffLimit":0,"template":{"metadata":{"annotations":{"kwok.phasekit.dev/exit-code":"3"}},"spec":{"restartPolicy":"Never",
   "containers":[{"name":"main","image":"example.invalid/train:1"}]}}}}' >/dev/null
wait_jq 30 "/apis/batch/v1/namespaces/$NS/jobs/bad-job" '[.status.conditions[]? | select(.type=="Failed" and .status=="True")] | length == 1' "job bad-job: condition Failed=True"

# 3. Bare pod with exit-code annotation -> Failed, exitCode 42, reason Error
post "/api/v1/namespaces/$NS/pods" '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"exit42","annotations":{"kwok.phasekit.dev/exit-code":"42"}},
 "spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"example.invalid/x:1"}]}}' >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods/exit42" '.status.phase == "Failed" and .status.containerStatuses[0].state.terminated.exitCode == 42 and .status.containerStatuses[0].state.terminated.reason == "Error"' "pod exit42: Failed, exitCode 42, reason Error"

# 4. OOMKilled
post "/api/v1/namespaces/$NS/pods" '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"oom","annotations":{"kwok.phasekit.dev/exit-code":"137","kwok.phasekit.dev/exit-reason":"OOMKilled"}},
 "spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"example.invalid/x:1"}]}}' >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods/oom" '.status.phase == "Failed" and .status.containerStatuses[0].state.terminated.exitCode == 137 and .status.containerStatuses[0].state.terminated.reason == "OOMKilled"' "pod oom: Failed, exitCode 137, reason OOMKilled"

# 5. Image pull failure -> waiting ErrImagePull / ImagePullBackOff, stays Pending
post "/api/v1/namespaces/$NS/pods" '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pullfail","annotations":{"kwok.phasekit.dev/image-pull-error":"true"}},
 "spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"example.invalid/missing:1"}]}}' >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods/pullfail" '.status.phase == "Pending" and .status.containerStatuses[0].state.waiting.reason == "ErrImagePull"' "pod pullfail: waiting ErrImagePull"
wait_jq 30 "/api/v1/namespaces/$NS/pods/pullfail" '.status.phase == "Pending" and .status.containerStatuses[0].state.waiting.reason == "ImagePullBackOff"' "pod pullfail: waiting ImagePullBackOff"

# 6. Init container failure -> Failed with init exit code
post "/api/v1/namespaces/$NS/pods" '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"initfail","annotations":{"kwok.phasekit.dev/init-exit-code":"7"}},
 "spec":{"restartPolicy":"Never","initContainers":[{"name":"init","image":"example.invalid/init:1"}],"containers":[{"name":"main","image":"example.invalid/x:1"}]}}' >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods/initfail" '.status.phase == "Failed" and .status.initContainerStatuses[0].state.terminated.exitCode == 7' "pod initfail: Failed, init exitCode 7"

# 7. Init containers OK -> Running (bare pod, no exit annotation: keeps running)
post "/api/v1/namespaces/$NS/pods" '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"initok"},
 "spec":{"initContainers":[{"name":"init","image":"example.invalid/init:1"}],"containers":[{"name":"main","image":"example.invalid/x:1"}]}}' >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods/initok" '.status.phase == "Running" and .status.initContainerStatuses[0].state.terminated.reason == "Completed" and ([.status.conditions[] | select(.type=="Ready" and .status=="True")] | length == 1)' "pod initok: init Completed, Running, Ready"

# 8. CrashLoopBackOff (restartPolicy Always + exit code)
post "/api/v1/namespaces/$NS/pods" '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"crashy","annotations":{"kwok.phasekit.dev/exit-code":"2"}},
 "spec":{"restartPolicy":"Always","containers":[{"name":"main","image":"example.invalid/x:1"}]}}' >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods/crashy" '.status.phase == "Running" and .status.containerStatuses[0].state.waiting.reason == "CrashLoopBackOff" and .status.containerStatuses[0].lastState.terminated.exitCode == 2' "pod crashy: CrashLoopBackOff, lastState exitCode 2"

# 9. Deleting a running pod: terminated then removed
api DELETE "/api/v1/namespaces/$NS/pods/initok" >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods" '[.items[] | select(.metadata.name=="initok")] | length == 0' "pod initok: deleted (gone)"

# 10. Deleting a Job cascades (garbage collector) to its pods
api DELETE "/apis/batch/v1/namespaces/$NS/jobs/ok-job?propagationPolicy=Background" >/dev/null
wait_jq 30 "/api/v1/namespaces/$NS/pods?labelSelector=job-name%3Dok-job" '(.items | length) == 0' "job ok-job deleted: pods garbage-collected"

# 11. Deployment -> ReplicaSet -> 2 running pods
post "/apis/apps/v1/namespaces/$NS/deployments" '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"example.invalid/web:1"}]}}}}' >/dev/null
wait_jq 40 "/apis/apps/v1/namespaces/$NS/deployments/web" '.status.readyReplicas == 2' "deployment web: 2 ready replicas"

# 12. CRD + status subresource
post /apis/apiextensions.k8s.io/v1/customresourcedefinitions '{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
 "metadata":{"name":"widgets.smoke.phasekit.dev"},
 "spec":{"group":"smoke.phasekit.dev","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget"},
  "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
   "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true},"status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}' >/dev/null 2>&1 || true
wait_jq 30 /apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.smoke.phasekit.dev '[.status.conditions[]? | select(.type=="Established" and .status=="True")] | length == 1' "CRD widgets Established"
wait_jq 30 /apis/smoke.phasekit.dev/v1 '.kind == "APIResourceList"' "CRD group discoverable"
post "/apis/smoke.phasekit.dev/v1/namespaces/$NS/widgets" '{"apiVersion":"smoke.phasekit.dev/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":1},"status":{"phase":"ignored-on-create"}}' >/dev/null
api PATCH "/apis/smoke.phasekit.dev/v1/namespaces/$NS/widgets/w1/status" -H 'Content-Type: application/merge-patch+json' --data-binary '{"status":{"phase":"Ready","observedGeneration":1}}' >/dev/null
wait_jq 10 "/apis/smoke.phasekit.dev/v1/namespaces/$NS/widgets/w1" '.status.phase == "Ready" and .spec.size == 1' "CR w1: status subresource updated"
api PATCH "/apis/smoke.phasekit.dev/v1/namespaces/$NS/widgets/w1" -H 'Content-Type: application/merge-patch+json' --data-binary '{"status":{"phase":"Hacked"}}' >/dev/null
wait_jq 10 "/apis/smoke.phasekit.dev/v1/namespaces/$NS/widgets/w1" '.status.phase == "Ready"' "CR w1: main resource ignores status changes"

# 13. A watch works (consistent watch needs etcd >= 3.5.13)
RV=$(api GET "/api/v1/namespaces/$NS/pods" | jq -r .metadata.resourceVersion)
W=$(api GET "/api/v1/namespaces/$NS/pods?watch=1&resourceVersion=$RV&timeoutSeconds=3" --max-time 8 &
    sleep 0.5; post "/api/v1/namespaces/$NS/configmaps" '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}' >/dev/null
    api DELETE "/api/v1/namespaces/$NS/pods/crashy" >/dev/null; wait)
if printf '%s' "$W" | grep -q '"type":"MODIFIED"\|"type":"DELETED"'; then ok "watch stream delivers events"; else bad "watch: $W"; fi
W2=$(api GET "/api/v1/namespaces/$NS/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=2" --max-time 6 || true)
if printf '%s' "$W2" | grep -q '"type":"BOOKMARK"'; then ok "watch-list (sendInitialEvents) works"; else bad "watch-list: $(printf '%s' "$W2" | head -c 500)"; fi

# cleanup
api DELETE "/api/v1/namespaces/$NS" >/dev/null
wait_jq 60 /api/v1/namespaces "[.items[] | select(.metadata.name==\"$NS\")] | length == 0" "namespace $NS deleted (namespace controller + kwok pod deletion)"
api DELETE /apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.smoke.phasekit.dev >/dev/null

echo "smoke total $(($(date +%s%3N) - T0)) ms"
echo "$PASS passed, $FAILN failed"
[ "$FAILN" = 0 ]

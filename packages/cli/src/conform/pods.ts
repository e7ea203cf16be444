/**
 * Pods at each stage of a Run:ai job's life, as the API server shows them: for tests (the live watch
 * test drives a real kube-apiserver through these) and the example watch stream in examples/conform.
 */
export type PodStage = "unschedulable" | "creating" | "running" | "succeeded" | "failed";

/** The `status` a pod shows at a stage, stamped at `at` (RFC 3339). */
export function podStatus(stage: PodStage, container: string, at: string): Record<string, unknown> {
  const scheduled = { type: "PodScheduled", status: "True", lastTransitionTime: at };
  const waiting = (reason: string) => ({
    name: container,
    image: "busybox",
    ready: false,
    restartCount: 0,
    state: { waiting: { reason } },
  });
  switch (stage) {
    case "unschedulable":
      return {
        phase: "Pending",
        conditions: [
          { type: "PodScheduled", status: "False", reason: "Unschedulable", lastTransitionTime: at },
        ],
      };
    case "creating":
      return { phase: "Pending", conditions: [scheduled], containerStatuses: [waiting("ContainerCreating")] };
    case "running":
      return {
        phase: "Running",
        startTime: at,
        conditions: [scheduled],
        containerStatuses: [
          {
            name: container,
            image: "busybox",
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: at } },
          },
        ],
      };
    case "succeeded":
    case "failed": {
      const code = stage === "succeeded" ? 0 : 1;
      return {
        phase: stage === "succeeded" ? "Succeeded" : "Failed",
        conditions: [scheduled],
        containerStatuses: [
          {
            name: container,
            image: "busybox",
            ready: false,
            restartCount: 0,
            state: {
              terminated: { exitCode: code, reason: code === 0 ? "Completed" : "Error", finishedAt: at },
            },
          },
        ],
      };
    }
  }
}

/** A whole Pod of a Run:ai job of the given type (annotation runai.phasekit.dev/job-type). */
export function pod(
  name: string,
  type: "training" | "interactive",
  stage: PodStage,
  at: string,
  namespace = "default",
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace,
      creationTimestamp: "2026-03-02T10:00:00Z",
      annotations: { "runai.phasekit.dev/job-type": type },
    },
    spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] },
    status: podStatus(stage, "main", at),
  };
}

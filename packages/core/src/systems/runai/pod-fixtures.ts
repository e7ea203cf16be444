import { type K8sCondition, type K8sPod, k8sPod } from "./kubernetes.js";

/** One container's state, sketched: a waiting reason, running, or terminated with an exit code. */
export type ContainerSketch =
  | { readonly waiting: string | null; readonly restartCount?: number }
  | { readonly running: true; readonly ready?: boolean; readonly restartCount?: number }
  | {
      readonly terminated: { readonly exitCode: number; readonly reason?: string; readonly signal?: number };
      readonly restartCount?: number;
    };

/** A pod, sketched by what the derivation reads. Everything is optional; `podFixture` fills the rest. */
export interface PodSketch {
  readonly name?: string;
  readonly created?: string;
  readonly phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  readonly reason?: string;
  readonly deletion?: string;
  readonly nodeName?: string;
  readonly restartPolicy?: "Always" | "OnFailure" | "Never";
  readonly conditions?: readonly K8sCondition[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerJob?: string;
  /** Init containers: their number, and the states reported so far (kubelet reports them in order). */
  readonly initTotal?: number;
  readonly init?: readonly ContainerSketch[];
  readonly main?: readonly ContainerSketch[];
}

function containerStatus(name: string, c: ContainerSketch) {
  const base = { name, image: `registry.example/${name}:1`, imageID: "", restartCount: c.restartCount ?? 0 };
  if ("running" in c)
    return {
      ...base,
      ready: c.ready ?? true,
      started: true,
      state: { running: { startedAt: "2026-01-01T00:00:00Z" } },
    };
  if ("terminated" in c)
    return { ...base, ready: false, started: false, state: { terminated: c.terminated } };
  return {
    ...base,
    ready: false,
    started: false,
    state: { waiting: c.waiting === null ? {} : { reason: c.waiting } },
  };
}

/**
 * A decoded `V1Pod` from a sketch, as a kubelet and the API server would write it: for tests, the
 * simulator and examples. Pure; throws only if the sketch cannot be a pod (a bug in the caller).
 *
 * @example
 * ```ts
 * const pod = podFixture({ phase: "Running", main: [{ running: true }] });
 * ```
 */
export function podFixture(s: PodSketch): K8sPod {
  const initTotal = s.initTotal ?? s.init?.length ?? 0;
  const initNames = Array.from({ length: initTotal }, (_, i) => `init-${i}`);
  const mainCount = Math.max(1, s.main?.length ?? 1);
  const mainNames = Array.from({ length: mainCount }, (_, i) => (i === 0 ? "main" : `main-${i}`));
  const raw = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: s.name ?? "job-0",
      namespace: "runai-team",
      creationTimestamp: s.created ?? "2026-01-01T00:00:00Z",
      ...(s.deletion ? { deletionTimestamp: s.deletion } : {}),
      ...(s.labels ? { labels: s.labels } : {}),
      ...(s.annotations ? { annotations: s.annotations } : {}),
      ...(s.ownerJob
        ? {
            ownerReferences: [
              { apiVersion: "batch/v1", kind: "Job", name: s.ownerJob, uid: `uid-${s.ownerJob}` },
            ],
          }
        : {}),
    },
    spec: {
      restartPolicy: s.restartPolicy ?? "Never",
      ...(s.nodeName ? { nodeName: s.nodeName } : {}),
      ...(initTotal > 0 ? { initContainers: initNames.map((name) => ({ name, image: "init:1" })) } : {}),
      containers: mainNames.map((name) => ({ name, image: "main:1" })),
    },
    status: {
      phase: s.phase ?? "Pending",
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.conditions ? { conditions: s.conditions } : {}),
      ...(s.init
        ? { initContainerStatuses: s.init.map((c, i) => containerStatus(initNames[i] ?? `init-${i}`, c)) }
        : {}),
      ...(s.main ? { containerStatuses: s.main.map((c, i) => containerStatus(mainNames[i]!, c)) } : {}),
    },
  };
  return k8sPod.parse(raw);
}

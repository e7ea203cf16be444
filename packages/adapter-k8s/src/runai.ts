import {
  DecodeError,
  decodeRunaiObjects,
  deriveRunaiStatus,
  deriveRunaiWorkloadStatus,
  type RunaiDerivation,
  type RunaiWorkloadDerivation,
  runaiObservations,
} from "@phasekit/core";
import type { KubeClient, KubeObject } from "./client.js";
import { nativeTypes, podType } from "./kinds.js";
import { ListWatch } from "./watch/list-watch.js";
import { defaultWatchTiming, type WatchTiming } from "./watch/timing.js";

/**
 * Run:ai statuses from real Pods and Jobs: watches both kinds in a namespace and, on every change,
 * derives the status of the job the object belongs to with core's `deriveRunaiStatus` (the same pure
 * function the simulator and `phasekit explain` use), reporting it when it differs from the last one.
 * A Job is grouped with its pods by owner reference; a pod of no Job is a job of its own (it needs
 * the `runai.phasekit.dev/job-type` annotation, or one of Run:ai's own marks: an owner reference to its
 * workload kinds, or its priority class). Each change carries both of Run:ai's vocabularies: the
 * seed's job status and the workload status of current releases (`workload`). When an object
 * disappears, its last state is derived once more as deleted, so a deletion ends in Terminating or
 * Deleted as Run:ai shows it.
 *
 * @module
 */

/** A job's status changed (its job status, the seed's, or its status in Run:ai's workload model). */
export interface RunaiStatusChange extends RunaiDerivation {
  /** The same objects' status in Run:ai's current workload model (2.16+). */
  readonly workload: Omit<RunaiWorkloadDerivation, "legacy">;
  /** `Job/<name>`, or `Pod/<name>` for a pod of no Job. */
  readonly job: string;
  /** When the adapter saw it (the wall clock). */
  readonly at: string;
}

export interface RunaiWatch {
  /** Every change so far, in the order seen, for one job (`Job/<name>`) or all. */
  readonly changes: (job?: string) => readonly RunaiStatusChange[];
  /** Resolves once both kinds are listed. */
  readonly ready: () => Promise<void>;
  readonly stop: () => Promise<void>;
  /** The two list/watch loops (pods, jobs), for their counters. */
  readonly loops: { readonly pods: ListWatch; readonly jobs: ListWatch };
}

export interface RunaiWatchOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly labelSelector?: string;
  readonly timing?: WatchTiming;
  readonly onChange?: (change: RunaiStatusChange) => void;
  readonly log?: (message: string) => void;
  readonly now?: () => string;
}

const jobOf = (pod: KubeObject): string | undefined =>
  pod.metadata.ownerReferences?.find((r) => r.kind === "Job")?.name ??
  pod.metadata.labels?.["batch.kubernetes.io/job-name"];

/** A list item has no kind/apiVersion: give it back what the decoder wants. */
const typed = (o: KubeObject, kind: "Pod" | "Job") => ({
  ...o,
  kind,
  apiVersion: kind === "Pod" ? "v1" : "batch/v1",
});

/**
 * Starts watching. `onChange` is called synchronously with each new status; `changes()` keeps them.
 *
 * @example
 * ```ts
 * const watch = watchRunaiStatuses({ client, namespace: "team-a" });
 * await watch.ready();
 * // ... create a Job; later:
 * watch.changes("Job/train-1").map((c) => c.status); // ["Pending", "ContainerCreating", "Running", "Succeeded"]
 * await watch.stop();
 * ```
 */
export function watchRunaiStatuses(options: RunaiWatchOptions): RunaiWatch {
  const { client, namespace } = options;
  const now = options.now ?? (() => new Date().toISOString());
  const common = {
    client,
    namespace,
    timing: options.timing ?? defaultWatchTiming,
    ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  const pods = new ListWatch({ ...common, type: podType });
  const jobs = new ListWatch({ ...common, type: nativeTypes.Job! });
  const history: RunaiStatusChange[] = [];
  const last = new Map<string, string>();
  /** Jobs and pods that disappeared, as last seen, until their group is derived once more. */
  const gone = new Map<string, KubeObject>();

  const derive = (key: string) => {
    const [kind, name] = key.split("/") as ["Job" | "Pod", string];
    const deleted = (o: KubeObject) => ({
      ...o,
      metadata: { ...o.metadata, deletionTimestamp: o.metadata.deletionTimestamp ?? now() },
    });
    const members: unknown[] = [];
    if (kind === "Job") {
      const job = jobs.items().get(name) ?? (gone.has(key) ? deleted(gone.get(key)!) : undefined);
      if (job) members.push(typed(job, "Job"));
      const owned = [...pods.items().values()].filter((pod) => jobOf(pod) === name);
      for (const pod of owned) members.push(typed(pod, "Pod"));
      // A Job may go before its pods: it still speaks for them (as deleted) until the last one is gone.
      if (owned.length === 0) gone.delete(key);
    } else {
      const pod = pods.items().get(name) ?? (gone.has(key) ? deleted(gone.get(key)!) : undefined);
      if (pod) members.push(typed(pod, "Pod"));
      gone.delete(key);
    }
    if (members.length === 0) return;
    const objects = decodeRunaiObjects({ kind: "List", items: members }, key);
    const groups = objects instanceof DecodeError ? objects : runaiObservations(objects, key);
    if (groups instanceof DecodeError) {
      options.log?.(`run:ai status of ${key}: ${groups.message}`);
      return;
    }
    for (const group of groups) {
      const d = deriveRunaiStatus(group.observation);
      const { legacy: _, ...workload } = deriveRunaiWorkloadStatus(group.observation, d);
      const fingerprint = `${d.status}/${d.reason ?? ""}/${d.display}/${workload.status}`;
      if (last.get(key) === fingerprint) continue;
      last.set(key, fingerprint);
      const change = { ...d, workload, job: key, at: now() };
      history.push(change);
      options.onChange?.(change);
    }
  };

  jobs.subscribe((e) => {
    const key = `Job/${e.object.metadata.name}`;
    if (e.type === "DELETED") gone.set(key, e.object);
    derive(key);
  });
  pods.subscribe((e) => {
    const owner = jobOf(e.object);
    const key = owner ? `Job/${owner}` : `Pod/${e.object.metadata.name}`;
    if (e.type === "DELETED" && !owner) gone.set(key, e.object);
    derive(key);
  });
  // Jobs first: a pod's first event then finds its Job in the cache.
  jobs.start();
  void jobs.ready().then(
    () => pods.start(),
    () => pods.start(),
  );

  return {
    changes: (job) => (job === undefined ? [...history] : history.filter((c) => c.job === job)),
    ready: async () => {
      await jobs.ready();
      await pods.ready();
    },
    stop: async () => {
      await Promise.all([jobs.stop(), pods.stop()]);
    },
    loops: { pods, jobs },
  };
}

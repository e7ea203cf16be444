import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import { lifecycleLaws } from "../../testing/laws.js";
import { runaiJobAttributes } from "./attributes.js";
import { deriveRunaiStatus } from "./derive.js";
import { runaiPodObservation } from "./kubelet-model.js";
import { kubeletWalks } from "./kubelet-walks.js";
import { type K8sJob, k8sJob } from "./kubernetes.js";
import { podFixture } from "./pod-fixtures.js";
import { runaiStatusNames } from "./statuses.js";
import {
  RUNAI_WORKLOADS_SOURCE,
  type RunaiWorkloadStatus,
  runaiWorkloadStatuses,
  runaiWorkloadLifecycle as W,
} from "./workload.js";
import { deriveRunaiWorkloadStatus, runaiLegacyToWorkload } from "./workload-derive.js";

const walk = (statuses: readonly RunaiWorkloadStatus[]) => {
  let r: StatusRecord<RunaiWorkloadStatus, never> | Error = W.initial();
  for (const status of statuses) {
    if (r instanceof Error) return r;
    r = W.moveTo(r, { status, reason: null });
  }
  return r;
};
const training = runaiJobAttributes.parse({ type: "training" });
const job = (status: Record<string, unknown>, spec: Record<string, unknown> = {}): K8sJob =>
  k8sJob.parse({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "train" },
    spec: { template: {}, ...spec },
    status,
  });

describe("Run:ai's workload model (current releases)", () => {
  it("has the docs' nine statuses, each tagged with its source and the version it applies from", () => {
    expect(Object.keys(W.spec.statuses)).toEqual([...runaiWorkloadStatuses]);
    for (const st of Object.values(W.spec.statuses))
      expect(st.columns).toEqual({ source: RUNAI_WORKLOADS_SOURCE, since: "2.16" });
    expect(runaiWorkloadStatuses.filter((s) => W.isTerminal(s))).toEqual(["Deleting", "Failed", "Completed"]);
  });

  it("follows the docs' successful flow and their entry and exit conditions", () => {
    expect(walk(["Pending", "Initializing", "Running", "Completed"])).toMatchObject({ status: "Completed" });
    expect(walk(["Pending", "Initializing", "Running", "Degraded", "Running", "Completed"])).toMatchObject({
      status: "Completed",
    });
    expect(walk(["Pending", "Initializing", "Running", "Degraded", "Completed"])).toMatchObject({
      status: "Completed",
    });
    expect(walk(["Pending", "Initializing", "Failed"])).toMatchObject({ status: "Failed" });
    expect(walk(["Pending", "Initializing", "Running", "Stopped", "Initializing", "Running"])).toMatchObject({
      status: "Running",
    });
    expect(walk(["Pending", "Initializing", "Running", "Stopped", "Deleting"])).toMatchObject({
      status: "Deleting",
    });
    expect(walk(["Pending", "Initializing", "Running", "Completed", "Deleting"])).toMatchObject({
      status: "Deleting",
    });
    expect(walk(["Pending", "Completed"])).toBeInstanceOf(TransitionError);
    expect(walk(["Pending", "Initializing", "Running", "Completed", "Running"])).toBeInstanceOf(
      TransitionError,
    );
  });

  it("maps every legacy job status to a workload status", () => {
    expect(Object.keys(runaiLegacyToWorkload).sort()).toEqual([...runaiStatusNames].sort());
    for (const { to } of Object.values(runaiLegacyToWorkload))
      for (const s of to) expect(runaiWorkloadStatuses).toContain(s);
  });

  it("derives from the same Pods and Jobs: Creating, Pending, Initializing, Running, Completed, Failed", () => {
    const derive = (pods: Parameters<typeof podFixture>[0][], j?: K8sJob) =>
      deriveRunaiWorkloadStatus({
        pods: pods.map(podFixture),
        attributes: training,
        ...(j ? { job: j } : {}),
      });
    expect(derive([], job({}))).toMatchObject({ status: "Creating", rule: "no-pod-group" });
    expect(derive([{}])).toMatchObject({ status: "Pending", legacy: { status: "Pending" } });
    expect(derive([{ main: [{ waiting: "ContainerCreating" }] }]).status).toBe("Initializing");
    expect(derive([{ phase: "Running", main: [{ running: true }] }])).toMatchObject({
      status: "Running",
      since: "2.16",
      endState: false,
    });
    expect(derive([{ phase: "Running", main: [{ waiting: "CrashLoopBackOff" }] }]).status).toBe("Degraded");
    const done = job({ conditions: [{ type: "Complete", status: "True" }] });
    expect(derive([], done)).toMatchObject({
      status: "Completed",
      endState: true,
      legacy: { status: "Succeeded" },
    });
    const failed = job({ conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] });
    expect(derive([], failed)).toMatchObject({ status: "Failed", legacy: { status: "Fail" } });
  });

  it("a suspended Job is Stopped once it has started, Pending (queued) before", () => {
    const started = job({ startTime: "2026-01-01T00:00:00Z" }, { suspend: true });
    expect(deriveRunaiWorkloadStatus({ pods: [], job: started, attributes: training })).toMatchObject({
      status: "Stopped",
      rule: "job-stopped",
      decidedBy: { object: "Job/train", field: "spec.suspend" },
    });
    const queued = job({}, { suspend: true });
    expect(deriveRunaiWorkloadStatus({ pods: [], job: queued, attributes: training }).status).toBe("Pending");
  });

  it("a preempted pod whose job stays goes back to Pending; a deleted workload is Deleting", () => {
    const evicting = {
      phase: "Running",
      deletion: "2026-01-01T01:00:00Z",
      main: [{ running: true }],
      conditions: [{ type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" }],
    } as const;
    expect(deriveRunaiWorkloadStatus({ pods: [podFixture(evicting)], attributes: training })).toMatchObject({
      status: "Pending",
      rule: "pod-requeued",
      legacy: { status: "Terminating" },
    });
    const deleted = {
      phase: "Running",
      deletion: "2026-01-01T01:00:00Z",
      main: [{ running: true }],
    } as const;
    expect(deriveRunaiWorkloadStatus({ pods: [podFixture(deleted)], attributes: training }).status).toBe(
      "Deleting",
    );
  });

  it("two pods of one job, one running and one not: Degraded", () => {
    const pods = [
      podFixture({ name: "w-0", phase: "Running", main: [{ running: true }] }),
      podFixture({ name: "w-1", created: "2025-12-31T00:00:00Z" }),
    ];
    expect(deriveRunaiWorkloadStatus({ pods, attributes: training })).toMatchObject({
      status: "Degraded",
      rule: "pods-not-aligned",
      decidedBy: { object: "Pod/w-1", field: "status.phase" },
    });
  });
});

lifecycleLaws(W, { afterTerminal: (s) => (s === "Deleting" ? [] : ["Deleting"]), final: ["Deleting"] });

const types = ["training", "interactive", "distributed"] as const;

/** Any Job and pods, odd combinations included: several pods, deletions, suspensions, conditions. */
const anyObservation = fc.record({
  type: fc.constantFrom(...types),
  pods: fc.array(
    fc.record({
      phase: fc.constantFrom("Pending", "Running", "Succeeded", "Failed", "Unknown"),
      main: fc.constantFrom(
        [{ running: true as const }],
        [{ waiting: "CrashLoopBackOff" }],
        [{ waiting: "ContainerCreating" }],
        [{ terminated: { exitCode: 0, reason: "Completed" } }],
        [{ terminated: { exitCode: 1, reason: "Error" } }],
      ),
      deleted: fc.boolean(),
      disrupted: fc.boolean(),
      created: fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z"),
    }),
    { maxLength: 3 },
  ),
  job: fc.option(
    fc.record({
      suspend: fc.boolean(),
      started: fc.boolean(),
      deleted: fc.boolean(),
      condition: fc.constantFrom(null, "Complete", "Failed", "Suspended"),
    }),
    { nil: undefined },
  ),
  schedulerRunning: fc.boolean(),
});

describe("the workload derivation, over real container lifecycles", () => {
  it("never leaves the mapping table, whatever the Job and pods (several pods, deletions, suspensions)", () => {
    fc.assert(
      fc.property(anyObservation, (a) => {
        const pods = a.pods.map((p, i) =>
          podFixture({
            name: `p-${i}`,
            phase: p.phase,
            main: p.main,
            created: p.created,
            ...(p.deleted ? { deletion: "2026-01-01T02:00:00Z" } : {}),
            ...(p.disrupted
              ? {
                  conditions: [
                    { type: "DisruptionTarget", status: "True" as const, reason: "PreemptionByScheduler" },
                  ],
                }
              : {}),
          }),
        );
        const j = a.job
          ? k8sJob.parse({
              apiVersion: "batch/v1",
              kind: "Job",
              metadata: {
                name: "j",
                ...(a.job.deleted ? { deletionTimestamp: "2026-01-01T02:00:00Z" } : {}),
              },
              spec: { template: {}, suspend: a.job.suspend },
              status: {
                ...(a.job.started ? { startTime: "2026-01-01T00:00:00Z" } : {}),
                ...(a.job.condition ? { conditions: [{ type: a.job.condition, status: "True" }] } : {}),
              },
            })
          : undefined;
        const o = {
          pods,
          ...(j ? { job: j } : {}),
          attributes: runaiJobAttributes.parse({ type: a.type, schedulerRunning: a.schedulerRunning }),
        };
        const legacy = deriveRunaiStatus(o);
        const d = deriveRunaiWorkloadStatus(o, legacy);
        expect(runaiLegacyToWorkload[legacy.status].to).toContain(d.status);
        expect(d.endState).toBe(W.isTerminal(d.status));
        expect(d.legacy).toBe(legacy);
      }),
    );
  });

  it("never leaves the mapping table: the workload status is one the legacy status maps to", () => {
    fc.assert(
      fc.property(kubeletWalks, (worlds) => {
        for (const w of worlds) {
          const legacy = deriveRunaiStatus(runaiPodObservation(w));
          const d = deriveRunaiWorkloadStatus(runaiPodObservation(w), legacy);
          expect(runaiLegacyToWorkload[legacy.status].to).toContain(d.status);
          expect(d.endState).toBe(W.isTerminal(d.status));
        }
      }),
    );
  });

  it("derives status sequences the Workload machine accepts step by step, and terminal ones absorb", () => {
    fc.assert(
      fc.property(kubeletWalks, (worlds) => {
        let record: StatusRecord<RunaiWorkloadStatus, never> = W.initial();
        const seen: string[] = [];
        for (const w of worlds) {
          const d = deriveRunaiWorkloadStatus(runaiPodObservation(w));
          seen.push(`${d.status}(${d.legacy.status})`);
          const next = W.moveTo(record, { status: d.status, reason: null });
          if (next instanceof Error) expect.fail(`Workload: ${seen.join(" -> ")}: ${next.message}`);
          record = next;
        }
      }),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import { type RunaiJobAttributes, runaiJobAttributes } from "./attributes.js";
import { deriveRunaiStatus, type RunaiDerivation } from "./derive.js";
import { runaiPodObservation } from "./kubelet-model.js";
import { kubeletWalks } from "./kubelet-walks.js";
import { k8sJob } from "./kubernetes.js";
import { runaiLifecycleOf } from "./lifecycles.js";
import { type ContainerSketch, podFixture } from "./pod-fixtures.js";
import { trainingRetryDecision } from "./retry.js";
import { runaiRules } from "./rules.js";
import { INIT_PROGRESS, type RunaiJobType, runaiResourcesAllocated } from "./statuses.js";

/** The seed's "Resource Allocation" column, typed in from the seed (Error: "Yes for interactive only"). */
const seedAllocates: Record<string, boolean | "interactive"> = {
  Running: true,
  Terminating: true,
  ContainerCreating: true,
  Pending: false,
  Succeeded: false,
  Deleted: false,
  TimedOut: false,
  Preempted: false,
  ContainerCannotRun: false,
  Error: "interactive",
  Fail: false,
  CrashLoopBackOff: true,
  ErrImagePull: true,
  ImagePullBackOff: true,
  Unknown: false,
  [INIT_PROGRESS]: true,
  PodInitializing: true,
  "Init:Error": false,
  "Init:CrashLoopBackOff": false,
};
const seedSays = (type: RunaiJobType, status: string) =>
  seedAllocates[status] === "interactive" ? type === "interactive" : seedAllocates[status] === true;

const types = ["training", "interactive", "distributed"] as const;
const attributes = fc
  .record({
    type: fc.constantFrom(...types),
    preemptible: fc.boolean(),
    backoffLimit: fc.nat(4),
    retries: fc.nat(6),
    schedulerRunning: fc.boolean(),
  })
  .map((a) => runaiJobAttributes.parse(a));

const reasons = (known: string[]) =>
  fc.oneof(fc.constantFrom(...known), fc.string({ minLength: 1, maxLength: 8 }));
const waitingReasons = reasons([
  "ContainerCreating",
  "PodInitializing",
  "CrashLoopBackOff",
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "CreateContainerConfigError",
  "RunContainerError",
]);
const terminatedReasons = reasons(["Completed", "Error", "OOMKilled", "ContainerCannotRun", "StartError"]);
const container: fc.Arbitrary<ContainerSketch> = fc.oneof(
  fc.record({ waiting: fc.option(waitingReasons, { nil: null }), restartCount: fc.nat(5) }),
  fc.record({ running: fc.constant(true as const), ready: fc.boolean() }),
  fc.record({
    terminated: fc.record(
      {
        exitCode: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 255 })),
        reason: terminatedReasons,
        signal: fc.nat(15),
      },
      { requiredKeys: ["exitCode"] },
    ),
  }),
);
const condition = fc.record({
  type: fc.constantFrom("PodScheduled", "Ready", "Initialized", "DisruptionTarget"),
  status: fc.constantFrom("True" as const, "False" as const),
  reason: reasons(["Unschedulable", "SchedulingGated", "PreemptionByScheduler"]),
});

/** Any pod a cluster could return, and some it should not (unknown reasons, odd combinations). */
const anyPod = fc
  .record(
    {
      phase: fc.constantFrom(
        "Pending" as const,
        "Running" as const,
        "Succeeded" as const,
        "Failed" as const,
        "Unknown" as const,
      ),
      reason: reasons(["Evicted", "DeadlineExceeded", "NodeLost", "Preempting", "UnexpectedAdmissionError"]),
      deletion: fc.constant("2026-01-01T03:00:00Z"),
      conditions: fc.array(condition, { maxLength: 3 }),
      init: fc.array(container, { maxLength: 2 }),
      main: fc.array(container, { minLength: 1, maxLength: 2 }),
      labels: fc.constant({ "training.kubeflow.org/job-role": "launcher" }),
    },
    { requiredKeys: ["phase", "main"] },
  )
  .map((s) => podFixture({ ...s, initTotal: s.init?.length ?? 0 }));

const anyJob = fc
  .record({
    conditions: fc.array(
      fc.record({
        type: fc.constantFrom("Complete", "Failed", "Suspended", "FailureTarget", "SuccessCriteriaMet"),
        status: fc.constantFrom("True", "False"),
        reason: reasons(["BackoffLimitExceeded", "DeadlineExceeded"]),
      }),
      { maxLength: 2 },
    ),
    deletion: fc.boolean(),
    suspend: fc.boolean(),
  })
  .map((j) =>
    k8sJob.parse({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "job", ...(j.deletion ? { deletionTimestamp: "2026-01-01T03:00:00Z" } : {}) },
      spec: { template: {}, suspend: j.suspend },
      status: { conditions: j.conditions },
    }),
  );

const observation = fc.record(
  { attributes, pods: fc.array(anyPod, { maxLength: 3 }), job: anyJob },
  { requiredKeys: ["attributes", "pods"] },
);

const machineOf = (type: RunaiJobType) => runaiLifecycleOf[type] as Lifecycle;

function isStateOf(d: RunaiDerivation, type: RunaiJobType) {
  const lc = machineOf(type);
  expect(lc.leafOf(d.status, d.reason), `${d.status}/${d.reason} in ${lc.kind}`).toBeDefined();
  expect(d.endState).toBe(lc.isTerminal(d.status));
  expect(d.resourcesAllocated).toBe(lc.spec.statuses[d.status]?.columns?.resourcesAllocated);
  expect(Object.keys(runaiRules)).toContain(d.decidedBy.rule);
  if (d.status === INIT_PROGRESS) expect(d.display).toMatch(/^Init:\d+\/\d+$/);
  else expect(d.display).toBe(d.status);
}

describe("deriveRunaiStatus properties", () => {
  it("a derived status is always a state of the matching machine, with its columns, for any pods and Job", () => {
    fc.assert(fc.property(observation, (o) => isStateOf(deriveRunaiStatus(o), o.attributes.type)));
  });

  it("the resources-allocated predicate equals the seed's table, for every kind and status", () => {
    for (const type of types) {
      for (const [status, st] of Object.entries(machineOf(type).spec.statuses)) {
        expect(st.columns?.resourcesAllocated, `${type}/${status}`).toBe(seedSays(type, status));
        expect(runaiResourcesAllocated(type, status as never)).toBe(seedSays(type, status));
      }
    }
    fc.assert(
      fc.property(observation, (o) => {
        const d = deriveRunaiStatus(o);
        expect(d.resourcesAllocated).toBe(seedSays(o.attributes.type, d.status));
      }),
    );
  });

  it("an interactive job is never Succeeded, and never Preempted unless it is preemptible", () => {
    fc.assert(
      fc.property(observation, (o) => {
        const d = deriveRunaiStatus({ ...o, attributes: { ...o.attributes, type: "interactive" } });
        expect(d.status).not.toBe("Succeeded");
        if (!o.attributes.preemptible) expect(d.status).not.toBe("Preempted");
      }),
    );
  });

  it("a training job fails only after backoffLimit retries: trainingRetryDecision and a failed lone pod agree", () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), fc.constantFrom(1, 2, 137), (retries, backoffLimit, exitCode) => {
        expect(trainingRetryDecision(retries, backoffLimit)).toBe(retries >= backoffLimit ? "fail" : "retry");
        const pod = podFixture({ phase: "Failed", main: [{ terminated: { exitCode, reason: "Error" } }] });
        const a = runaiJobAttributes.parse({ type: "training", retries, backoffLimit });
        expect(deriveRunaiStatus({ pods: [pod], attributes: a }).status).toBe(
          retries >= backoffLimit ? "Fail" : "Error",
        );
      }),
    );
  });
});

describe("Pod observations from real container lifecycles", () => {
  it("derive status sequences that the machine accepts step by step (equal consecutive statuses allowed)", () => {
    fc.assert(
      fc.property(kubeletWalks, (worlds) => {
        const type = worlds[0]!.attributes.type;
        const lc = machineOf(type);
        let record: StatusRecord = lc.initial();
        const seen: string[] = [];
        for (const w of worlds) {
          const d = deriveRunaiStatus(runaiPodObservation(w));
          isStateOf(d, type);
          seen.push(d.reason ? `${d.status}/${d.reason}` : d.status);
          const next = lc.moveTo(record, { status: d.status, reason: d.reason });
          if (next instanceof Error) expect.fail(`${lc.kind}: ${seen.join(" -> ")}: ${next.message}`);
          record = next;
        }
      }),
    );
  });

  it("a training job fails only after backoffLimit retries, and Error is shown only while a retry remains", () => {
    fc.assert(
      fc.property(kubeletWalks, (worlds) => {
        for (const w of worlds) {
          const a: RunaiJobAttributes = w.attributes;
          const d = deriveRunaiStatus(runaiPodObservation(w));
          if (d.decidedBy.rule === "backoff-limit-reached")
            expect(a.retries).toBeGreaterThanOrEqual(a.backoffLimit);
          if (d.decidedBy.rule === "retry-pending") expect(a.retries).toBeLessThan(a.backoffLimit);
          if (d.status === "Fail") expect(a.retries).toBe(a.backoffLimit);
        }
      }),
    );
  });

  it("an interactive job's lifecycle never shows Succeeded", () => {
    fc.assert(
      fc.property(kubeletWalks, (worlds) => {
        for (const w of worlds)
          if (w.attributes.type === "interactive")
            expect(deriveRunaiStatus(runaiPodObservation(w)).status).not.toBe("Succeeded");
      }),
    );
  });
});

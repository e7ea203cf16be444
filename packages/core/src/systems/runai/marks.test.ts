import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import type { K8sPod } from "./kubernetes.js";
import { runaiMarkOf, runaiPriorityClasses, runaiWorkloadKinds } from "./marks.js";
import { runaiObservations } from "./objects.js";
import { podFixture } from "./pod-fixtures.js";

const owner = fc.constantFrom(
  { apiVersion: "run.ai/v2alpha1", kind: "TrainingWorkload" },
  { apiVersion: "run.ai/v2alpha1", kind: "InteractiveWorkload" },
  { apiVersion: "run.ai/v2alpha1", kind: "DistributedWorkload" },
  { apiVersion: "run.ai/v1", kind: "RunaiJob" },
  { apiVersion: "apps/v1", kind: "StatefulSet" },
  { apiVersion: "example.com/v1", kind: "TrainingWorkload" },
);
const priority = fc.option(
  fc.constantFrom("train", "build", "interactive-preemptible", "inference", "high"),
  {
    nil: undefined,
  },
);

/** A pod with any owner references and priority class, as Run:ai (or someone else) wrote it. */
const markedPod = fc
  .record({
    owners: fc.array(owner, { maxLength: 2 }),
    spec: priority,
    label: priority,
  })
  .map(({ owners, spec, label }): K8sPod => {
    const pod = podFixture({
      phase: "Running",
      main: [{ running: true }],
      ...(label ? { labels: { priorityClassName: label } } : {}),
    });
    return {
      ...pod,
      metadata: { ...pod.metadata, ownerReferences: owners.map((o) => ({ ...o, name: "w", uid: "u" })) },
      spec: { ...pod.spec, ...(spec ? { priorityClassName: spec } : {}) },
    };
  });

describe("Run:ai's own marks decide a job's type", () => {
  it("--type overrides every mark, and the type's source says so", () => {
    fc.assert(
      fc.property(
        markedPod,
        fc.constantFrom("training" as const, "interactive" as const, "distributed" as const),
        (pod, type) => {
          const groups = runaiObservations([pod], "pod.yaml", { type });
          if (groups instanceof DecodeError) expect.fail(groups.message);
          expect(groups[0]!.observation.attributes.type).toBe(type);
          expect(groups[0]!.typeFrom).toEqual({ object: "flags", field: "--type", value: type });
        },
      ),
    );
  });

  it("a Run:ai workload owner kind outranks any priority class; a priority class decides only without one", () => {
    fc.assert(
      fc.property(markedPod, (pod) => {
        const refs = pod.metadata.ownerReferences ?? [];
        const workload = refs.find((r) => r.apiVersion.startsWith("run.ai/") && r.kind in runaiWorkloadKinds);
        const groups = runaiObservations([pod], "pod.yaml");
        const mark = runaiMarkOf([
          { ref: "Pod/x", metadata: pod.metadata, priorityClassName: pod.spec.priorityClassName },
        ]);
        if (workload) {
          expect(mark?.type).toBe(runaiWorkloadKinds[workload.kind]);
          expect(mark?.value).toBe(workload.kind);
        }
        const classes = [pod.spec.priorityClassName, pod.metadata.labels?.priorityClassName].filter(
          (c): c is string => c != null && c in runaiPriorityClasses,
        );
        const runaiJob = refs.some((r) => r.kind === "RunaiJob" && r.apiVersion.startsWith("run.ai/"));
        if (!workload && !runaiJob && classes.length > 0)
          expect(mark?.type).toBe(runaiPriorityClasses[classes[0]!]!.type);
        if (!workload && !runaiJob && classes.length === 0) {
          expect(mark).toBeUndefined();
          expect(groups).toBeInstanceOf(DecodeError);
        } else if (!(groups instanceof DecodeError))
          expect(groups[0]!.observation.attributes.type).toBe(mark?.type ?? "training");
      }),
    );
  });

  it("a RunaiJob owner is training unless its priority class says interactive; an owner outside run.ai is no mark", () => {
    const meta = (kind: string, apiVersion: string, labels?: Record<string, string>) => ({
      ref: "Pod/p",
      metadata: { ownerReferences: [{ apiVersion, kind, name: "j" }], ...(labels ? { labels } : {}) },
    });
    expect(runaiMarkOf([meta("RunaiJob", "run.ai/v1")])?.type).toBe("training");
    expect(runaiMarkOf([meta("RunaiJob", "run.ai/v1", { priorityClassName: "build" })])).toMatchObject({
      type: "interactive",
      preemptible: false,
      field: 'metadata.labels["priorityClassName"]',
    });
    expect(runaiMarkOf([meta("InteractiveWorkload", "other.io/v1")])).toBeUndefined();
  });
});

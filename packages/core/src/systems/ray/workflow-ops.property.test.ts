import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StatusRecord } from "../../lifecycle/record.js";
import {
  getRayMetadata,
  getRayStatus,
  listRayWorkflows,
  type RayWorkflows,
  rayWorkflows,
} from "./metadata.js";
import { completeRayStep, failRayStep, startRayStep, submitRayStep } from "./step-ops.js";
import {
  type RayWorkflowEvent,
  type RayWorkflowStatus,
  rayStoredWorkflowStatus,
  rayWorkflowLifecycle,
} from "./workflow.js";
import {
  cancelRayWorkflow,
  deleteRayWorkflow,
  failRaySystem,
  finishRayWorkflow,
  resumeRayWorkflow,
  runRayWorkflow,
} from "./workflow-ops.js";

/**
 * Random sequences of every operation (run, resume, cancel, delete, finish, steps, system failure)
 * on a few workflow ids, checked after each operation against the Workflow machine stepped by the
 * events a user observes. Refused operations stay in the sequence, and no operation mutates its input.
 */

const id = fc.constantFrom("w0", "w1", "w2", "w3");
const on = <K extends string>(kind: K) => fc.record({ kind: fc.constant(kind), id });
const op = fc.oneof(
  { arbitrary: on("run"), weight: 4 },
  { arbitrary: on("resume"), weight: 3 },
  { arbitrary: on("cancel"), weight: 1 },
  { arbitrary: on("delete"), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("finish"), id, failed: fc.boolean() }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant("step"),
      id,
      name: fc.constantFrom("a", "b"),
      fails: fc.boolean(),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("systemFailure") }), weight: 1 },
);
const ops = fc.array(op, { maxLength: 60, size: "max" });
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
const limits = fc.record({
  maxRunning: fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 3 })),
  maxPending: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 2 })),
});

/** The observed lifecycle of each id: the machine stepped by the events the operations' results report. */
type Model = Map<string, StatusRecord>;
const observe = (model: Model, id: string, type: RayWorkflowEvent) => {
  const next = rayWorkflowLifecycle.step((model.get(id) ?? rayWorkflowLifecycle.initial()) as never, {
    type,
  });
  if (next instanceof Error) throw next; // the operations emitted an event the machine forbids
  model.set(id, next);
};

/** Applies one operation; returns the next state (unchanged when refused) and records observed events. */
function apply(s: RayWorkflows, o: Op, at: number, model: Model): RayWorkflows {
  const promoted = (r: { promoted: string | null }) =>
    r.promoted !== null && observe(model, r.promoted, "promote");
  switch (o.kind) {
    case "run": {
      const r = runRayWorkflow(s, { workflowId: o.id, at });
      if (r instanceof Error) return s;
      observe(model, o.id, r.status === "RUNNING" ? "submit" : "enqueue");
      return r.state;
    }
    case "resume": {
      const r = resumeRayWorkflow(s, { workflowId: o.id, at });
      if (r instanceof Error) return s;
      if (r.status !== "SUCCESSFUL") observe(model, o.id, r.status === "RUNNING" ? "resume" : "resumeQueued");
      return r.state;
    }
    case "cancel": {
      const r = cancelRayWorkflow(s, { workflowId: o.id, at });
      if (r instanceof Error) return s;
      if (r.canceled) observe(model, o.id, "cancel");
      promoted(r);
      return r.state;
    }
    case "delete": {
      const r = deleteRayWorkflow(s, { workflowId: o.id });
      if (r instanceof Error) return s;
      model.delete(o.id);
      return r.state;
    }
    case "finish": {
      let settled = s;
      for (const step of s.storage.get(o.id)?.steps.values() ?? []) {
        const input = { workflowId: o.id, stepId: step.id, at };
        if (step.record.status === "PENDING") settled = unwrap(startRayStep(settled, input), settled);
        settled = unwrap((o.failed ? failRayStep : completeRayStep)(settled, input), settled);
      }
      const r = finishRayWorkflow(settled, {
        workflowId: o.id,
        at,
        outcome: o.failed ? "FAILED" : "SUCCESSFUL",
      });
      if (r instanceof Error) return settled;
      observe(model, o.id, o.failed ? "fail" : "succeed");
      promoted(r);
      return r.state;
    }
    case "step": {
      const submitted = submitRayStep(s, { workflowId: o.id, func: "f", name: o.name });
      if (submitted instanceof Error) return s;
      const input = { workflowId: o.id, stepId: submitted.stepId, at };
      const started = unwrap(startRayStep(submitted.state, input), submitted.state);
      return o.fails ? unwrap(failRayStep(started, input), started) : started;
    }
    case "systemFailure": {
      const r = failRaySystem(s);
      for (const id of r.lost) observe(model, id, "systemFailure");
      return r.state;
    }
  }
}
const unwrap = (r: { state: RayWorkflows } | Error, otherwise: RayWorkflows) =>
  r instanceof Error ? otherwise : r.state;

const FINISHED: RayWorkflowStatus[] = ["SUCCESSFUL", "FAILED", "CANCELED"];

function checkInvariants(s: RayWorkflows, model: Model, l: { maxRunning: number; maxPending: number }) {
  expect([...s.storage.keys()].sort()).toEqual([...model.keys()].sort());
  for (const [id, wf] of s.storage) {
    expect(rayStoredWorkflowStatus.safeParse(wf.record.status).success).toBe(true); // never RESUMABLE or NONE
    const status = getRayStatus(s, id) as RayWorkflowStatus;
    const meta = getRayMetadata(s, id);
    if (meta instanceof Error) throw meta;
    expect(status).toBe(model.get(id)?.status);
    expect(meta.status).toBe(status);
    if (meta.stats.end_time !== undefined) {
      expect(FINISHED).toContain(status);
      expect(meta.stats.end_time).toBeGreaterThanOrEqual(meta.stats.start_time!);
    }
    if (status === "RUNNING") expect(meta.stats.start_time).toBeDefined();
    for (const step of wf.steps.values()) {
      expect(step.stats.end_time !== undefined).toBe(step.record.status === "SUCCESSFUL");
      if (step.stats.end_time !== undefined)
        expect(step.stats.end_time).toBeGreaterThanOrEqual(step.stats.start_time!);
    }
  }
  // list_all holds every stored workflow once, with get_status's status, RESUMABLE ones last.
  const listed = listRayWorkflows(s);
  expect([...listed].sort()).toEqual([...s.storage.keys()].map((id) => [id, getRayStatus(s, id)]).sort());
  const firstResumable = listed.findIndex(([, st]) => st === "RESUMABLE");
  if (firstResumable >= 0)
    expect(listed.slice(firstResumable).every(([, st]) => st === "RESUMABLE")).toBe(true);
  if (l.maxRunning !== -1) expect(s.queue.running.length).toBeLessThanOrEqual(l.maxRunning);
  if (l.maxPending !== -1) expect(s.queue.pending.length).toBeLessThanOrEqual(l.maxPending);
}

describe("Ray workflows under random operation sequences", () => {
  it("RESUMABLE is never stored; get_status, get_metadata and list_all equal the machine replayed on the observed events; end_time >= start_time and only once finished; the queue limits hold", () => {
    fc.assert(
      fc.property(limits, ops, (l, sequence) => {
        let s = rayWorkflows(l) as RayWorkflows;
        const model: Model = new Map();
        sequence.forEach((o, i) => {
          const before = s;
          const snapshot = structuredClone(before);
          s = apply(s, o, 100 + i, model);
          expect(before).toEqual(snapshot); // operations never mutate the state they are given
          checkInvariants(s, model, l);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("a resume that runs moves start_time strictly later and clears end_time until the run ends", () => {
    fc.assert(
      fc.property(limits, ops, (l, sequence) => {
        let s = rayWorkflows(l) as RayWorkflows;
        const model: Model = new Map();
        sequence.forEach((o, i) => {
          const before = o.kind === "resume" ? getRayMetadata(s, o.id) : null;
          s = apply(s, o, 100 + i, model);
          const after = o.kind === "resume" ? getRayMetadata(s, o.id) : null;
          const resumed =
            before && !(before instanceof Error) && ["FAILED", "RESUMABLE"].includes(before.status);
          if (resumed && after && !(after instanceof Error) && after.status === "RUNNING") {
            if (before.stats.start_time !== undefined)
              expect(after.stats.start_time!).toBeGreaterThan(before.stats.start_time);
            expect(after.stats.end_time).toBeUndefined();
          }
        });
      }),
    );
  });
});

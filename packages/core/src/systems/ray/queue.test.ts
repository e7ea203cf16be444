import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import {
  RayWorkflowAlreadyActiveError,
  RayWorkflowAlreadyExecutedError,
  RayWorkflowNotFoundError,
  RayWorkflowNotResumableError,
  RayWorkflowQueueFullError,
  RayWorkflowStillActiveError,
} from "./errors.js";
import {
  cancelInRayQueue,
  checkRayDelete,
  loseRayExecutors,
  type RayQueue,
  rayExecutorOf,
  rayQueue,
  releaseFromRayQueue,
  submitToRayQueue,
} from "./queue.js";

const queue = (limits: unknown) => {
  const q = rayQueue(limits);
  if (q instanceof DecodeError) throw q;
  return q;
};
const submit = (q: RayQueue, id: string) => {
  const r = submitToRayQueue(q, id, undefined, { resume: false });
  if (r instanceof Error) throw r;
  return r;
};

describe("Ray's workflow queue (workflow.init(max_running_workflows=, max_pending_workflows=))", () => {
  it("Ray's test_workflow_queuing_1: two run, two wait, the fifth is refused, and a finished run frees a slot", () => {
    let q = queue({ maxRunning: 2, maxPending: 2 });
    const placed = ["workflow_0", "workflow_1", "workflow_2", "workflow_3"].map((id) => {
      const r = submit(q, id);
      q = r.queue;
      return r.placed;
    });
    expect(placed).toEqual(["RUNNING", "RUNNING", "PENDING", "PENDING"]);
    const full = submitToRayQueue(q, "workflow_4", undefined, { resume: false });
    expect(full).toBeInstanceOf(RayWorkflowQueueFullError);
    expect((full as Error).message).toMatch(/^Workflow queue has been full/);
    const released = releaseFromRayQueue(q, "workflow_0");
    expect(released.promoted).toBe("workflow_2");
    expect(released.queue).toMatchObject({ running: ["workflow_1", "workflow_2"], pending: ["workflow_3"] });
    expect(submit(released.queue, "workflow_4").placed).toBe("PENDING");
  });

  it("-1 means no limit, and no limit is the default", () => {
    let q = queue({});
    for (let i = 0; i < 50; i++) q = submit(q, `w${i}`).queue;
    expect(q.running).toHaveLength(50);
    expect(q.limits).toEqual({ maxRunning: -1, maxPending: -1 });
  });

  it("max_pending_workflows=0 leaves no pending slot", () => {
    const q = submit(queue({ maxRunning: 1, maxPending: 0 }), "a").queue;
    expect(submitToRayQueue(q, "b", undefined, { resume: false })).toBeInstanceOf(RayWorkflowQueueFullError);
  });

  it("bad limits name the field, the value and what Ray accepts", () => {
    expect((rayQueue({ maxRunning: 0 }) as DecodeError).message).toMatch(
      /maxRunning: got 0, expected a positive integer, or -1 for no limit/,
    );
    expect((rayQueue({ maxPending: -2 }) as DecodeError).issues[0]).toMatchObject({
      path: "maxPending",
      value: -2,
    });
    expect((rayQueue({ maxRunning: 1.5 }) as DecodeError).issues[0]).toMatchObject({ path: "maxRunning" });
    expect((rayQueue({ maxRuning: 1 }) as DecodeError).issues[0]).toMatchObject({ path: "maxRuning" });
  });

  it("an active id is refused; a stored id is refused unless resumed; CANCELED is not resumable", () => {
    const q = submit(queue({ maxRunning: 1 }), "a").queue;
    expect(submitToRayQueue(q, "a", "RUNNING", { resume: true })).toBeInstanceOf(
      RayWorkflowAlreadyActiveError,
    );
    expect(submitToRayQueue(q, "b", "FAILED", { resume: false })).toBeInstanceOf(
      RayWorkflowAlreadyExecutedError,
    );
    expect(submitToRayQueue(q, "b", "FAILED", { resume: true })).toMatchObject({ placed: "PENDING" });
    expect(submitToRayQueue(q, "b", "CANCELED", { resume: true })).toBeInstanceOf(
      RayWorkflowNotResumableError,
    );
    expect(submitToRayQueue(q, "b", "SUCCESSFUL", { resume: true })).toEqual({ queue: q, placed: null });
    expect(submitToRayQueue(q, "b", undefined, { resume: true })).toBeInstanceOf(RayWorkflowNotFoundError);
  });

  it("delete is refused while running or pending; cancel frees an active slot and leaves inactive ones to storage", () => {
    const q = submit(submit(queue({ maxRunning: 1 }), "a").queue, "b").queue;
    expect(checkRayDelete(q, "a", "RUNNING")).toBeInstanceOf(RayWorkflowStillActiveError);
    expect(checkRayDelete(q, "b", "PENDING")).toBeInstanceOf(RayWorkflowStillActiveError);
    expect((checkRayDelete(q, "b", "PENDING") as Error).message).toBe(
      "DELETE couldn't be completed because Workflow[id=b] is still running or pending.",
    );
    expect(checkRayDelete(q, "c", "FAILED")).toBeNull();
    expect(checkRayDelete(q, "c", undefined)).toBeInstanceOf(RayWorkflowNotFoundError);
    expect(cancelInRayQueue(q, "a", "RUNNING")).toMatchObject({ active: true, queued: false, promoted: "b" });
    // Ray 2.47 cancels nothing of a queued workflow: its executor has no running task.
    expect(cancelInRayQueue(q, "b", "PENDING")).toEqual({ active: true, queued: true });
    expect(cancelInRayQueue(q, "c", "FAILED")).toEqual({ active: false });
    expect(cancelInRayQueue(q, "c", undefined)).toBeInstanceOf(RayWorkflowNotFoundError);
  });

  it("a system failure loses every executor", () => {
    const q = loseRayExecutors(submit(submit(queue({ maxRunning: 1 }), "a").queue, "b").queue);
    expect([rayExecutorOf(q, "a"), rayExecutorOf(q, "b")]).toEqual([null, null]);
  });
});

/** One operation on the queue: submit a new id, resume a stored one, end or cancel an active one. */
const operation = fc.oneof(
  fc.record({ op: fc.constant("submit" as const) }),
  fc.record({ op: fc.constant("resume" as const), pick: fc.nat() }),
  fc.record({ op: fc.constantFrom("release" as const, "cancel" as const), pick: fc.nat() }),
);
const limits = fc.record({
  maxRunning: fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 4 })),
  maxPending: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 4 })),
});

describe("queue properties", () => {
  it("under random submit/finish/cancel/resume sequences, |running| <= max_running and |pending| <= max_pending, and no id is in both", () => {
    fc.assert(
      fc.property(limits, fc.array(operation, { maxLength: 60 }), (l, ops) => {
        let q = queue(l);
        const inactive: string[] = [];
        let next = 0;
        for (const o of ops) {
          const active = [...q.running, ...q.pending];
          if (o.op === "submit" || (o.op === "resume" && inactive.length > 0)) {
            const id = o.op === "submit" ? `w${next++}` : inactive[o.pick % inactive.length]!;
            const r = submitToRayQueue(q, id, o.op === "submit" ? undefined : "FAILED", {
              resume: o.op === "resume",
            });
            if (r instanceof Error) expect(r).toBeInstanceOf(RayWorkflowQueueFullError);
            else {
              q = r.queue;
              if (o.op === "resume") inactive.splice(inactive.indexOf(id), 1);
            }
          } else if ((o.op === "release" || o.op === "cancel") && active.length > 0) {
            const id = active[o.pick % active.length]!;
            const r = o.op === "release" ? releaseFromRayQueue(q, id) : cancelInRayQueue(q, id, "RUNNING");
            if (r instanceof Error || !("queue" in r)) {
              // A queued workflow is not canceled (Ray 2.47): the queue is unchanged.
              expect(r).toEqual({ active: true, queued: true });
              expect(rayExecutorOf(q, id)).toBe("PENDING");
            } else {
              q = r.queue;
              inactive.push(id);
            }
          }
          if (l.maxRunning !== -1) expect(q.running.length).toBeLessThanOrEqual(l.maxRunning);
          if (l.maxPending !== -1) expect(q.pending.length).toBeLessThanOrEqual(l.maxPending);
          expect(q.running.filter((id) => q.pending.includes(id))).toEqual([]);
          expect(new Set([...q.running, ...q.pending]).size).toBe(q.running.length + q.pending.length);
        }
      }),
    );
  });

  it("FIFO promotion: a freed running slot goes to the workflow that has waited longest, and pending ones wait only while every slot is taken", () => {
    fc.assert(
      fc.property(limits, fc.array(operation, { maxLength: 60 }), (l, ops) => {
        let q = queue(l);
        let next = 0;
        for (const o of ops) {
          if (o.op === "submit" || o.op === "resume") {
            const r = submitToRayQueue(q, `w${next++}`, undefined, { resume: false });
            if (!(r instanceof Error)) q = r.queue;
            continue;
          }
          const active = [...q.running, ...q.pending];
          if (active.length === 0) continue;
          const id = active[o.pick % active.length]!;
          const head = q.pending[0] ?? null;
          const r = releaseFromRayQueue(q, id);
          expect(r.promoted).toBe(q.running.includes(id) ? head : null);
          expect(r.queue.pending).toEqual(q.pending.filter((p) => p !== id && p !== r.promoted));
          q = r.queue;
          if (q.pending.length > 0 && l.maxRunning !== -1) expect(q.running).toHaveLength(l.maxRunning);
        }
      }),
    );
  });
});

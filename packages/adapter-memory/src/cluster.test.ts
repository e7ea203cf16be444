import type { ClusterObject, Condition } from "@phasekit/core";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeMemoryBackend } from "./backend.js";

const condition = (type: string): Condition => ({
  type,
  status: "True",
  reason: type,
  message: "",
  lastTransitionTime: "2026-01-01T00:00:00Z",
});

/** A random cluster write: create, delete or a status write, on a few names. */
const arbitraryOp = fc.oneof(
  fc.record({ op: fc.constant("create" as const), name: fc.constantFrom("a", "b", "c", "d") }),
  fc.record({ op: fc.constant("delete" as const), name: fc.constantFrom("a", "b", "c", "d") }),
  fc.record({
    op: fc.constant("status" as const),
    name: fc.constantFrom("a", "b", "c", "d"),
    type: fc.string(),
  }),
  fc.record({ op: fc.constant("read" as const) }),
);

const show = (objects: readonly ClusterObject[]) => JSON.stringify(objects);

describe("memory cluster informer lag", () => {
  it("every lagging read is a state the cluster really was in, never older than the last read, and reads catch up", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 6 }),
        fc.array(arbitraryOp, { maxLength: 60 }),
        (seed, lag, ops) => {
          const backend = makeMemoryBackend({ seed, faults: { staleReads: lag } });
          const { port } = backend.cluster;
          const states = [show([])]; // states[r]: the Evaluations after write r
          let oldest = 0;
          const read = () => {
            const seen = show(Effect.runSync(port.list("Evaluation")));
            const from = Math.max(oldest, states.length - 1 - lag);
            const at = states.findIndex((s, r) => r >= from && s === seen);
            expect(
              at,
              `read ${seen} is no state the cluster was in since write ${from}`,
            ).toBeGreaterThanOrEqual(0);
            oldest = at;
          };
          for (const o of ops) {
            const before = backend.cluster.revision();
            if (o.op === "read") read();
            else if (o.op === "create") {
              Effect.runSync(
                Effect.result(
                  port.create({ kind: "Evaluation", name: o.name, labels: {}, owner: null, spec: {} }),
                ),
              );
            } else if (o.op === "delete") Effect.runSync(Effect.result(port.delete("Evaluation", o.name)));
            else {
              const current = backend.cluster.get("Evaluation", o.name);
              if (current)
                Effect.runSync(
                  port.writeConditions("Evaluation", o.name, current.resourceVersion, [condition(o.type)]),
                );
            }
            if (backend.cluster.revision() !== before) states.push(show(backend.cluster.objects()));
          }
          for (let i = 0; i <= lag; i++) read();
          expect(Effect.runSync(port.list("Evaluation"))).toEqual(backend.cluster.objects());
        },
      ),
    );
  });

  it("a consumer applying the change feed after every write converges to the cluster, under any lag, with steps and cascades", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 6 }),
        fc.array(arbitraryOp, { maxLength: 60 }),
        (seed, lag, ops) => {
          const backend = makeMemoryBackend({ seed, faults: { staleReads: lag } });
          const { port } = backend.cluster;
          const kinds = ["Evaluation", "Job"];
          const mirror = new Map<string, string>();
          let cursor: string | null = null;
          const pull = () => {
            const answer = Effect.runSync(port.changes(kinds, cursor));
            if (answer.full) mirror.clear();
            for (const o of answer.objects) mirror.set(`${o.kind}/${o.name}`, o.resourceVersion);
            for (const d of answer.deleted) mirror.delete(`${d.kind}/${d.name}`);
            cursor = answer.cursor;
            return answer;
          };
          for (const o of ops) {
            if (o.op === "create") {
              const object = { kind: "Evaluation", name: o.name, labels: {}, owner: null, spec: {} };
              Effect.runSync(Effect.result(port.create(object)));
              const step = { kind: "Job", name: `${o.name}-client`, labels: {}, owner: o.name, spec: {} };
              Effect.runSync(Effect.result(port.create(step)));
            } else if (o.op === "delete") Effect.runSync(Effect.result(port.delete("Evaluation", o.name)));
            else if (o.op === "status") {
              const current = backend.cluster.get("Evaluation", o.name);
              if (current)
                Effect.runSync(
                  port.writeConditions("Evaluation", o.name, current.resourceVersion, [condition(o.type)]),
                );
            }
            const first = cursor === null;
            expect(pull().full, "only the first answer is a full listing").toBe(first);
          }
          for (let i = 0; i <= lag; i++) pull();
          const now = new Map(
            backend.cluster.objects().map((o) => [`${o.kind}/${o.name}`, o.resourceVersion]),
          );
          expect(new Map([...mirror].sort())).toEqual(new Map([...now].sort()));
          expect(pull()).toMatchObject({ full: false, objects: [], deleted: [] });
        },
      ),
    );
  });

  it("the lag fault does fire: right after a create, a lagging get may not see the object yet", () => {
    const backend = makeMemoryBackend({ seed: 3, faults: { staleReads: 5 } });
    let missed = 0;
    for (let i = 0; i < 50; i++) {
      const name = `e${i}`;
      Effect.runSync(
        backend.cluster.port.create({ kind: "Evaluation", name, labels: {}, owner: null, spec: {} }),
      );
      if (Effect.runSync(backend.cluster.port.get("Evaluation", name)) === undefined) missed++;
    }
    expect(missed).toBeGreaterThan(5);
  });
});

describe("memory cluster storage", () => {
  it("a status write that changes nothing keeps the resourceVersion, as the API server does", () => {
    const { port } = makeMemoryBackend().cluster;
    const created = Effect.runSync(
      port.create({ kind: "Job", name: "j", labels: {}, owner: null, spec: {} }),
    );
    const written = Effect.runSync(
      port.writeConditions("Job", "j", created.resourceVersion, [condition("Complete")]),
    );
    const again = Effect.runSync(
      port.writeConditions("Job", "j", written.resourceVersion, [condition("Complete")]),
    );
    expect(again.resourceVersion).toBe(written.resourceVersion);
  });

  it("stored objects are copies, frozen: changing the caller's spec or conditions afterwards changes nothing", () => {
    const backend = makeMemoryBackend();
    const spec = { args: ["a"] };
    const conditions = [condition("Admitted")];
    const created = Effect.runSync(
      backend.cluster.port.create({ kind: "Job", name: "j", labels: {}, owner: null, spec }),
    );
    Effect.runSync(backend.cluster.port.writeConditions("Job", "j", created.resourceVersion, conditions));
    spec.args.push("b");
    (conditions as Condition[]).push(condition("Complete"));
    expect(backend.cluster.get("Job", "j")).toMatchObject({
      spec: { args: ["a"] },
      conditions: [condition("Admitted")],
    });
    expect(Object.isFrozen(backend.cluster.get("Job", "j"))).toBe(true);
  });
});

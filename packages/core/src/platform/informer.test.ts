import * as Effect from "effect/Effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerMemory, MemoryBackend } from "../../../adapter-memory/src/index.js";
import type { ClusterObject, Condition } from "../ports/Cluster.js";
import {
  type InformerEntry,
  makeInformer,
  observeChanges,
  observeWorkflows,
  statusesFromConditions,
} from "./informer.js";
import { decodeEvent } from "./messages.js";
import { workflowCondition } from "./plans.js";

const condition = (type: string, status: Condition["status"], reason: string, at = "t1"): Condition => ({
  type,
  status,
  reason,
  message: "",
  lastTransitionTime: at,
});
const object = (name: string, conditions: Condition[], owner: string | null = null): ClusterObject => ({
  kind: "Evaluation",
  name,
  labels: {},
  owner,
  spec: {},
  conditions,
  resourceVersion: "1",
});
const leaves = (list: { status: string; reason: string | null }[]) =>
  list.map((s) => (s.reason ? `${s.status}/${s.reason}` : s.status));

describe("conditions -> Dyff statuses (status-catalog §1.7)", () => {
  it("the first True terminal condition wins, its type the status and its reason the reason; Admitted comes first", () => {
    const conditions = [
      condition("Admitted", "True", "Unverified"),
      condition("Complete", "False", "Complete"),
      condition("Failed", "True", "VerificationFailed"),
      condition("Error", "True", "Other"),
    ];
    expect(leaves(statusesFromConditions(conditions))).toEqual([
      "Admitted/Unverified",
      "Failed/VerificationFailed",
    ]);
  });

  it("a reason equal to the type (or empty) is no reason; no conditions, or none True, say nothing", () => {
    expect(leaves(statusesFromConditions([condition("Complete", "True", "Complete")]))).toEqual(["Complete"]);
    expect(leaves(statusesFromConditions([condition("Admitted", "True", "")]))).toEqual(["Admitted"]);
    expect(statusesFromConditions([])).toEqual([]);
    expect(statusesFromConditions([condition("Ready", "Unknown", "x")])).toEqual([]);
  });
});

describe("the informer emits only on change", () => {
  const memory = (entries: Record<string, InformerEntry>) => new Map(Object.entries(entries));
  const seen = (status: string, reason: string | null = null): InformerEntry => ({
    kind: "Evaluation",
    last: { status, reason },
    gone: false,
  });

  it("emits the statuses after the last one it emitted, and nothing when they are the same", () => {
    const e1 = object("e1", [
      workflowCondition("Admitted", "Unverified", "t1"),
      workflowCondition("Complete", null, "t2"),
    ]);
    expect(leaves(observeWorkflows(new Map(), [e1], "now").emits)).toEqual([
      "Admitted/Unverified",
      "Complete",
    ]);
    expect(
      leaves(observeWorkflows(memory({ e1: seen("Admitted", "Unverified") }), [e1], "now").emits),
    ).toEqual(["Complete"]);
    const again = observeWorkflows(memory({ e1: seen("Complete") }), [e1], "now");
    expect(again.emits).toEqual([]);
    expect(again.changed.size).toBe(0);
    expect(observeWorkflows(new Map(), [e1], "now").emits.map((e) => e.at)).toEqual(["t1", "t2"]);
  });

  it("for any conditions and any status last emitted, emits exactly the statuses of statusesFromConditions after it, in order", () => {
    const types = ["Admitted", "Complete", "Failed", "Error", "Ready", "Running", "Terminated"];
    const drawn = fc.record({
      type: fc.constantFrom(...types),
      status: fc.constantFrom("True", "False", "Unknown") as fc.Arbitrary<Condition["status"]>,
      reason: fc.constantFrom("", "Unverified", "Complete", "Other", "Failed"),
      message: fc.constantFrom("", "oops"),
      lastTransitionTime: fc.constantFrom("", "t1", "t2"),
    });
    const last = fc.option(
      fc.record({ status: fc.constantFrom(...types), reason: fc.constantFrom(null, "Unverified", "Other") }),
    );
    fc.assert(
      fc.property(fc.array(drawn, { maxLength: 6 }), last, fc.boolean(), (conditions, before, gone) => {
        const mem = new Map<string, InformerEntry>(
          before === null ? [] : [["e1", { kind: "Evaluation", last: before, gone }]],
        );
        const statuses = statusesFromConditions(conditions);
        const from = statuses.findIndex(
          (s) => before !== null && s.status === before.status && s.reason === before.reason,
        );
        const expected = statuses.slice(from + 1).map((s) => ({ id: "e1", ...s }));
        const { emits, changed } = observeChanges(mem, [object("e1", conditions)], [], "now");
        expect(emits).toEqual(expected);
        const newest = expected.at(-1);
        expect(changed.get("e1")).toEqual(
          before === null || gone || newest
            ? {
                kind: "Evaluation",
                last: newest ? { status: newest.status, reason: newest.reason } : before,
                gone: false,
              }
            : undefined,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it("a remembered object that disappears while not terminal becomes Terminated/KubernetesResourceDeleted, once", () => {
    const gone = observeWorkflows(memory({ e1: seen("Admitted") }), [], "now");
    expect(gone.emits).toMatchObject([
      { id: "e1", status: "Terminated", reason: "KubernetesResourceDeleted", at: "now" },
    ]);
    expect(gone.changed.get("e1")?.gone).toBe(true);
    expect(observeWorkflows(gone.changed, [], "later").emits).toEqual([]);
    const finished = observeWorkflows(memory({ e1: seen("Complete") }), [], "now");
    expect(finished.emits).toEqual([]);
    const seenEmpty = observeWorkflows(
      memory({ e1: { kind: "Evaluation", last: null, gone: false } }),
      [],
      "now",
    );
    expect(leaves(seenEmpty.emits)).toEqual(["Terminated/KubernetesResourceDeleted"]);
  });
});

describe("the informer over the memory ports", () => {
  it("remembers what it emitted in the key-value store, so a restarted informer repeats nothing and still sees a deletion", async () => {
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const backend = yield* MemoryBackend;
        const cluster = backend.cluster.port;
        const e1 = yield* cluster.create({
          kind: "Evaluation",
          name: "e1",
          labels: {},
          owner: null,
          spec: {},
        });
        yield* cluster.create({ kind: "Job", name: "e1-client", labels: {}, owner: "e1", spec: {} });
        yield* cluster.writeConditions("Evaluation", "e1", e1.resourceVersion, [
          workflowCondition("Admitted", null, "t1"),
        ]);
        const first = yield* Effect.flatMap(makeInformer(), (i) => i.runOnce("t2"));
        const restarted = yield* makeInformer();
        const repeat = yield* restarted.runOnce("t3");
        yield* cluster.delete("Evaluation", "e1");
        const afterDelete = yield* Effect.flatMap(makeInformer(), (i) => i.runOnce("t4"));
        const events = backend.events.records().map((r) => decodeEvent(r.key, r.value));
        return { first, repeat, afterDelete, events };
      }).pipe(Effect.provide(layerMemory({ seed: 4 }))),
    );
    expect([out.first, out.repeat, out.afterDelete]).toEqual([1, 0, 1]);
    expect(out.events).toMatchObject([
      { type: "Status", status: "Admitted", reason: null, author: "informer", at: "t1" },
      { type: "Status", status: "Terminated", reason: "KubernetesResourceDeleted", at: "t4" },
    ]);
  });
});

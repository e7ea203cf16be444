import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeMemoryViewStore } from "../view-store.js";
import { createSimulator } from "./promise.js";
import { finalStatuses } from "./run.js";
import type { Simulation } from "./simulation.js";

const alice = { team0: { tokens: ["team0-token"] } };

describe("runScenario: the final statuses with faults against those without", () => {
  it("the informer's lag is latency, not a delivery fault: a Model it reports only after until is no broken invariant (the first scenario `phasekit fuzz` shrank)", async () => {
    const result = await createSimulator({
      seed: 0,
      accounts: alice,
      resources: [{ kind: "Model", id: "model0", account: "team0" }],
      faults: { informerLag: "5s" },
      until: "1m",
    }).run();
    expect(result.final.map((f) => f.status)).toEqual(["Admitted"]);
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
  });

  it("a race the lag decides (a terminate before the informer reports the work Complete) is the same in the run compared with: it keeps the lag, drops the delivery faults", async () => {
    const result = await createSimulator({
      seed: 0,
      accounts: alice,
      resources: [{ kind: "Model", id: "model0", account: "team0" }],
      events: [{ at: "1m1s", terminate: "model0" }],
      faults: { informerLag: "5s", duplicate: 0.3, crashBeforeCommit: 0.1 },
      until: "2m",
    }).run();
    expect(result.final.map((f) => f.status)).toEqual(["Terminated"]);
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
  });

  it("a rule broken on purpose is still caught: quota-slack admits work beyond the quota", async () => {
    const result = await createSimulator({
      accounts: { a: { quota: { gpu: 0 }, tokens: ["t"] } },
      resources: [{ kind: "Model", id: "m1", account: "a", gpu: 1 }],
    }).run({ mutation: "quota-slack" });
    expect(result.invariants.find((i) => i.name === "no quota was ever exceeded")?.held).toBe(false);
  });
});

describe("finalStatuses", () => {
  it("orders the view's documents by first appearance on the timeline, those absent from it first by id, as a sort by (first index or 0, id) does", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e", "f"), { maxLength: 6 }),
        fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f", "g"), { maxLength: 12 }),
        (ids, timelineIds) => {
          const view = makeMemoryViewStore();
          for (const id of ids)
            Effect.runSync(
              view.port.upsert({
                id,
                version: 1,
                value: JSON.stringify({ kind: "Model", status: "Ready", reason: null }),
              }),
            );
          const timeline = timelineIds.map((id) => ({
            t: 0,
            system: "dyff",
            kind: "Model",
            id,
            status: "Ready",
            reason: null,
          }));
          const sim = { timeline, backend: { view } } as unknown as Simulation;
          const first = (id: string) => Math.max(0, (timelineIds as string[]).indexOf(id));
          const sorted = [...ids].sort((a, b) => first(a) - first(b) || (a < b ? -1 : 1));
          expect(finalStatuses(sim).map((f) => f.id)).toEqual(sorted);
        },
      ),
    );
  });
});

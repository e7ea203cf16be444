import { describe, expect, it } from "vitest";
import { createSimulator } from "./promise.js";

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

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import { lifecycleLaws } from "../../testing/laws.js";
import {
  isWallarooTaskRunActive,
  wallarooTaskRun as lc,
  wallarooSeedTaskRunStatuses,
  wallarooTaskRunStatuses,
  wallarooTaskRunStatusSource,
} from "./task-run.js";

describe("Wallaroo TaskRun", () => {
  it("a run starts running and ends in success, failure or timed_out", () => {
    expect(lc.initial().status).toBe("running");
    expect(lc.replay([{ type: "succeed" }])).toMatchObject({ status: "success", reason: null });
    expect(lc.replay([{ type: "fail" }])).toMatchObject({ status: "failure", reason: null });
    expect(lc.replay([{ type: "timeOut" }])).toMatchObject({ status: "timed_out", reason: null });
  });

  it("a run halted by its task's kill is killed (the SDK's TaskStatus.KILLED), an early termination", () => {
    const killed = lc.replay([{ type: "halt" }]);
    expect(killed).toMatchObject({ status: "killed", reason: null });
    expect(lc.status("killed")).toMatchObject({
      terminal: true,
      outcome: "early-termination",
      phase: "Stopped",
    });
  });

  it("unknown is not an end: the run can be seen again, end, time out or be halted", () => {
    expect(lc.replay([{ type: "lose" }])).toMatchObject({ status: "unknown" });
    expect(lc.status("unknown")).toMatchObject({ terminal: false, phase: "Unknown" });
    expect(lc.replay([{ type: "lose" }, { type: "regain" }])).toMatchObject({ status: "running" });
    for (const [end, to] of [
      ["succeed", "success"],
      ["fail", "failure"],
      ["timeOut", "timed_out"],
      ["halt", "killed"],
    ] as const)
      expect(lc.replay([{ type: "lose" }, { type: end }])).toMatchObject({ status: to });
    expect(isWallarooTaskRunActive({ status: "unknown" })).toBe(true);
  });

  it("an ended run never changes again", () => {
    for (const end of ["succeed", "fail", "timeOut", "halt"] as const) {
      const ended = lc.replay([{ type: end }]);
      for (const e of lc.events) expect(lc.step(ended as never, e)).toBeInstanceOf(TransitionError);
    }
  });

  it("its statuses are the SDK's TaskStatus (wallaroo 2026.1.3), each marked with its source", () => {
    expect([...wallarooTaskRunStatuses].sort()).toEqual(
      ["failure", "killed", "running", "success", "timed_out", "unknown"].sort(),
    );
    for (const s of wallarooTaskRunStatuses) {
      expect(lc.status(s).columns?.source).toBe(wallarooTaskRunStatusSource[s]);
      expect(wallarooTaskRunStatusSource[s] === "seed").toBe(
        (wallarooSeedTaskRunStatuses as readonly string[]).includes(s),
      );
    }
  });

  it("property: only a kill leads to killed, and a run is active exactly while it has not ended", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lc.events.map((e) => e.type)), { maxLength: 8 }), (types) => {
        let r = lc.initial();
        for (const type of types) {
          const next = lc.step(r, { type } as never);
          if (next instanceof Error) continue;
          if (next.status === "killed" && r.status !== "killed") expect(type).toBe("halt");
          r = next;
        }
        expect(isWallarooTaskRunActive(r)).toBe(!lc.isTerminal(r.status));
      }),
    );
  });
});

lifecycleLaws(lc, { final: ["success", "failure", "timed_out", "killed"] });

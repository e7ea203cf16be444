import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import type { LifecycleEventOf } from "../../lifecycle/lifecycle.js";
import { arbitraryEvents, arbitraryPath } from "../../testing/arbitraries.js";
import { lifecycleLaws } from "../../testing/laws.js";
import {
  isWallarooTaskActive,
  isWallarooTaskKilled,
  wallarooTask as lc,
  wallarooTaskStatuses,
} from "./task.js";

const replay = (events: LifecycleEventOf<typeof lc>[]) => {
  const r = lc.replay(events);
  if (r instanceof Error) throw r;
  return r;
};

describe("Wallaroo Task", () => {
  it("a task starts pending, then started; a Run Once task ends with its run's outcome", () => {
    expect(lc.initial().status).toBe("pending");
    expect(replay([{ type: "start" }, { type: "runSucceeded" }]).status).toBe("success");
    expect(replay([{ type: "start" }, { type: "runFailed" }]).status).toBe("failed");
    expect(replay([{ type: "start" }, { type: "runTimedOut" }]).status).toBe("timed_out");
  });

  it("crash_loop and resource_contention are recoverable conditions, not ends", () => {
    expect(replay([{ type: "contend" }, { type: "start" }]).status).toBe("started");
    expect(replay([{ type: "start" }, { type: "crashLoop" }, { type: "start" }]).status).toBe("started");
    expect(lc.isTerminal("crash_loop")).toBe(false);
    expect(lc.isTerminal("resource_contention")).toBe(false);
  });

  it("kill answers pending_kill at once, then killed; repeating it changes nothing", () => {
    const pendingKill = replay([{ type: "start" }, { type: "kill" }]);
    expect(pendingKill.status).toBe("pending_kill");
    expect(lc.step(pendingKill, { type: "kill" })).toBe(pendingKill);
    const killed = lc.stepOrThrow(pendingKill, { type: "confirmKill" });
    expect(killed.status).toBe("killed");
    expect(lc.step(killed, { type: "kill" })).toBe(killed);
  });

  it("kill is accepted in every status", () => {
    for (const leaf of lc.leaves) {
      const next = lc.step({ ...leaf, message: null, lastTransitionTime: null } as never, { type: "kill" });
      expect(next).not.toBeInstanceOf(TransitionError);
    }
  });

  it("kill is final: after it the status stays within pending_kill and killed, whatever follows", () => {
    fc.assert(
      fc.property(arbitraryPath(lc, 8), arbitraryEvents(lc, 20), ({ records }, after) => {
        const from = (records.at(-1) as ReturnType<typeof lc.initial> | undefined) ?? lc.initial();
        let record = lc.stepOrThrow(from, { type: "kill" });
        for (const e of after) {
          // arbitrary events include unknown types on purpose: the typed lifecycle would refuse them at compile time
          const next = lc.step(record, e as LifecycleEventOf<typeof lc>);
          if (!(next instanceof Error)) record = next;
          expect(["pending_kill", "killed"]).toContain(record.status);
          expect(isWallarooTaskActive(record)).toBe(false);
          expect(isWallarooTaskKilled(record)).toBe(true);
        }
      }),
    );
  });

  it("active is true until the task is killed or has finished", () => {
    for (const s of wallarooTaskStatuses) {
      const finished = lc.isTerminal(s);
      const killIssued = s === "pending_kill" || s === "killed";
      expect(isWallarooTaskActive({ status: s })).toBe(!finished && !killIssued);
      expect(isWallarooTaskKilled({ status: s })).toBe(killIssued);
    }
  });

  it("its statuses are the SDK's ArbexStatus values (wallaroo 2026.1.3), the pause family marked experimental", () => {
    const sdk = [
      "crash_loop",
      "failed",
      "killed",
      "paused",
      "pending",
      "pending_kill",
      "pending_pause",
      "pending_resume",
      "resource_contention",
      "schedule_error",
      "started",
      "success",
      "timed_out",
    ];
    const pause = ["paused", "pending_pause", "pending_resume"];
    expect([...wallarooTaskStatuses].sort()).toEqual(sdk);
    for (const s of wallarooTaskStatuses) expect(lc.status(s).columns?.experimental).toBe(pause.includes(s));
    expect(
      lc.decodeRecord({ status: "paused", reason: null, message: null, lastTransitionTime: null }),
    ).toMatchObject({ status: "paused" });
    expect(
      replay([{ type: "start" }, { type: "pause" }, { type: "confirmPause" }, { type: "resume" }]).status,
    ).toBe("pending_resume");
    expect(lc.step(lc.initial(), { type: "pause" })).toBeInstanceOf(TransitionError);
  });
});

lifecycleLaws(lc, {
  afterTerminal: (s) => (s === "killed" ? [] : ["pending_kill"]),
});

import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import type { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { LifecycleEvent } from "../../lifecycle/machine.js";
import { lifecycleLaws } from "../../testing/laws.js";
import { rayStepLifecycle } from "./step.js";

const lc = rayStepLifecycle as unknown as Lifecycle;

const replayed = (events: LifecycleEvent[]) => lc.replay(events);

describe("Ray Step", () => {
  it("a submitted step starts, then returns (SUCCESSFUL) or raises (FAILED)", () => {
    expect(replayed([{ type: "start" }, { type: "return" }])).toMatchObject({ status: "SUCCESSFUL" });
    expect(replayed([{ type: "start" }, { type: "raise" }])).toMatchObject({ status: "FAILED" });
    expect(replayed([{ type: "return" }])).toBeInstanceOf(TransitionError);
  });

  it("a canceled workflow aborts its unfinished steps, and a finished step cannot be aborted", () => {
    expect(replayed([{ type: "abort" }])).toMatchObject({ status: "CANCELED" });
    expect(replayed([{ type: "start" }, { type: "abort" }])).toMatchObject({ status: "CANCELED" });
    expect(replayed([{ type: "start" }, { type: "return" }, { type: "abort" }])).toBeInstanceOf(
      TransitionError,
    );
  });

  it("a resume reruns a failed step or one a system failure cut short, never a SUCCESSFUL one", () => {
    expect(replayed([{ type: "start" }, { type: "raise" }, { type: "rerun" }])).toMatchObject({
      status: "PENDING",
    });
    expect(replayed([{ type: "start" }, { type: "rerun" }])).toMatchObject({ status: "PENDING" });
    expect(replayed([{ type: "start" }, { type: "return" }, { type: "rerun" }])).toBeInstanceOf(
      TransitionError,
    );
  });
});

lifecycleLaws(lc, {
  afterTerminal: (s) => (s === "FAILED" ? ["PENDING"] : []),
  final: ["SUCCESSFUL", "CANCELED"],
});

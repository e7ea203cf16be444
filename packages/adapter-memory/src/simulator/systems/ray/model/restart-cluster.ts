import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, type Model, type Real, status } from "./model.js";

/** The Ray cluster restarts now: every running or queued workflow reads RESUMABLE; storage holds no RESUMABLE. */
export class RestartClusterCommand implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const active = model.ids.filter((id) => ["RUNNING", "PENDING"].includes(status(real.engine, id) ?? ""));
    real.engine.restartCluster();
    for (const id of active) expect(status(real.engine, id)).toBe("RESUMABLE");
    expect(real.engine.state.queue.running).toEqual([]);
    checkStep(real, model);
  }

  toString(): string {
    return "restartCluster()";
  }
}

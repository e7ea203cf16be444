import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, type Model, pick, type Real, status } from "./model.js";

/**
 * `workflow.cancel` now: any stored workflow but a SUCCESSFUL or a PENDING one ends CANCELED, for
 * good; a PENDING (queued) one is left as it is (Ray 2.47 cancels nothing of a queued workflow).
 */
export class CancelCommand implements fc.Command<Model, Real> {
  constructor(readonly target: number) {}

  check(model: Model): boolean {
    return model.ids.length > 0;
  }

  run(model: Model, real: Real): void {
    const id = pick(model, this.target)!;
    const before = status(real.engine, id);
    real.engine.cancel(id);
    const after = status(real.engine, id);
    const kept = before === undefined || before === "SUCCESSFUL" || before === "PENDING";
    expect(after).toBe(kept ? before : "CANCELED");
    // Canceled while it ran: no end_time (seed); a FAILED or RESUMABLE one keeps its last run's.
    if (before === "RUNNING") expect(real.engine.metadata(id)).not.toHaveProperty("stats.end_time");
    checkStep(real, model);
  }

  toString(): string {
    return `cancel(${this.target})`;
  }
}

import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, type Model, pick, type Real, status } from "./model.js";

/** `workflow.cancel` now: any stored workflow but a SUCCESSFUL one ends CANCELED, for good. */
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
    expect(after).toBe(before === undefined || before === "SUCCESSFUL" ? before : "CANCELED");
    // Canceled while it ran or waited: no end_time (seed); a FAILED or RESUMABLE one keeps its last run's.
    if (before === "RUNNING" || before === "PENDING")
      expect(real.engine.metadata(id)).not.toHaveProperty("stats.end_time");
    checkStep(real, model);
  }

  toString(): string {
    return `cancel(${this.target})`;
  }
}

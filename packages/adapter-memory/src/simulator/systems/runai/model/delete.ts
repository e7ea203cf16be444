import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, isEnd, type Model, pick, type Real, shown } from "./model.js";

/**
 * The Researcher deletes a job now. An ended job does not change; any other is Terminating (its pods
 * stop within the grace period) or, off any node, Deleted at once (Unknown while the scheduler is down).
 */
export class DeleteCommand implements fc.Command<Model, Real> {
  constructor(readonly target: number) {}

  check(model: Model): boolean {
    return model.jobs.length > 0;
  }

  run(model: Model, real: Real): void {
    const { id } = pick(model, this.target)!;
    const before = shown(real.engine, id);
    real.engine.delete(id);
    const after = shown(real.engine, id);
    if (isEnd(before)) expect(after).toBe(before);
    else expect(["Terminating", "Deleted", "Unknown"]).toContain(after);
    checkStep(real);
  }

  toString(): string {
    return `delete(${this.target})`;
  }
}

import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, type Model, pick, type Real, status } from "./model.js";

/**
 * `workflow.resume` now: a FAILED or RESUMABLE workflow runs or waits again (it may finish at once when
 * nothing is left to run); a refused resume and any other workflow change nothing.
 */
export class ResumeCommand implements fc.Command<Model, Real> {
  constructor(readonly target: number) {}

  check(model: Model): boolean {
    return model.ids.length > 0;
  }

  run(model: Model, real: Real): void {
    const id = pick(model, this.target)!;
    const before = status(real.engine, id);
    const notes = real.engine.notes.length;
    real.engine.resume(id);
    const after = status(real.engine, id);
    const refused = real.engine.notes.slice(notes).some((n) => n.text.startsWith("resume refused"));
    // Refused (the queue is full, it is active, canceled or unknown): nothing changes.
    if (refused) expect(after).toBe(before);
    else if (before === "FAILED" || before === "RESUMABLE")
      expect(["RUNNING", "PENDING", "SUCCESSFUL", "FAILED"]).toContain(after);
    else expect(after).toBe(before);
    checkStep(real, model);
  }

  toString(): string {
    return `resume(${this.target})`;
  }
}

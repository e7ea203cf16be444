import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, type Model, type Real } from "./model.js";

/** Simulated time passes: runs end, cron matches start runs, continuous tasks restart, kills complete. */
export class AdvanceCommand implements fc.Command<Model, Real> {
  constructor(readonly seconds: number) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const runsAtKill = new Map([...model.killed].map((id) => [id, real.engine.tasks.get(id)!.runs.length]));
    real.engine.advanceTo(real.engine.now + this.seconds * 1000);
    // A killed task starts no run, however long we wait.
    for (const [id, n] of runsAtKill) expect(real.engine.tasks.get(id)!.runs.length, id).toBe(n);
    checkStep(real, model);
  }

  toString(): string {
    return `advance(${this.seconds}s)`;
  }
}

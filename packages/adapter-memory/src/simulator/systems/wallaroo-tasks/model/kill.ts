import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, type Model, pick, type Real } from "./model.js";

/** `task.kill()` now: pending_kill at once (killed stays killed); the kill completes `takes` seconds later. */
export class KillCommand implements fc.Command<Model, Real> {
  constructor(
    readonly target: number,
    readonly takes: number,
  ) {}

  check(model: Model): boolean {
    return model.ids.length > 0;
  }

  run(model: Model, real: Real): void {
    const id = pick(model, this.target)!;
    const before = real.engine.tasks.get(id)!.task.status;
    real.engine.kill(id, this.takes * 1000);
    expect(real.engine.tasks.get(id)!.task.status).toBe(before === "killed" ? "killed" : "pending_kill");
    model.killed.add(id);
    checkStep(real, model);
  }

  toString(): string {
    return `kill(${this.target}, ${this.takes}s)`;
  }
}

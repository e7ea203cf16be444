import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, type Model, type Real } from "./model.js";

/** The Run:ai scheduler stops now for `seconds`: nothing is placed until it runs again. */
export class SchedulerDownCommand implements fc.Command<Model, Real> {
  constructor(readonly seconds: number) {}

  check(): boolean {
    return true;
  }

  run(_model: Model, real: Real): void {
    real.engine.schedulerDown(this.seconds * 1000);
    expect(real.engine.schedulerUp).toBe(false);
    checkStep(real);
  }

  toString(): string {
    return `schedulerDown(${this.seconds}s)`;
  }
}

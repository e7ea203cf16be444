import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, isEnd, type Model, type Real, shown } from "./model.js";

/** Lets `seconds` of simulated time pass. A job in an end state stays as it is. */
export class AdvanceCommand implements fc.Command<Model, Real> {
  constructor(readonly seconds: number) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const ended = model.jobs
      .map((j) => [j.id, shown(real.engine, j.id)] as const)
      .filter(([, s]) => isEnd(s));
    const before = real.engine.now;
    real.engine.advanceTo(before + this.seconds * 1000);
    expect(real.engine.now).toBe(before + this.seconds * 1000);
    for (const [id, status] of ended) expect(shown(real.engine, id), id).toBe(status);
    checkStep(real);
  }

  toString(): string {
    return `advance(${this.seconds}s)`;
  }
}

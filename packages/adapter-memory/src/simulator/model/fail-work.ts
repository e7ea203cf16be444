import type fc from "fast-check";
import { expect } from "vitest";
import { workFailures } from "../scenario-checks.js";
import { both, checkStep, lastNote, type Model, pick, type Real } from "./model.js";

/** The work of a resource fails (one of its kind's work failures): now if its step runs, else when it starts. */
export class FailWorkCommand implements fc.Command<Model, Real> {
  constructor(
    readonly target: number,
    readonly reason: number,
  ) {}

  check(model: Model): boolean {
    return model.resources.some((r) => workFailures(r.kind).length > 0);
  }

  run(model: Model, real: Real): void {
    const failing = model.resources.filter((r) => workFailures(r.kind).length > 0);
    const r = pick({ resources: failing }, this.target)!;
    const reasons = workFailures(r.kind);
    const reason = reasons[this.reason % reasons.length]!;
    both(real, (sim) => sim.fail(r.id, reason));
    expect(lastNote(real.faulty)).toEqual(lastNote(real.clean));
    checkStep(real);
  }

  toString(): string {
    return `failWork(${this.target}, reason ${this.reason})`;
  }
}

import type fc from "fast-check";
import { expect } from "vitest";
import { both, checkStep, lastNote, type Model, pick, type Real, tokenOf, viewStatus } from "./model.js";

/** Sets (or, with `value` null, removes) a label: the status never changes. */
export class LabelCommand implements fc.Command<Model, Real> {
  constructor(
    readonly target: number,
    readonly key: string,
    readonly value: string | null,
  ) {}

  check(model: Model): boolean {
    return model.resources.length > 0;
  }

  run(model: Model, real: Real): void {
    const r = pick(model, this.target)!;
    const before = viewStatus(real.faulty, r.id);
    both(real, (sim) => sim.label(r.id, { [this.key]: this.value }, tokenOf(r.account)));
    expect(lastNote(real.faulty)).toEqual(lastNote(real.clean));
    expect(viewStatus(real.faulty, r.id)).toBe(before);
    checkStep(real);
  }

  toString(): string {
    return `label(${this.target}, ${this.key}=${this.value ?? "null"})`;
  }
}

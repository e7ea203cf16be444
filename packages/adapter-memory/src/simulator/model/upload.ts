import type fc from "fast-check";
import { expect } from "vitest";
import { both, checkStep, lastNote, type Model, pick, type Real, tokenOf, viewStatus } from "./model.js";

/** Reports a Dataset uploaded: Created becomes Ready; anything else is refused. */
export class UploadCommand implements fc.Command<Model, Real> {
  constructor(readonly target: number) {}

  check(model: Model): boolean {
    return model.resources.some((r) => r.kind === "Dataset");
  }

  run(model: Model, real: Real): void {
    const datasets = model.resources.filter((r) => r.kind === "Dataset");
    const r = pick({ resources: datasets }, this.target)!;
    const before = viewStatus(real.faulty, r.id);
    both(real, (sim) => sim.uploaded(r.id, tokenOf(r.account)));
    expect(lastNote(real.faulty)).toEqual(lastNote(real.clean));
    if (before?.startsWith("Created")) expect(viewStatus(real.faulty, r.id)).toBe("Ready");
    else expect(lastNote(real.faulty)).toMatchObject({ refused: expect.any(String) });
    checkStep(real);
  }

  toString(): string {
    return `upload(${this.target})`;
  }
}

import type fc from "fast-check";
import { expect } from "vitest";
import { both, checkStep, lastNote, type Model, pick, type Real, tokenOf, viewStatus } from "./model.js";

/** Deletes a resource as its owner: it becomes Deleted/DeleteCommand whatever it was, once. */
export class DeleteCommand implements fc.Command<Model, Real> {
  constructor(readonly target: number) {}

  check(model: Model): boolean {
    return model.resources.length > 0;
  }

  run(model: Model, real: Real): void {
    const r = pick(model, this.target)!;
    const before = viewStatus(real.faulty, r.id);
    both(real, (sim) => sim.delete(r.id, tokenOf(r.account)));
    const note = lastNote(real.faulty);
    expect(note).toEqual(lastNote(real.clean));
    if (before === undefined) expect(note).toMatchObject({ refused: expect.stringContaining("NotFound: ") });
    else if (before.startsWith("Deleted"))
      expect(note).toMatchObject({ refused: expect.stringContaining("Deleted: ") });
    else expect(viewStatus(real.faulty, r.id)).toBe("Deleted/DeleteCommand");
    checkStep(real);
  }

  toString(): string {
    return `delete(${this.target})`;
  }
}

import type fc from "fast-check";
import { expect } from "vitest";
import { checkStep, type Model, type Real, status } from "./model.js";

/** Lets `seconds` pass. SUCCESSFUL and CANCELED workflows stay as they are. */
export class AdvanceCommand implements fc.Command<Model, Real> {
  constructor(readonly seconds: number) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const final = model.ids.filter((id) =>
      ["SUCCESSFUL", "CANCELED"].includes(status(real.engine, id) ?? ""),
    );
    const before = final.map((id) => status(real.engine, id));
    real.engine.advanceTo(real.engine.now + this.seconds * 1000);
    expect(final.map((id) => status(real.engine, id))).toEqual(before);
    checkStep(real, model);
  }

  toString(): string {
    return `advance(${this.seconds}s)`;
  }
}

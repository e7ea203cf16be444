import type fc from "fast-check";
import { both, checkStep, type Model, type Real } from "./model.js";

/**
 * Lets simulated time pass: steps finish, the informer catches up. `toNext` jumps to the next thing
 * due instead (completing the next step), when there is one.
 */
export class AdvanceCommand implements fc.Command<Model, Real> {
  constructor(
    readonly seconds: number,
    readonly toNext: boolean,
  ) {}

  check(): boolean {
    return true;
  }

  run(_model: Model, real: Real): void {
    const next = this.toNext ? real.clean.nextDue() : undefined;
    const until = next ?? real.clean.now + this.seconds * 1000;
    both(real, (sim) => sim.advanceTo(until));
    checkStep(real);
  }

  toString(): string {
    return this.toNext ? `advanceToNext(or ${this.seconds}s)` : `advance(${this.seconds}s)`;
  }
}

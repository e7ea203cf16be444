import type fc from "fast-check";
import { checkStep, type Model, type Real } from "./model.js";

/** Kafka's log cleaner runs on the faulty run's state log: only the latest record of each key stays. */
export class CompactCommand implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }

  run(_model: Model, real: Real): void {
    real.faulty.backend.state.compact();
    real.faulty.settle();
    checkStep(real);
  }

  toString(): string {
    return "compact()";
  }
}

import type fc from "fast-check";
import { checkStep, type Model, type Real } from "./model.js";

/**
 * Every member of one consumer group forgets its position (a rebalance, a restart), on the faulty
 * run only: the group reads again from its committed offsets, and nothing may change.
 */
export class CrashConsumersCommand implements fc.Command<Model, Real> {
  constructor(
    readonly group: "phasekit.workflows-aggregator" | "phasekit.workflows-sink" | "phasekit.orchestrator",
  ) {}

  check(): boolean {
    return true;
  }

  run(_model: Model, real: Real): void {
    const log =
      this.group === "phasekit.workflows-aggregator" ? real.faulty.backend.events : real.faulty.backend.state;
    log.crash(this.group);
    real.faulty.settle();
    checkStep(real);
  }

  toString(): string {
    return `crashConsumers(${this.group})`;
  }
}

import { type ConsumingService, consumerGroups } from "@phasekit/core";
import type fc from "fast-check";
import { checkStep, type Model, type Real } from "./model.js";

/**
 * Every member of one consumer group forgets its position (a rebalance, a restart), on the faulty
 * run only: the group reads again from its committed offsets, and nothing may change.
 */
export class CrashConsumersCommand implements fc.Command<Model, Real> {
  constructor(readonly service: ConsumingService) {}

  check(): boolean {
    return true;
  }

  run(_model: Model, real: Real): void {
    const { log, group } = consumerGroups[this.service];
    real.faulty.backend[log].crash(group);
    real.faulty.settle();
    checkStep(real);
  }

  toString(): string {
    return `crashConsumers(${this.service})`;
  }
}

import { getRayStatus, type RayWorkflowStatus } from "@phasekit/core";
import { expect } from "vitest";
import type { RayEngine } from "../engine.js";
import { rayInvariants } from "../invariants.js";

/**
 * The model-based test of the Ray engine: the model knows which workflows were run; the real system
 * is one engine. After every command every invariant holds and each workflow's last status in the
 * timeline is what `get_status` says now.
 *
 * @module
 */

export interface Model {
  readonly ids: string[];
}

export interface Real {
  readonly engine: RayEngine;
}

export const pick = (model: Model, target: number) =>
  model.ids.length === 0 ? undefined : model.ids[target % model.ids.length];

/** `get_status(id)`, or undefined for a workflow that was never stored (its run was refused). */
export function status(engine: RayEngine, id: string): RayWorkflowStatus | undefined {
  const s = getRayStatus(engine.state, id);
  return s instanceof Error ? undefined : s;
}

export function checkStep(real: Real, model: Model): void {
  for (const i of rayInvariants(real.engine)) expect(i.detail, i.name).toBeNull();
  for (const id of model.ids)
    expect(real.engine.timeline.findLast((e) => e.id === id)?.status, id).toBe(status(real.engine, id));
}

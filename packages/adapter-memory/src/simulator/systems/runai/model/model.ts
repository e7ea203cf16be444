import { deriveRunaiStatus } from "@phasekit/core";
import { expect } from "vitest";
import type { RunaiEngine } from "../engine.js";
import { runaiInvariants } from "../invariants.js";

/**
 * The model-based test of the Run:ai engine: the model knows which jobs were submitted; the real
 * system is one engine. After every command every invariant holds, and every job's last status in
 * the timeline is what `deriveRunaiStatus` reads from its objects now.
 *
 * @module
 */

export const projects = ["a", "b", "c"] as const;

export interface Model {
  readonly jobs: { readonly id: string; readonly kind: string }[];
}

export interface Real {
  readonly engine: RunaiEngine;
}

/** The job a command's `target` names (modulo how many there are), or undefined when none. */
export const pick = (model: Model, target: number) =>
  model.jobs.length === 0 ? undefined : model.jobs[target % model.jobs.length];

/** The status of `id` the timeline shows last, as `Status` or `Status/Reason`. */
export function shown(engine: RunaiEngine, id: string): string | undefined {
  const e = engine.timeline.findLast((x) => x.id === id);
  return e && (e.reason ? `${e.status}/${e.reason}` : e.status);
}

const endStates = new Set([
  "Succeeded",
  "Fail",
  "Deleted",
  "TimedOut",
  "Preempted",
  "ContainerCannotRun",
  "Unknown",
]);
export const isEnd = (status: string | undefined) => status !== undefined && endStates.has(status);

/** After every command: the invariants hold and the timeline agrees with the objects. */
export function checkStep(real: Real): void {
  for (const i of runaiInvariants(real.engine)) expect(i.detail, i.name).toBeNull();
  for (const id of real.engine.jobs.keys()) {
    const d = deriveRunaiStatus(real.engine.observation(id)!);
    expect(shown(real.engine, id)).toBe(d.reason ? `${d.display}/${d.reason}` : d.display);
  }
}

import { expect } from "vitest";
import { checkInvariants, finalStatuses } from "../run.js";
import type { ScenarioKind } from "../scenario.js";
import type { Simulation } from "../simulation.js";

/**
 * The model-based test of the whole pipeline: what the model knows (the resources asked for, the
 * accounts) and the real system (two simulations fed the same commands: one with faults, one
 * without). After every command the faulty one must keep every invariant and show the same statuses
 * as the clean one: faults may change how the platform gets there, never where it is once settled.
 *
 * @module
 */

export const accounts = ["alice", "bob", "carol"] as const;
export const tokenOf = (account: string) => `${account}-token`;

/** What the model knows: each resource it asked for, in order (refused ones included). */
export interface Model {
  readonly resources: { readonly id: string; readonly kind: ScenarioKind; readonly account: string }[];
}

export interface Real {
  readonly faulty: Simulation;
  readonly clean: Simulation;
}

/** The resource a command's `target` index names (modulo how many there are), or undefined when none. */
export const pick = (model: Model, target: number) =>
  model.resources.length === 0 ? undefined : model.resources[target % model.resources.length];

/** Runs `act` on both simulations. */
export function both(real: Real, act: (sim: Simulation) => void): void {
  act(real.faulty);
  act(real.clean);
}

/** The last note of a simulation (what the command just did). */
export const lastNote = (sim: Simulation) =>
  sim.notes.filter((n) => n.type !== "crash" && n.type !== "pending").at(-1);

/** The status of `id` in the query view, as `Status` or `Status/Reason`, or undefined when absent. */
export function viewStatus(sim: Simulation, id: string): string | undefined {
  const doc = sim.backend.view.documents().find((d) => d.id === id);
  if (!doc) return undefined;
  const e = JSON.parse(doc.value) as { status: string; reason: string | null };
  return e.reason ? `${e.status}/${e.reason}` : e.status;
}

/** After every command: every invariant holds on the faulty run, and it shows what the clean one shows. */
export function checkStep(real: Real): void {
  for (const invariant of checkInvariants(real.faulty, null))
    expect(invariant.detail, invariant.name).toBeNull();
  expect(real.faulty.errors).toEqual([]);
  expect(finalStatuses(real.faulty).sort(byId)).toEqual(finalStatuses(real.clean).sort(byId));
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

import type { Leaf } from "../lifecycle/lifecycle.js";
import { INIT_PROGRESS } from "../systems/runai/statuses.js";
import type { Observation } from "./types.js";

/* How the judge reads an observation's status and time, and names it in messages. */

const runaiInitProgress = /^Init:\d+\/\d+$/;

/**
 * The machine's status for what an observer displays: Run:ai shows init progress with its counts
 * (`Init:1/2`), the machine has one status for it (`Init:<done>/<total>`).
 */
export function machineStatus(system: string, status: string): string {
  return system === "runai" && runaiInitProgress.test(status) ? INIT_PROGRESS : status;
}

export const subjectOf = (o: Observation) => o.where ?? (o.line === undefined ? nameOf(o) : `line ${o.line}`);
export const nameOf = (o: Observation) => `${o.system}/${o.kind} ${o.id}`;
export const whenOf = (o: Observation) => (o.at === null || o.at === undefined ? "" : ` at ${o.at}`);

export const leafText = (l: Leaf | { status: string; reason: string | null }) =>
  l.reason === null ? l.status : `${l.status}/${l.reason}`;
export const leavesText = (ls: readonly Leaf[]) =>
  ls.length === 0 ? "nothing" : ls.map(leafText).join(", ");

/** Turns `at` into a comparable number: RFC 3339 text by Date.parse, numbers as they are. */
export function timeOf(at: string | number | null | undefined): number | undefined {
  if (at === null || at === undefined) return Number.NaN;
  if (typeof at === "number") return Number.isFinite(at) ? at : undefined;
  const t = Date.parse(at);
  return Number.isNaN(t) ? undefined : t;
}

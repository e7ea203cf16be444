import { catalog, type Lifecycle, RUNAI_INIT_PROGRESS } from "@phasekit/core";
import type { TimelineEntry } from "../simulator/timeline.js";

/**
 * Transition coverage: for each machine of the catalog, which of its transitions (a leaf, that is a
 * status and reason, times an event the table accepts there) the runs took. It is read from the
 * timelines the runs left, so it needs no hook in core: each change of an entity from leaf A to
 * leaf B takes every event that leads from A to B in the machine's table (where two events lead to
 * the same leaf, a timeline cannot tell them apart). Transitions that keep the leaf (a label edit, a
 * duplicate message) leave no trace in a timeline and are not counted, taken or not. Dyff's
 * timeline is what the query view saw: a status the view skipped (it is eventually consistent)
 * hides the transitions into and out of it.
 *
 * @module
 */

/** A transition of a machine: from a leaf, by an event. */
export interface Transition {
  readonly status: string;
  readonly reason: string | null;
  readonly event: string;
  readonly eventReason: string | null;
}

/** One machine's coverage. */
export interface MachineCoverage {
  readonly system: string;
  readonly kind: string;
  /** Transitions taken, of `total` (those that change the leaf). */
  readonly taken: number;
  readonly total: number;
  /** `taken / total`, 0 to 1 (1 for a machine with no transitions). */
  readonly share: number;
  readonly never: readonly Transition[];
}

/** Shows a displayed status as the machine's (Run:ai shows `Init:1/2` for `Init:<done>/<total>`). */
const machineStatus = (system: string, shown: string) =>
  system === "runai" && /^Init:\d+\/\d+$/.test(shown) ? RUNAI_INIT_PROGRESS : shown;

/**
 * Counts the transitions taken over many runs; `report` gives each machine's share and the
 * transitions never taken.
 *
 * @example
 * ```ts
 * const coverage = new TransitionCoverage(["ray"]);
 * coverage.add(result.timeline);
 * coverage.report()[0]; // { system: "ray", kind: "Workflow", taken: 9, total: 14, share: 0.64, never: [...] }
 * ```
 */
export class TransitionCoverage {
  private readonly machines: { readonly system: string; readonly lifecycle: Lifecycle }[];
  /** Per `system/kind`, one flag per table cell. */
  private readonly taken = new Map<string, Uint8Array>();

  constructor(systems: readonly string[]) {
    this.machines = catalog.systems
      .filter((s) => systems.includes(s.name))
      .flatMap((s) => s.lifecycles.map((lifecycle) => ({ system: s.name, lifecycle })));
    for (const { system, lifecycle } of this.machines)
      this.taken.set(`${system}/${lifecycle.kind}`, new Uint8Array(lifecycle.table.length));
  }

  /** Adds the transitions of one run's timeline (every system's entries, in time order). */
  add(timeline: readonly TimelineEntry[]): void {
    const at = new Map<string, number>();
    for (const e of timeline) {
      const key = `${e.system}/${e.kind}`;
      const flags = this.taken.get(key);
      if (!flags) continue;
      const lc = catalog.lifecycle(e.system, e.kind) as Lifecycle;
      const to = lc.leafOf(machineStatus(e.system, e.status), e.reason);
      if (to === undefined) continue;
      const id = `${key}/${e.id}`;
      const from = at.get(id) ?? lc.leafOf(lc.spec.initial.status, lc.spec.initial.reason);
      at.set(id, to);
      if (from === undefined || from === to) continue;
      const n = lc.events.length;
      for (let ei = 0; ei < n; ei++) if (lc.table[from * n + ei] === to) flags[from * n + ei] = 1;
    }
  }

  /** Each machine's coverage, in catalog order. */
  report(): MachineCoverage[] {
    return this.machines.map(({ system, lifecycle: lc }) => {
      const flags = this.taken.get(`${system}/${lc.kind}`)!;
      const n = lc.events.length;
      const never: Transition[] = [];
      let total = 0;
      let taken = 0;
      for (let li = 0; li < lc.leaves.length; li++)
        for (let ei = 0; ei < n; ei++) {
          const to = lc.table[li * n + ei]!;
          if (to < 0 || to === li) continue;
          total++;
          if (flags[li * n + ei]) taken++;
          else {
            const leaf = lc.leaves[li]!;
            const event = lc.events[ei]!;
            never.push({
              status: leaf.status,
              reason: leaf.reason,
              event: event.type,
              eventReason: event.reason,
            });
          }
        }
      return { system, kind: lc.kind, taken, total, share: total === 0 ? 1 : taken / total, never };
    });
  }
}

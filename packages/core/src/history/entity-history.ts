import { catalog } from "../catalog/catalog.js";
import { DecodeError } from "../lifecycle/errors.js";
import type { Phase } from "../lifecycle/phase.js";

/**
 * One entity's history, the same for every system: each status change with its simulated time,
 * common phase, the machine event that took it there and its causes; the commands sent to it
 * (refused ones with why); what else happened to it. What `kubectl describe` lists as Events, from
 * one model, so a page, a JSONL reader and the text output read the same thing.
 *
 * @module
 */

/** Who or what made something happen to an entity. */
export interface HistoryCause {
  /**
   * `command`: a user's command (create, terminate, `workflow.resume`, `Task.kill()`...);
   * `rule`: a rule of the platform decided it (the orchestrator's quota and dependency rules,
   * Run:ai's status derivation, Ray's queue, Wallaroo's autoscaler); `observation`: what the cluster
   * showed (Dyff's informer); `fault`: a fault injected on purpose (a failure, an outage, a restart).
   */
  readonly kind: "command" | "rule" | "observation" | "fault";
  /** Who: the account that sent a command, the service or engine that decided, `scenario` for a fault. */
  readonly by: string | null;
  /** What: the command, the rule with its evidence, the fault. */
  readonly what: string;
}

/** System-specific facts at a status change: Run:ai's allocation, Ray's step stats. Plain JSON values. */
export type HistoryFacts = Readonly<Record<string, string | number | boolean | null>>;

/** A status with its reason and common phase. */
export interface HistoryStatus {
  readonly status: string;
  readonly reason: string | null;
  readonly phase: Phase;
}

/** A status change of the entity. `t` is in simulated seconds since the start. */
export interface HistoryStatusChange extends HistoryStatus {
  readonly type: "status";
  readonly t: number;
  /** Where it was before (null for its first status). */
  readonly from: HistoryStatus | null;
  /**
   * The machine event that takes `from` to this status (e.g. `admit`, `wait`, `promote`), or null
   * for the first status, and where an observer saw a jump no single event makes.
   */
  readonly event: string | null;
  readonly causes: readonly HistoryCause[];
  /** The status message, where the platform wrote one. */
  readonly message: string | null;
  readonly facts: HistoryFacts;
}

/** A command sent to the entity: accepted (`refused: null`), or refused with `<code>: <message>`. */
export interface HistoryCommand {
  readonly type: "command";
  readonly t: number;
  readonly command: string;
  /** The account that sent it, or null when its token named none. */
  readonly by: string | null;
  readonly refused: string | null;
}

/** Something that happened to the entity besides a status change and a command. */
export interface HistoryNote {
  readonly type: "note";
  readonly t: number;
  readonly cause: HistoryCause;
  readonly text: string;
}

/** One item of a history. */
export type HistoryItem = HistoryStatusChange | HistoryCommand | HistoryNote;

/**
 * One entity's history: `items` in the order they happened, and its last status. Its JSON is the
 * data shape of `phasekit simulate --entity <id> --format jsonl` (docs/simulator.md).
 */
export interface EntityHistory {
  readonly system: string;
  readonly kind: string;
  readonly id: string;
  readonly items: readonly HistoryItem[];
  /** The last status (null when none was seen). */
  readonly final: HistoryStatus | null;
}

/** A status change as a simulator records it, before the history adds its phase, `from` and event. */
export interface HistoryChangeInput {
  readonly type: "status";
  readonly t: number;
  readonly status: string;
  readonly reason: string | null;
  readonly causes?: readonly HistoryCause[];
  readonly message?: string | null;
  readonly facts?: HistoryFacts;
}

/** What {@link entityHistory} takes: the entity and its items, in the order they happened. */
export interface HistoryInput {
  readonly system: string;
  readonly kind: string;
  readonly id: string;
  readonly items: readonly (HistoryChangeInput | HistoryCommand | HistoryNote)[];
}

/** Run:ai displays init progress with its counts; its machine has one status for it. */
const machineStatus = (system: string, status: string) =>
  system === "runai" && /^Init:\d+\/\d+$/.test(status) ? "Init:<done>/<total>" : status;

/** The first event of the kind's machine that takes leaf `from` to leaf `to`, or null. */
function eventBetween(system: string, kind: string, from: HistoryStatus, to: HistoryStatus): string | null {
  const lc = catalog.lifecycle(system, kind);
  if (lc instanceof DecodeError) return null;
  const a = lc.leafOf(machineStatus(system, from.status), from.reason);
  const b = lc.leafOf(machineStatus(system, to.status), to.reason);
  if (a === undefined || b === undefined) return null;
  const n = lc.events.length;
  for (let e = 0; e < n; e++) if (lc.table[a * n + e] === b) return lc.events[e]!.type;
  return null;
}

const phaseOf = (system: string, kind: string, status: string): Phase => {
  const phase = catalog.phase(system, kind, status);
  return phase instanceof DecodeError ? "Unknown" : phase;
};

/**
 * Builds an entity's history from what a simulator recorded: adds each status's common phase (from
 * its machine), where it came from, and the machine event between the two.
 *
 * @example
 * ```ts
 * import { entityHistory } from "@phasekit/core";
 * const h = entityHistory({
 *   system: "ray", kind: "Workflow", id: "w",
 *   items: [
 *     { type: "status", t: 0, status: "PENDING", reason: null },
 *     { type: "status", t: 60, status: "RUNNING", reason: null, causes: [{ kind: "rule", by: "ray", what: "a running slot freed" }] },
 *   ],
 * });
 * h.items[1]; // { type: "status", status: "RUNNING", phase: "Running", event: "promote", from: { status: "PENDING", ... }, ... }
 * ```
 */
export function entityHistory(input: HistoryInput): EntityHistory {
  const { system, kind, id } = input;
  let last: HistoryStatus | null = null;
  const items = input.items.map((item): HistoryItem => {
    if (item.type !== "status") return item;
    const now: HistoryStatus = {
      status: item.status,
      reason: item.reason,
      phase: phaseOf(system, kind, item.status),
    };
    const change: HistoryStatusChange = {
      type: "status",
      t: item.t,
      ...now,
      from: last,
      event: last === null ? null : eventBetween(system, kind, last, now),
      causes: item.causes ?? [],
      message: item.message ?? null,
      facts: item.facts ?? {},
    };
    last = now;
    return change;
  });
  return { system, kind, id, items, final: last };
}

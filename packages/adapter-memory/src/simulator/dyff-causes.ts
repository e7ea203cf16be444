import {
  DecodeError,
  type EventMessage,
  type HistoryCause,
  type LogRecord,
  type StateMessage,
} from "@phasekit/core";
import { eventOf } from "./decoded.js";
import type { Note, TimelineEntry } from "./timeline.js";

/**
 * Why each Dyff status change happened, read after the run from what the control plane already
 * keeps: each state version names the event-log record it was made from (`applied`), and that
 * record says who sent it (a user's command with its account, the orchestrator's rule with its
 * message, the informer's observation of the cluster). Nothing in the control plane changes for it.
 *
 * @module
 */

interface Change {
  readonly status: string;
  readonly reason: string | null;
  readonly causes: readonly HistoryCause[];
  readonly message: string | null;
}

/** What the orchestrator decided, in words, when its status message carries none. */
const ruleOf = (status: string, reason: string | null): string => {
  if (status === "Admitted") return "admit: its dependencies are ready and the account's quota has room";
  if (reason === "QuotaLimit") return "wait: the account's quota is full";
  if (reason === "UnsatisfiedDependency") return "wait: a dependency is not ready";
  if (reason === "FailedDependency") return "fail: a dependency failed";
  return `${status}: a kind that does not compute is done once its dependencies are`;
};

function causeOf(event: EventMessage | undefined, status: string, reason: string | null): HistoryCause[] {
  if (event === undefined) return [];
  switch (event.type) {
    case "Create":
      return [{ kind: "command", by: event.entity.account, what: "create" }];
    case "Status":
      return event.author === "orchestrator"
        ? [{ kind: "rule", by: "orchestrator", what: event.message ?? ruleOf(status, reason) }]
        : [
            {
              kind: "observation",
              by: "informer",
              what: event.message ?? `the workflow's Kubernetes resource shows ${status}`,
            },
          ];
    case "Terminate":
      return [{ kind: "command", by: event.by, what: "terminate" }];
    case "Delete":
      return [{ kind: "command", by: event.by, what: "delete" }];
    case "Uploaded":
      return [{ kind: "command", by: event.by, what: "uploaded" }];
    case "Labels":
      return [{ kind: "command", by: event.by, what: "label" }];
  }
}

/** The event-log record at a position, decoded (undefined when none there decodes). */
type EventAt = (partition: number, offset: number) => EventMessage | undefined;

/**
 * The event at each position of `records`. When each partition's records are one run at offsets 0,
 * 1, 2, ... in order (the memory log's, always: its partitions one after the other), a position is
 * an index, and only the records asked for are decoded; otherwise a map of every position, the last
 * decodable record at each.
 */
function eventsAt(records: readonly LogRecord<EventMessage>[]): EventAt {
  const runs = partitionRuns(records);
  if (runs)
    return (p, o) => {
      const run = runs.get(p);
      if (run === undefined || !Number.isInteger(o) || o < 0 || o >= run.length) return undefined;
      const r = records[run.start + o]!;
      if (r.offset !== o || r.partition !== p) return undefined;
      const e = eventOf(r);
      return e instanceof DecodeError ? undefined : e;
    };
  const events = new Map<string, EventMessage>();
  for (const r of records) {
    const e = eventOf(r);
    if (!(e instanceof DecodeError)) events.set(`${r.partition}:${r.offset}`, e);
  }
  return (p, o) => events.get(`${p}:${o}`);
}

/** Where each partition's records start and how many there are, or null when they are not runs from offset 0. */
function partitionRuns(
  records: readonly LogRecord<EventMessage>[],
): Map<number, { start: number; length: number }> | null {
  const runs = new Map<number, { start: number; length: number }>();
  let run: { start: number; length: number } | undefined;
  let partition: number | null = null;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.partition !== partition) {
      if (runs.has(r.partition)) return null;
      partition = r.partition;
      run = { start: i, length: 0 };
      runs.set(partition, run);
    }
    if (r.offset !== run!.length) return null;
    run!.length++;
  }
  return runs;
}

/** The versions of one entity, one per version number (the last appended), in version order. */
function byVersion(versions: readonly StateMessage[]): readonly StateMessage[] {
  let increasing = true;
  for (let i = 1; i < versions.length && increasing; i++)
    increasing = versions[i - 1]!.version < versions[i]!.version;
  if (increasing) return versions;
  const one = new Map<number, StateMessage>();
  for (const v of versions) one.set(v.version, v);
  return [...one.values()].sort((a, b) => a.version - b.version);
}

/** The status changes of one entity on the state log, each with its causes, in version order. */
function changesOf(versions: readonly StateMessage[], eventAt: EventAt): Change[] {
  const out: Change[] = [];
  let last: StateMessage["entity"] | null = null;
  for (const v of byVersion(versions)) {
    const { status, reason, message } = v.entity;
    if (last && last.status === status && last.reason === reason) continue;
    last = v.entity;
    const event = v.applied && eventAt(v.applied.partition, v.applied.offset);
    out.push({ status, reason, message, causes: causeOf(event || undefined, status, reason) });
  }
  return out;
}

const faultCause = (n: Extract<Note, { type: "fail" }>): HistoryCause => ({
  kind: "fault",
  by: "scenario",
  what: `fail ${n.reason} (${n.effect === "now" ? "its running step fails" : "its step fails when it runs"})`,
});

/**
 * The Dyff entries of a timeline with their causes and messages (a fault's part too: an injected
 * failure is a cause of the failure status it led to), as new entries keyed by the old ones.
 *
 * @example
 * ```ts
 * const annotated = dyffCauses(sim.timeline, sim.notes, sim.recorder.stateHistory, sim.backend.events.records());
 * ```
 */
export function dyffCauses(
  timeline: readonly TimelineEntry[],
  notes: readonly Note[],
  stateHistory: ReadonlyMap<string, readonly StateMessage[]>,
  eventRecords: readonly LogRecord<EventMessage>[],
): Map<TimelineEntry, TimelineEntry> {
  const annotated = withCauses(timeline, notes, stateHistory, eventRecords);
  const out = new Map<TimelineEntry, TimelineEntry>();
  for (let i = 0; i < timeline.length; i++)
    if (annotated[i] !== timeline[i]) out.set(timeline[i]!, annotated[i]!);
  return out;
}

/**
 * {@link dyffCauses} as an array beside `timeline`: each Dyff entry's new entry at its index, every
 * other entry as it is.
 *
 * @example
 * ```ts
 * const annotated = withCauses(sim.timeline, sim.notes, sim.recorder.stateHistory, sim.backend.events.records());
 * annotated[0]?.causes; // [{ kind: "command", by: "alice", what: "create" }]
 * ```
 */
export function withCauses(
  timeline: readonly TimelineEntry[],
  notes: readonly Note[],
  stateHistory: ReadonlyMap<string, readonly StateMessage[]>,
  eventRecords: readonly LogRecord<EventMessage>[],
): TimelineEntry[] {
  const eventAt = eventsAt(eventRecords);
  const fails = new Map<string, Extract<Note, { type: "fail" }>[]>();
  for (const n of notes)
    if (n.type === "fail" && n.effect !== "late") {
      const list = fails.get(n.id);
      if (list) list.push(n);
      else fails.set(n.id, [n]);
    }
  /** Each entity's changes, and how many of them the timeline has passed. */
  const pending = new Map<string, { readonly changes: Change[]; next: number }>();
  const out: TimelineEntry[] = [];
  for (const entry of timeline) {
    if (entry.system !== "dyff") {
      out.push(entry);
      continue;
    }
    let held = pending.get(entry.id);
    if (!held) {
      held = { changes: changesOf(stateHistory.get(entry.id) ?? [], eventAt), next: 0 };
      pending.set(entry.id, held);
    }
    // The first change not passed yet with the entry's status and reason; the ones before it are passed.
    const { changes } = held;
    let change: Change | undefined;
    for (let at = held.next; at < changes.length; at++) {
      const c = changes[at]!;
      if (c.status === entry.status && c.reason === entry.reason) {
        change = c;
        held.next = at + 1;
        break;
      }
    }
    const causes: HistoryCause[] = [];
    for (const n of fails.get(entry.id) ?? [])
      if (n.t <= entry.t && n.reason === entry.reason) causes.push(faultCause(n));
    if (change) for (const c of change.causes) causes.push(c);
    out.push({ ...entry, causes, message: change?.message ?? null });
  }
  return out;
}

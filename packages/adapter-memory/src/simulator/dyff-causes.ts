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

/** The status changes of one entity on the state log, each with its causes, in version order. */
function changesOf(versions: readonly StateMessage[], events: ReadonlyMap<string, EventMessage>): Change[] {
  const byVersion = new Map<number, StateMessage>();
  for (const v of versions) byVersion.set(v.version, v);
  const out: Change[] = [];
  let last: { status: string; reason: string | null } | null = null;
  for (const v of [...byVersion.values()].sort((a, b) => a.version - b.version)) {
    const { status, reason, message } = v.entity;
    if (last && last.status === status && last.reason === reason) continue;
    last = { status, reason };
    const event = v.applied && events.get(`${v.applied.partition}:${v.applied.offset}`);
    out.push({ status, reason, message, causes: causeOf(event || undefined, status, reason) });
  }
  return out;
}

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
  const events = new Map<string, EventMessage>();
  for (const r of eventRecords) {
    const e = eventOf(r);
    if (!(e instanceof DecodeError)) events.set(`${r.partition}:${r.offset}`, e);
  }
  const fails = new Map<string, Extract<Note, { type: "fail" }>[]>();
  for (const n of notes)
    if (n.type === "fail" && n.effect !== "late") {
      const list = fails.get(n.id);
      if (list) list.push(n);
      else fails.set(n.id, [n]);
    }
  const pending = new Map<string, Change[]>();
  const out = new Map<TimelineEntry, TimelineEntry>();
  for (const entry of timeline) {
    if (entry.system !== "dyff") continue;
    let changes = pending.get(entry.id);
    if (!changes) pending.set(entry.id, (changes = changesOf(stateHistory.get(entry.id) ?? [], events)));
    const at = changes.findIndex((c) => c.status === entry.status && c.reason === entry.reason);
    const change = at >= 0 ? changes[at] : undefined;
    if (at >= 0) changes.splice(0, at + 1);
    const faults: HistoryCause[] = (fails.get(entry.id) ?? []).flatMap((n) =>
      n.t <= entry.t && n.reason === entry.reason
        ? [
            {
              kind: "fault",
              by: "scenario",
              what: `fail ${n.reason} (${n.effect === "now" ? "its running step fails" : "its step fails when it runs"})`,
            },
          ]
        : [],
    );
    out.set(entry, {
      ...entry,
      causes: [...faults, ...(change?.causes ?? [])],
      message: change?.message ?? null,
    });
  }
  return out;
}

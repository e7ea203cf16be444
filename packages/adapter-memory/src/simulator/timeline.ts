import {
  catalog,
  DecodeError,
  type HistoryCause,
  type HistoryFacts,
  type Phase,
  type ViewDocument,
} from "@phasekit/core";
import { documentStatus } from "./view-status.js";

/**
 * The timeline: every status change as the query view saw it, stamped with the simulated time, and
 * the notes a reader needs beside it (commands accepted or refused, failures injected, crashes).
 *
 * @module
 */

/** One status change in the query view. `t` is in simulated seconds since the start. */
export interface TimelineEntry {
  readonly t: number;
  readonly system: string;
  readonly kind: string;
  readonly id: string;
  readonly status: string;
  readonly reason: string | null;
  /** Why it changed, where the simulator knows (an entity's history shows it; the JSONL record does not). */
  readonly causes?: readonly HistoryCause[];
  /** The status message, where the platform wrote one. */
  readonly message?: string | null;
  /** System-specific facts at the change (Run:ai's allocation, Ray's step stats). */
  readonly facts?: HistoryFacts;
}

/**
 * The common phase of a timeline entry's status, as its kind's machine declares it; `Unknown` for
 * a status no machine has (none of the simulator's own: a test checks every example).
 *
 * @example
 * ```ts
 * phaseOfEntry({ t: 0, system: "ray", kind: "Workflow", id: "w", status: "PENDING", reason: null }); // "Queued"
 * ```
 */
export function phaseOfEntry(e: Pick<TimelineEntry, "system" | "kind" | "status">): Phase {
  const phase = catalog.phase(e.system, e.kind, e.status);
  return phase instanceof DecodeError ? "Unknown" : phase;
}

/** Something that happened besides a status change, for the text timeline and the summary. */
export type Note =
  | {
      readonly t: number;
      readonly type: "command";
      readonly command: "create" | "terminate" | "delete" | "label" | "uploaded";
      readonly id: string;
      /** The account of the token that sent it, or null for a token no account has. */
      readonly by?: string | null;
      /** Null when the command was accepted; else why it was refused: `<code>: <message>` (`Terminal: e1 is already Complete`, `Unauthorized: ...`). */
      readonly refused: string | null;
    }
  | {
      readonly t: number;
      readonly type: "fail";
      readonly id: string;
      readonly reason: string;
      /** `now`: a running step fails now; `armed`: the step fails when it runs; `late`: the work is over. */
      readonly effect: "now" | "armed" | "late";
    }
  | { readonly t: number; readonly type: "crash"; readonly service: string; readonly detail: string }
  | { readonly t: number; readonly type: "pending"; readonly step: string }
  /** What a Run:ai or Ray engine did besides a status change (a preemption, an outage, a refusal). */
  | {
      readonly t: number;
      readonly type: "system";
      readonly system: string;
      readonly id: string;
      readonly text: string;
    };

/** What the watcher last saw of one document (updated in place: one object per id). */
interface Seen {
  version: number;
  status: string;
  reason: string | null;
}

/**
 * Watches the view's documents and reports each (status, reason) change once. Hand it every
 * document (it skips those it has seen at that version) or only what the view accepted since the
 * last call, in the order accepted (the memory view's `onAccepted`): the changes are the same.
 */
export class ViewWatcher {
  private readonly seen = new Map<string, Seen>();

  /** The changes since the last call, in the order of `documents`, stamped `t` (seconds). */
  observe(documents: readonly ViewDocument[], t: number): TimelineEntry[] {
    const changes: TimelineEntry[] = [];
    for (const doc of documents) {
      const before = this.seen.get(doc.id);
      if (before && before.version === doc.version) continue;
      const entity = documentStatus(doc);
      if (before) {
        const same = before.status === entity.status && before.reason === entity.reason;
        before.version = doc.version;
        before.status = entity.status;
        before.reason = entity.reason;
        if (same) continue;
      } else this.seen.set(doc.id, { version: doc.version, status: entity.status, reason: entity.reason });
      changes.push({
        t,
        system: "dyff",
        kind: entity.kind,
        id: doc.id,
        status: entity.status,
        reason: entity.reason,
      });
    }
    return changes;
  }
}

/** The status sequence of each id in a timeline, in order. */
export function sequences(timeline: readonly TimelineEntry[]): Map<string, TimelineEntry[]> {
  const byId = new Map<string, TimelineEntry[]>();
  for (const e of timeline) {
    let list = byId.get(e.id);
    if (!list) byId.set(e.id, (list = []));
    list.push(e);
  }
  return byId;
}

import {
  DecodeError,
  type EntityHistory,
  entityHistory,
  type HistoryChangeInput,
  type HistoryCommand,
  type HistoryNote,
} from "@phasekit/core";
import type { SimulationResult } from "./run.js";
import type { Note, TimelineEntry } from "./timeline.js";

/**
 * An entity's history from a run's result (`phasekit simulate <file> --entity <id>`): its status
 * changes with their causes, the commands sent to it (refused ones with why), and what else the
 * run noted about it (an injected failure, a preemption, an outage), in the order they happened.
 * The same {@link EntityHistory} for every system.
 *
 * @module
 */

/** The entity a note concerns, if any (`-` and a step waiting for a node concern none). */
const noteId = (n: Note): string | null =>
  n.type === "command" || n.type === "fail" || (n.type === "system" && n.id !== "-") ? n.id : null;

/**
 * The ids a run's history can be asked for, in order of first appearance: every entity with a
 * status, and every id a command or a system named (a refused create leaves no status).
 *
 * @example
 * ```ts
 * historyIds(result); // ["m1", "svc1", "d1", "e1", "e2"]
 * ```
 */
export function historyIds(result: Pick<SimulationResult, "journal">): string[] {
  const ids = new Set<string>();
  for (const e of result.journal) {
    const id = "type" in e ? noteId(e as Note) : e.id;
    if (id !== null) ids.add(id);
  }
  return [...ids];
}

/** What a system engine noted, as a history item: a refused command, or a note. */
function systemItem(n: Extract<Note, { type: "system" }>): HistoryCommand | HistoryNote {
  const refused = /^(.+?) refused: (.*)$/.exec(n.text);
  if (refused) return { type: "command", t: n.t, command: refused[1]!, by: null, refused: refused[2]! };
  const fault = /stops|restarts|runs again|preempted/.test(n.text);
  return {
    type: "note",
    t: n.t,
    cause: { kind: fault && !n.text.startsWith("preempted") ? "fault" : "rule", by: n.system, what: n.text },
    text: n.text,
  };
}

/**
 * The history of entity `id` in a run, or a {@link DecodeError} naming the ids the run has (with
 * the nearest one first when one is close).
 *
 * @example
 * ```ts
 * const result = await createSimulator(scenario).run();
 * const h = simulationHistory(result, "e2");
 * if (!(h instanceof DecodeError)) console.log(historyText(h));
 * ```
 */
export function simulationHistory(
  result: Pick<SimulationResult, "timeline" | "journal">,
  id: string,
): EntityHistory | DecodeError {
  const first =
    result.timeline.find((e) => e.id === id) ??
    result.journal
      .filter((e): e is Note => "type" in e)
      .flatMap((n) =>
        noteId(n) === id ? [{ system: n.type === "system" ? n.system : "dyff", kind: "-" }] : [],
      )[0];
  if (!first) {
    const ids = historyIds(result);
    const shown =
      ids.length > 20 ? `${ids.slice(0, 20).join(", ")} ... (${ids.length} in all)` : ids.join(", ");
    const near = nearest(id, ids);
    return new DecodeError("--entity", [
      {
        path: "entity",
        value: id,
        expected: `an id of this run${near === null ? "" : ` (did you mean ${near}?)`}: ${shown || "none"}`,
      },
    ]);
  }
  const items: (HistoryChangeInput | HistoryCommand | HistoryNote)[] = [];
  const workflow = first.system === "ray" && first.kind === "Workflow";
  for (const e of result.journal) {
    if (!("type" in e)) {
      const entry = e as TimelineEntry;
      if (entry.id !== id) continue;
      items.push({
        type: "status",
        t: entry.t,
        status: entry.status,
        reason: entry.reason,
        causes: entry.causes ?? [],
        message: entry.message ?? null,
        facts: entry.facts ?? {},
      });
      continue;
    }
    const n = e as Note;
    if (n.type === "command" && n.id === id)
      items.push({ type: "command", t: n.t, command: n.command, by: n.by ?? null, refused: n.refused });
    else if (n.type === "fail" && n.id === id)
      items.push({
        type: "note",
        t: n.t,
        cause: { kind: "fault", by: "scenario", what: `fail ${n.reason}` },
        text: `fails (${n.reason}): ${{ now: "its running step fails now", armed: "its step will fail when it runs", late: "too late, that work is over" }[n.effect]}`,
      });
    else if (n.type === "system" && (n.id === id || n.id === "-" || (workflow && n.id.startsWith(`${id}/`))))
      items.push(systemItem(n));
  }
  return entityHistory({ system: first.system, kind: first.kind, id, items });
}

/**
 * An entity's history as JSONL: first `{"record":"entity","version":1,"system","kind","id","final"}`,
 * then one `{"record":"history","version":1,"id",...item}` per item in order (`type`: `status`,
 * `command` or `note`; the fields of {@link EntityHistory}'s items, docs/simulator.md).
 *
 * @example
 * ```ts
 * process.stdout.write(historyJsonl(simulationHistory(result, "e2") as EntityHistory));
 * ```
 */
export function historyJsonl(h: EntityHistory): string {
  const version = 1;
  const lines = [
    JSON.stringify({ record: "entity", version, system: h.system, kind: h.kind, id: h.id, final: h.final }),
    ...h.items.map((item) => JSON.stringify({ record: "history", version, id: h.id, ...item })),
  ];
  return `${lines.join("\n")}\n`;
}

/** The id nearest to `wanted` by edit distance, when it is near enough to be a typo. */
function nearest(wanted: string, ids: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const id of ids) {
    const d = distance(wanted, id);
    if (d < bestDistance) [best, bestDistance] = [id, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

import { formatDuration } from "./duration.js";
import type { SimulationResult } from "./run.js";
import { type Note, phaseOfEntry, type TimelineEntry } from "./timeline.js";

/**
 * The two outputs of `phasekit simulate`: `jsonl`, one record per line (status changes and notes,
 * then the invariants and a summary), and `text`, a timeline a person reads, with the final table and the
 * invariants. Both are functions of the result alone, so the same run prints the same bytes.
 *
 * @module
 */

const statusText = (status: string, reason: string | null) =>
  reason === null ? status : `${status}/${reason}`;
const time = (t: number) => formatDuration(Math.round(t * 1000));

/**
 * The summary line's object: final statuses, commands, failures, fault counts, invariants' verdict.
 *
 * @example
 * ```ts
 * summary(result).refused; // [{ t: 180, command: "terminate", id: "e1", error: "Unauthorized: ..." }]
 * ```
 */
export function summary(result: SimulationResult) {
  const refused = result.notes.flatMap((n) =>
    n.type === "command" && n.refused !== null
      ? [{ t: n.t, command: n.command, id: n.id, error: n.refused }]
      : [],
  );
  const failures = result.notes.flatMap((n) =>
    n.type === "fail" ? [{ t: n.t, id: n.id, reason: n.reason, effect: n.effect }] : [],
  );
  return {
    seed: result.seed,
    until: result.until,
    end: result.end,
    held: result.held,
    final: result.final.map(({ system, kind, id, status, reason }) => ({
      system,
      kind,
      id,
      status,
      reason,
      phase: phaseOfEntry({ system, kind, status }),
    })),
    commands: result.stats.commands,
    refused,
    failures,
    stats: result.stats,
    ...(result.systems?.ray && { ray: { metadata: result.systems.ray.allMetadata() } }),
    ...(result.systems?.wallarooTasks && { wallarooTasks: result.systems.wallarooTasks.summary() }),
  };
}

/** The version of the JSONL records; it changes only when a record's meaning or a field's does. */
export const jsonlVersion = 1;

/**
 * One JSON record per line, each opening with `"record"` (what it is) and `"version"`
 * ({@link jsonlVersion}): in simulated time order, every status change as the view saw it
 * (`{"record":"status","version":1,"t","system","kind","id","status","reason","phase"}`, `phase`
 * the status's common phase) and every note
 * (`{"record":"note","version":1,"t","type":"command"|"fail"|"crash"|"pending"|"system",...}`:
 * commands accepted or refused, injected failures, crashes, steps waiting for a node); then one
 * `{"record":"invariant","version":1,"name","held","detail"}` per invariant checked; last
 * `{"record":"summary","version":1,"summary":{...}}`. `docs/simulator.md` documents every field.
 *
 * @example
 * ```ts
 * process.stdout.write(renderJsonl(runScenario(scenario)));
 * ```
 */
export function renderJsonl(result: SimulationResult): string {
  const version = jsonlVersion;
  const lines = result.journal.map((e) => {
    if ("type" in e) {
      const { t, type, ...fields } = e;
      return JSON.stringify({ record: "note", version, t, type, ...fields });
    }
    const { t, system, kind, id, status, reason } = e as TimelineEntry;
    const phase = phaseOfEntry({ system, kind, status });
    return JSON.stringify({ record: "status", version, t, system, kind, id, status, reason, phase });
  });
  for (const { name, held, detail } of result.invariants)
    lines.push(JSON.stringify({ record: "invariant", version, name, held, detail }));
  lines.push(JSON.stringify({ record: "summary", version, summary: summary(result) }));
  return `${lines.join("\n")}\n`;
}

function noteText(n: Note): string {
  switch (n.type) {
    case "command":
      return n.refused === null ? `> ${n.command} ${n.id}` : `x ${n.command} ${n.id} refused: ${n.refused}`;
    case "fail":
      return `! ${n.id} fails (${n.reason}): ${
        {
          now: "its running step fails now",
          armed: "its step will fail when it runs",
          late: "too late, that work is over",
        }[n.effect]
      }`;
    case "crash":
      return `~ ${n.service} crashed and restarted (${n.detail})`;
    case "pending":
      return `. step ${n.step} waits for room on a node`;
    case "system":
      return `* ${n.system}: ${n.id === "-" ? "" : `${n.id} `}${n.text}`;
  }
}

const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - s.length));
const padStart = (s: string, n: number) => " ".repeat(Math.max(0, n - s.length)) + s;

/**
 * The timeline as text: one line per status change (`kind id status/reason [phase]`) or note (`>` a command,
 * `x` a refused one, `!` an injected failure, `~` a crash, `.` a step waiting for a node), then the
 * final statuses and the invariants.
 *
 * @example
 * ```ts
 * process.stdout.write(renderText(runScenario(scenario), "examples/quota-wait.yaml"));
 * ```
 */
export function renderText(result: SimulationResult, title: string): string {
  const entries = result.journal;
  const kindWidth = Math.max(4, ...result.final.map((f) => f.kind.length));
  const idWidth = Math.max(2, ...result.final.map((f) => f.id.length));
  const timeWidth = Math.max(4, ...entries.map((e) => time(e.t).length));
  const statusWidth = Math.max(0, ...result.timeline.map((e) => statusText(e.status, e.reason).length));
  const out: string[] = [`${title} (seed ${result.seed})`, ""];
  for (const e of entries) {
    const text =
      "type" in e
        ? noteText(e)
        : `${pad((e as TimelineEntry).kind, kindWidth)}  ${pad(e.id, idWidth)}  ${pad(statusText(e.status, e.reason), statusWidth)}  [${phaseOfEntry(e as TimelineEntry)}]`;
    out.push(`${padStart(time(e.t), timeWidth)}  ${text}`);
  }
  out.push("", `Final statuses at ${time(result.end)}:`);
  const rows = [
    ["KIND", "ID", "STATUS", "REASON", "PHASE"],
    ...result.final.map((f) => [f.kind, f.id, f.status, f.reason ?? "-", phaseOfEntry(f)]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    out.push(`  ${r.map((cell, c) => (c < 4 ? pad(cell, widths[c]!) : cell)).join("  ")}`);
  const s = result.stats;
  out.push(
    "",
    `Commands: ${s.commands.accepted} accepted, ${s.commands.refused} refused. Faults: ${s.redelivered} records delivered again, ${s.crashes} crashes.`,
    "",
    "Invariants:",
  );
  for (const i of result.invariants)
    out.push(`  ${i.held ? "held  " : "BROKEN"}  ${i.name}${i.detail ? `: ${i.detail}` : ""}`);
  return `${out.join("\n")}\n`;
}

import { formatDuration } from "./duration.js";
import type { SimulationResult } from "./run.js";
import type { Note, TimelineEntry } from "./timeline.js";

/**
 * The two outputs of `phasekit simulate`: `jsonl`, one line per status change as the query view saw
 * it then one summary line, and `text`, a timeline a person reads, with the final table and the
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
    final: result.final.map(({ system, kind, id, status, reason }) => ({ system, kind, id, status, reason })),
    commands: result.stats.commands,
    refused,
    failures,
    stats: result.stats,
    ...(result.systems?.ray && { ray: { metadata: result.systems.ray.allMetadata() } }),
    ...(result.systems?.wallarooTasks && { wallarooTasks: result.systems.wallarooTasks.summary() }),
  };
}

/**
 * One JSON object per line: each status change `{"t", "system", "kind", "id", "status", "reason"}`,
 * then `{"summary": {...}, "invariants": [...]}`.
 *
 * @example
 * ```ts
 * process.stdout.write(renderJsonl(runScenario(scenario)));
 * ```
 */
export function renderJsonl(result: SimulationResult): string {
  const lines = result.timeline.map(({ t, system, kind, id, status, reason }) =>
    JSON.stringify({ t, system, kind, id, status, reason }),
  );
  const invariants = result.invariants.map(({ name, held, detail }) => ({ name, held, detail }));
  lines.push(JSON.stringify({ summary: summary(result), invariants }));
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
 * The timeline as text: one line per status change (`kind id status/reason`) or note (`>` a command,
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
  const out: string[] = [`${title} (seed ${result.seed})`, ""];
  for (const e of entries) {
    const text =
      "type" in e
        ? noteText(e)
        : `${pad((e as TimelineEntry).kind, kindWidth)}  ${pad(e.id, idWidth)}  ${statusText(e.status, e.reason)}`;
    out.push(`${padStart(time(e.t), timeWidth)}  ${text}`);
  }
  out.push("", `Final statuses at ${time(result.end)}:`);
  const rows = [
    ["KIND", "ID", "STATUS", "REASON"],
    ...result.final.map((f) => [f.kind, f.id, f.status, f.reason ?? "-"]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    out.push(`  ${r.map((cell, c) => (c < 3 ? pad(cell, widths[c]!) : cell)).join("  ")}`);
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

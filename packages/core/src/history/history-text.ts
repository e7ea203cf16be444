import type { EntityHistory, HistoryCause, HistoryFacts, HistoryItem } from "./entity-history.js";

/** A number of simulated seconds as `1h2m3s` (`0s` for zero). */
function duration(t: number): string {
  let ms = Math.round(t * 1000);
  if (ms === 0) return "0s";
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
  ] as const) {
    if (ms >= size) {
      parts.push(`${Math.floor(ms / size)}${unit}`);
      ms %= size;
    }
  }
  if (ms > 0) parts.push(ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);
  return parts.join("");
}

const causeText = (c: HistoryCause) => `${c.kind}${c.by === null ? "" : ` ${c.by}`}: ${c.what}`;
const factsText = (f: HistoryFacts) =>
  Object.entries(f)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
const leaf = (status: string, reason: string | null) => (reason === null ? status : `${status}/${reason}`);

function row(item: HistoryItem): [string, string, string, string, string] {
  switch (item.type) {
    case "status": {
      const said = item.message !== null && !item.causes.some((c) => c.what === item.message);
      const why = [...item.causes.map(causeText), ...(said ? [`message: ${item.message}`] : [])];
      const facts = factsText(item.facts);
      return [
        "Status",
        `${leaf(item.status, item.reason)} [${item.phase}]`,
        item.event ?? "-",
        item.from === null ? "-" : leaf(item.from.status, item.from.reason),
        [...why, ...(facts ? [facts] : [])].join("; ") || "-",
      ];
    }
    case "command":
      return [
        item.refused === null ? "Command" : "Refused",
        item.command,
        "-",
        "-",
        `${item.by === null ? "unknown sender" : `by ${item.by}`}${item.refused === null ? "" : `: ${item.refused}`}`,
      ];
    case "note":
      return [
        "Note",
        item.text,
        "-",
        "-",
        item.cause.what === item.text
          ? `${item.cause.kind}${item.cause.by === null ? "" : ` ${item.cause.by}`}`
          : causeText(item.cause),
      ];
  }
}

/**
 * An entity's history as text, the way `kubectl describe` prints an object's Events: who it is,
 * its last status and phase, then one row per item (`Status` a change, with the event that took it
 * there, where it came from and why; `Command` or `Refused` a command and who sent it; `Note`
 * anything else that happened to it).
 *
 * @example
 * ```ts
 * import { entityHistory, historyText } from "@phasekit/core";
 * historyText(entityHistory({ system: "ray", kind: "Workflow", id: "w", items: [] }));
 * // "Name:    w\nSystem:  ray\nKind:    Workflow\nStatus:  <none>\nEvents:  <none>\n"
 * ```
 */
export function historyText(h: EntityHistory): string {
  const out = [
    `Name:    ${h.id}`,
    `System:  ${h.system}`,
    `Kind:    ${h.kind}`,
    `Status:  ${h.final === null ? "<none>" : `${leaf(h.final.status, h.final.reason)} (phase ${h.final.phase})`}`,
  ];
  if (h.items.length === 0) return `${[...out, "Events:  <none>"].join("\n")}\n`;
  out.push("Events:");
  const rows = [
    ["TIME", "TYPE", "WHAT", "EVENT", "FROM", "WHY"],
    ...h.items.map((i) => [duration(i.t), ...row(i)]),
  ];
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    out.push(`  ${r.map((cell, c) => (c < 5 ? cell.padEnd(widths[c]!) : cell)).join("  ")}`.trimEnd());
  return `${out.join("\n")}\n`;
}

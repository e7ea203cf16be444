import type { Lifecycle } from "../lifecycle/lifecycle.js";
import type { StatusSpec } from "../lifecycle/spec.js";
import { statusTransitions } from "./json.js";

/** Mermaid's state ids cannot hold `:` or `/`; Run:ai's `Init:Error` becomes `Init_Error` with its label kept. */
const id = (status: string) => status.replace(/[^A-Za-z0-9_]/g, "_");
/** Mermaid reads `<...>` in a label as HTML; its entity codes keep `Init:<done>/<total>` visible. */
const label = (status: string) => status.replace(/</g, "#lt;").replace(/>/g, "#gt;");

/**
 * A Mermaid `stateDiagram-v2` of a lifecycle's statuses; edges carry their events, terminal statuses
 * get a thick border (as in Dyff's own diagram).
 */
export function mermaid(lc: Lifecycle): string {
  const lines = ["stateDiagram-v2"];
  for (const name of Object.keys(lc.spec.statuses)) {
    if (id(name) !== name) lines.push(`  state "${label(name)}" as ${id(name)}`);
  }
  lines.push(`  [*] --> ${id(lc.spec.initial.status)}`);
  const grouped = new Map<string, string[]>();
  for (const t of statusTransitions(lc)) {
    const key = `${id(t.from)} --> ${id(t.to)}`;
    const events = grouped.get(key) ?? [];
    if (!events.includes(t.event)) events.push(t.event);
    grouped.set(key, events);
  }
  for (const [edge, events] of grouped) lines.push(`  ${edge}: ${events.join(", ")}`);
  const terminal = (Object.entries(lc.spec.statuses) as [string, StatusSpec][]).filter(
    ([, st]) => st.terminal,
  );
  if (terminal.length > 0) {
    lines.push("  classDef terminal stroke-width:3px");
    lines.push(`  class ${terminal.map(([n]) => id(n)).join(",")} terminal`);
  }
  return lines.join("\n");
}

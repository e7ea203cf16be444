import { DecodeError, type DecodeIssue, formatPath } from "@phasekit/core";
import { decodeItems } from "../fields.js";
import {
  checkWallarooTasks,
  isWallarooTasksItem,
  type WallarooTasksScenario,
  wallarooOrchestrationResource,
  wallarooTaskEvent,
  wallarooTaskResource,
} from "./scenario.js";

/**
 * Decodes the Wallaroo tasks part of a scenario: the Orchestration and Task resources and the kill
 * events (`system: wallaroo`). Its engine runs as an actor of the one loop, on its own or beside the
 * other systems (`systems/run.ts`).
 *
 * @module
 */

const kindOf = (v: unknown) => (v as { kind?: unknown }).kind;

/**
 * Decodes the Wallaroo tasks items of a scenario's `resources` and `events` (every other item is
 * left alone), or a {@link DecodeError} naming each problem at its path in the file. Without
 * `until`, every scheduled or continuous task must be killed.
 *
 * @example
 * ```ts
 * const part = decodeWallarooTasks({ resources: [{ system: "wallaroo", kind: "Orchestration", id: "o", files: { "main.py": "" } }] });
 * ```
 */
export function decodeWallarooTasks(
  input: { readonly resources?: unknown; readonly events?: unknown; readonly until?: unknown },
  subject = "scenario",
): WallarooTasksScenario | DecodeError {
  const issues: DecodeIssue[] = [];
  const item = (kind: string | null) => (v: unknown) =>
    isWallarooTasksItem(v) && (kind === null || kindOf(v) === kind);
  const orchestrations = decodeItems(
    input.resources,
    "resources",
    wallarooOrchestrationResource,
    item("Orchestration"),
    subject,
    issues,
  );
  const tasks = decodeItems(
    input.resources,
    "resources",
    wallarooTaskResource,
    item("Task"),
    subject,
    issues,
  );
  const events = decodeItems(input.events, "events", wallarooTaskEvent, item(null), subject, issues);
  const declared = { orchestrations: new Set<string>(), tasks: new Set<string>() };
  if (Array.isArray(input.resources))
    for (const r of input.resources)
      if (isWallarooTasksItem(r) && typeof r.id === "string")
        (r.kind === "Task" ? declared.tasks : declared.orchestrations).add(r.id);
  for (const i of checkWallarooTasks(
    orchestrations.map((o) => ({ path: o.path, spec: o.value })),
    tasks.map((t) => ({ path: t.path, spec: t.value })),
    events.map((e) => ({ path: e.path, event: e.value })),
    declared,
    input.until !== undefined,
  ))
    issues.push({ path: formatPath(i.path), value: i.input, expected: i.message });
  if (issues.length > 0) return new DecodeError(subject, issues);
  return {
    orchestrations: orchestrations.map((o) => o.value),
    zipPaths: Object.fromEntries(
      orchestrations
        .filter((o) => o.value.zip !== undefined)
        .map((o) => [o.value.id, formatPath([...o.path, "zip"])]),
    ),
    tasks: tasks.map((t) => t.value),
    events: events.map((e) => e.value),
  };
}

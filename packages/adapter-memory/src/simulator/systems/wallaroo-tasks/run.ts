import { DecodeError, type DecodeIssue, decode, formatPath } from "@phasekit/core";
import type { z } from "zod";
import type { FinalStatus, InvariantResult } from "../../invariants.js";
import type { TimelineEntry } from "../../timeline.js";
import type { SystemNote } from "../fields.js";
import { finalOf, systemsHorizon } from "../run.js";
import { WallarooTasksEngine } from "./engine.js";
import { wallarooTasksInvariants } from "./invariants.js";
import {
  checkWallarooTasks,
  isWallarooTasksItem,
  type WallarooOrchestrationSpec,
  type WallarooTaskScenarioEvent,
  type WallarooTaskSpec,
  wallarooOrchestrationResource,
  wallarooTaskEvent,
  wallarooTaskResource,
} from "./scenario.js";

/**
 * Decodes and runs the Wallaroo tasks part of a scenario: the Orchestration and Task resources and
 * the kill events (`system: wallaroo`), on their own or beside the other systems (`systems/run.ts`
 * gathers them).
 *
 * @module
 */

/** The Wallaroo tasks part of a decoded scenario. */
export interface WallarooTasksScenario {
  readonly orchestrations: readonly WallarooOrchestrationSpec[];
  readonly tasks: readonly WallarooTaskSpec[];
  readonly events: readonly WallarooTaskScenarioEvent[];
  /** Where each orchestration with a `zip` sits in the file (`resources[2].zip`), to name it when it cannot be read. */
  readonly zipPaths: Readonly<Record<string, string>>;
}

/** What a run produced, in the simulator's terms. */
export interface WallarooTasksResult {
  readonly timeline: readonly TimelineEntry[];
  readonly notes: readonly SystemNote[];
  readonly final: readonly FinalStatus[];
  readonly invariants: readonly InvariantResult[];
  /** Milliseconds: when the engine stopped. */
  readonly end: number;
  readonly engine: WallarooTasksEngine;
}

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
  const decodeList = <S extends z.ZodType>(
    list: unknown,
    key: string,
    schema: S,
    want: (v: unknown) => boolean,
  ) => {
    const out: { path: PropertyKey[]; value: z.output<S> }[] = [];
    if (!Array.isArray(list)) return out;
    list.forEach((item, index) => {
      if (!isWallarooTasksItem(item) || !want(item)) return;
      const decoded = decode(schema, item, subject);
      if (decoded instanceof DecodeError)
        issues.push(
          ...decoded.issues.map((i) => ({
            ...i,
            path: `${key}[${index}]${i.path === "$" ? "" : i.path.startsWith("[") ? i.path : `.${i.path}`}`,
          })),
        );
      else out.push({ path: [key, index], value: decoded });
    });
    return out;
  };
  const orchestrations = decodeList(
    input.resources,
    "resources",
    wallarooOrchestrationResource,
    (v) => kindOf(v) === "Orchestration",
  );
  const tasks = decodeList(input.resources, "resources", wallarooTaskResource, (v) => kindOf(v) === "Task");
  const events = decodeList(input.events, "events", wallarooTaskEvent, () => true);
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

/**
 * Runs the orchestrations and tasks to `until` (milliseconds) or, without it, until nothing is left
 * to happen. Deterministic: the same scenario gives the same result (the engine draws no random number).
 *
 * @example
 * ```ts
 * const r = runWallarooTasks(part, 3_600_000);
 * r.engine.lastRunStatus("nightly"); // "success"
 * ```
 */
export function runWallarooTasks(scenario: WallarooTasksScenario, until?: number): WallarooTasksResult {
  const engine = new WallarooTasksEngine();
  engine.plan(scenario.orchestrations, scenario.tasks, scenario.events);
  if (until !== undefined) engine.advanceTo(until);
  else
    for (let next = engine.nextDue(); next !== undefined && next <= systemsHorizon; next = engine.nextDue())
      engine.advanceTo(next);
  const timeline = [...engine.timeline].sort((a, b) => a.t - b.t);
  return {
    timeline,
    notes: [...engine.notes].sort((a, b) => a.t - b.t),
    final: finalOf(timeline),
    invariants: wallarooTasksInvariants(engine),
    end: engine.now,
    engine,
  };
}

import {
  DecodeError,
  parseWallarooCron,
  type WallarooTaskState,
  wallarooCronMatches,
  wallarooOrchestration,
  wallarooTask,
  wallarooTaskRun,
} from "@phasekit/core";
import type { InvariantResult } from "../../invariants.js";
import type { TimelineEntry } from "../../timeline.js";
import { isoAt, invariant as result } from "../fields.js";
import { machinePaths } from "../paths.js";

/**
 * Wallaroo task invariants (issue 6): a killed task starts no run afterwards and keeps no logs; a
 * continuous task never has two runs at once; a Run Once task makes at most one run; a scheduled
 * task runs at every cron match until killed; every status sequence is a path of its machine.
 * `checkWallarooTaskState` runs after every change of a task; the rest at the end of a run.
 *
 * @module
 */

/** When a task's kill was issued (ms since the start) and how many runs it had then. */
export interface WallarooKill {
  readonly at: number;
  readonly runs: number;
}

/**
 * What is wrong with a task's state now: a run started after its kill, logs kept once killed, two
 * continuous runs at once, a second run of a Run Once task.
 *
 * @example
 * ```ts
 * checkWallarooTaskState(state, undefined); // [] when all is well
 * ```
 */
export function checkWallarooTaskState(state: WallarooTaskState, kill: WallarooKill | undefined): string[] {
  const { task, runs } = state;
  const problems: string[] = [];
  if (kill && runs.length > kill.runs)
    problems.push(`${task.id} started ${runs.length - kill.runs} run(s) after its kill`);
  if (task.status === "killed")
    for (const r of runs)
      if (r.logs.length > 0 || !r.logsDeleted)
        problems.push(`${r.id} keeps logs after ${task.id} was killed`);
  if (task.type === "continuous" && runs.filter((r) => r.status === "running").length > 1)
    problems.push(`${task.id} (continuous) has two runs at once`);
  if (task.type === "once" && runs.length > 1)
    problems.push(`${task.id} (run once) made ${runs.length} runs`);
  return problems;
}

/**
 * The spans (seconds) in which a task was pausing or paused: from pending_pause to started again
 * (the experimental pause, wallaroo 2026.1.3), from the timeline.
 */
function pausedSpans(timeline: readonly TimelineEntry[], id: string): [number, number][] {
  const spans: [number, number][] = [];
  let from: number | null = null;
  for (const e of timeline)
    if (e.kind === "Task" && e.id === id) {
      if (e.status === "pending_pause" && from === null) from = e.t;
      else if (e.status === "started" && from !== null) {
        spans.push([from, e.t]);
        from = null;
      }
    }
  if (from !== null) spans.push([from, Number.POSITIVE_INFINITY]);
  return spans;
}

/**
 * The runs of a scheduled task are exactly its cron matches after its creation, up to its kill or
 * `end`, less those while it was pausing or paused (a match at the instant of the pause may start).
 */
function scheduledMatches(
  state: WallarooTaskState,
  kill: WallarooKill | undefined,
  endIso: string,
  paused: readonly [number, number][] = [],
): string[] {
  const { task, runs } = state;
  if (task.type !== "scheduled" || task.schedule === null) return [];
  const cron = parseWallarooCron(task.schedule);
  if (cron instanceof DecodeError) return [`${task.id}: schedule ${task.schedule} does not parse`];
  let expected = wallarooCronMatches(cron, task.createdAt, kill ? isoAt(kill.at) : endIso, 1_000_000);
  const got = runs.map((r) => r.scheduledAt ?? "none");
  // A match at the very instant of the kill starts only if it was planned before the kill came.
  if (kill && expected.at(-1) === isoAt(kill.at) && !got.includes(isoAt(kill.at))) expected.pop();
  const secondsOf = (iso: string) => (Date.parse(iso) - Date.parse(isoAt(0))) / 1000;
  const skipped = (m: string) =>
    paused.some(
      ([a, b]) => secondsOf(m) >= a && secondsOf(m) <= b && !(secondsOf(m) === a && got.includes(m)),
    );
  expected = expected.filter((m) => !skipped(m));
  if (got.length === expected.length && got.every((s, i) => s === expected[i])) return [];
  const missing = expected.filter((m) => !got.includes(m));
  const extra = got.filter((m) => !expected.includes(m));
  return [
    `${task.id}: ${got.length} runs for ${expected.length} cron matches (missing ${missing.slice(0, 3).join(", ") || "none"}; extra ${extra.slice(0, 3).join(", ") || "none"})`,
  ];
}

/** Continuous runs never overlap: each run starts after the one before ended. */
function overlaps(state: WallarooTaskState): string[] {
  if (state.task.type !== "continuous") return [];
  const runs = [...state.runs].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const problems: string[] = [];
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1]!;
    const end = prev.status === "running" ? Number.POSITIVE_INFINITY : Date.parse(prev.updatedAt);
    if (Date.parse(runs[i]!.createdAt) < end) problems.push(`${runs[i]!.id} started while ${prev.id} ran`);
  }
  return problems;
}

const machines = {
  Orchestration: wallarooOrchestration,
  Task: wallarooTask,
  TaskRun: wallarooTaskRun,
} as const;

/** Wallaroo task invariants at the end of a run, from the engine's state, breaches, errors and timeline. */
export function wallarooTasksInvariants(run: {
  readonly tasks: ReadonlyMap<string, WallarooTaskState>;
  readonly kills: ReadonlyMap<string, WallarooKill>;
  readonly breaches: readonly string[];
  readonly errors: readonly string[];
  readonly timeline: readonly TimelineEntry[];
  readonly now: number;
}): InvariantResult[] {
  const states = [...run.tasks.values()];
  const end = [...states.flatMap((s) => checkWallarooTaskState(s, run.kills.get(s.task.id)))];
  const breaches = [...new Set([...run.breaches, ...end])];
  const of = (what: string) => breaches.filter((b) => b.includes(what));
  const entries = run.timeline.filter((e) => e.system === "wallaroo" && e.kind in machines);
  return [
    result("wallaroo: a killed task starts no run afterwards and keeps no logs", [
      ...of("after its kill"),
      ...of("keeps logs"),
    ]),
    result("wallaroo: a continuous task never has two runs at once", [
      ...of("two runs at once"),
      ...states.flatMap(overlaps),
    ]),
    result("wallaroo: a Run Once task makes at most one run", of("(run once)")),
    result(
      "wallaroo: a scheduled task runs at every cron match until killed",
      states.flatMap((s) =>
        scheduledMatches(s, run.kills.get(s.task.id), isoAt(run.now), pausedSpans(run.timeline, s.task.id)),
      ),
    ),
    result(
      "wallaroo: every orchestration, task and task run status sequence is a path of its machine",
      machinePaths(entries, (e) => machines[e.kind as keyof typeof machines]),
    ),
    result("wallaroo: every task operation was accepted where it had to be", run.errors),
  ];
}

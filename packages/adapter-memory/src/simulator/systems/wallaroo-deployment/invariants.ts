import { type Lifecycle, wallarooDeployment, wallarooTaskRun } from "@phasekit/core";
import type { InvariantResult } from "../../invariants.js";
import { invariant } from "../fields.js";
import { machinePaths } from "../paths.js";
import type { WallarooDeploymentEngine } from "./engine.js";

/**
 * The Wallaroo deployment invariants (issue 10), checked on a finished run: every Deployment and
 * TaskRun status sequence is a path of its machine; no inference is served without a ready replica;
 * every inference requested while Running is served at once; replicas stay within the
 * configuration's bounds.
 *
 * @module
 */

const lifecycleOf = (kind: string): Lifecycle | undefined =>
  kind === "Deployment" ? wallarooDeployment : kind === "TaskRun" ? wallarooTaskRun : undefined;

/**
 * What went wrong with inferences and replicas in an engine's change log (empty when all held).
 *
 * @example
 * ```ts
 * servingProblems(engine); // { inferences: [], replicas: [] }
 * ```
 */
export function servingProblems(engine: WallarooDeploymentEngine): {
  inferences: string[];
  replicas: string[];
} {
  const inferences: string[] = [];
  const replicas: string[] = [];
  const ready = new Map<string, number>();
  const status = new Map<string, string>();
  for (const { id, change } of engine.log) {
    const at = `${id} at ${change.t / 1000}s`;
    if (change.type === "status") status.set(id, change.status);
    else if (change.type === "replicas") {
      ready.set(id, change.ready);
      const { minimum, maximum } = engine.specs.get(id)!.config;
      if (change.replicas > maximum)
        replicas.push(`${at}: ${change.replicas} replicas, above maximum ${maximum}`);
      if (status.get(id) === "Running" && change.replicas < Math.max(minimum, 1))
        replicas.push(`${at}: Running with ${change.replicas} replicas, below max(minimum, 1)`);
    } else if (change.ok && ((ready.get(id) ?? 0) === 0 || status.get(id) !== "Running"))
      inferences.push(`${at}: ${change.request} was served without a ready replica`);
    else if (!change.ok && engine.requestedWhile.get(change.request) === "Running")
      inferences.push(`${at}: ${change.request} was requested while Running but failed (${change.error})`);
    else if (change.ok && engine.requestedWhile.get(change.request) === "Running" && change.waitedMs > 0)
      inferences.push(
        `${at}: ${change.request} was requested while Running but waited ${change.waitedMs} ms`,
      );
  }
  return { inferences, replicas };
}

/**
 * The invariants of a finished run, in the simulator's terms.
 *
 * @example
 * ```ts
 * wallarooDeploymentInvariants(engine).every((i) => i.held); // true when all held
 * ```
 */
export function wallarooDeploymentInvariants(engine: WallarooDeploymentEngine): InvariantResult[] {
  const { inferences, replicas } = servingProblems(engine);
  return [
    invariant(
      "Wallaroo Deployment and TaskRun status sequences are paths of their machines",
      machinePaths(engine.timeline, (e) => lifecycleOf(e.kind)),
    ),
    invariant(
      "no Wallaroo inference is served without a ready replica; every one requested while Running is served at once",
      inferences,
    ),
    invariant(
      "Wallaroo replicas stay within [max(minimum, 1), maximum] while Running, never above maximum",
      replicas,
    ),
  ];
}

import { DecodeError, type DecodeIssue, decode, formatPath } from "@phasekit/core";
import type { FinalStatus, InvariantResult } from "../../invariants.js";
import type { TimelineEntry } from "../../timeline.js";
import { finalOf, systemsHorizon } from "../run.js";
import { WallarooDeploymentEngine, type WallarooNote } from "./engine.js";
import { wallarooDeploymentInvariants } from "./invariants.js";
import {
  checkWallarooDeployments,
  type WallarooDeploymentScenarioEvent,
  type WallarooDeploymentSpec,
  wallarooDeploymentEvent,
  wallarooDeploymentResource,
} from "./scenario.js";

/**
 * Decodes and runs the Wallaroo deployment part of a scenario: the resources and events with
 * `system: wallaroo`, on their own or beside the other systems (`systems/run.ts` gathers them).
 *
 * @module
 */

/** The Wallaroo deployment part of a decoded scenario. */
export interface WallarooDeploymentsScenario {
  readonly deployments: readonly WallarooDeploymentSpec[];
  readonly events: readonly WallarooDeploymentScenarioEvent[];
}

/** What a run produced, in the simulator's terms. */
export interface WallarooDeploymentsResult {
  readonly timeline: readonly TimelineEntry[];
  readonly notes: readonly WallarooNote[];
  readonly final: readonly FinalStatus[];
  readonly invariants: readonly InvariantResult[];
  /** Milliseconds: when the engine stopped. */
  readonly end: number;
  readonly engine: WallarooDeploymentEngine;
}

const isWallaroo = (v: unknown): v is { system: "wallaroo"; id?: unknown } =>
  typeof v === "object" && v !== null && (v as { system?: unknown }).system === "wallaroo";

/**
 * Decodes the `system: wallaroo` entries of a scenario's `resources` and `events` (the others are
 * left alone), or a {@link DecodeError} naming each problem at its path in the file.
 *
 * @example
 * ```ts
 * const part = decodeWallarooDeployments({ resources: [{ system: "wallaroo", kind: "Deployment", id: "p", config: { maximum: 5 } }] });
 * ```
 */
export function decodeWallarooDeployments(
  input: { readonly resources?: unknown; readonly events?: unknown },
  subject = "scenario",
): WallarooDeploymentsScenario | DecodeError {
  const issues: DecodeIssue[] = [];
  const decodeList = <T>(list: unknown, key: string, schema: Parameters<typeof decode>[0]) => {
    const out: { path: PropertyKey[]; value: T }[] = [];
    if (!Array.isArray(list)) return out;
    list.forEach((item, index) => {
      if (!isWallaroo(item)) return;
      const decoded = decode(schema, item, subject);
      if (decoded instanceof DecodeError)
        issues.push(
          ...decoded.issues.map((i) => ({
            ...i,
            path: `${key}[${index}]${i.path === "$" ? "" : `.${i.path}`}`,
          })),
        );
      else out.push({ path: [key, index], value: decoded as T });
    });
    return out;
  };
  const deployments = decodeList<WallarooDeploymentSpec>(
    input.resources,
    "resources",
    wallarooDeploymentResource,
  );
  const events = decodeList<WallarooDeploymentScenarioEvent>(input.events, "events", wallarooDeploymentEvent);
  const declared = new Set<string>();
  if (Array.isArray(input.resources))
    for (const r of input.resources) if (isWallaroo(r) && typeof r.id === "string") declared.add(r.id);
  for (const i of checkWallarooDeployments(
    deployments.map((d) => ({ path: d.path, deployment: d.value })),
    events.map((e) => ({ path: e.path, event: e.value })),
    declared,
  ))
    issues.push({ path: formatPath(i.path), value: i.input, expected: i.message });
  if (issues.length > 0) return new DecodeError(subject, issues);
  return { deployments: deployments.map((d) => d.value), events: events.map((e) => e.value) };
}

/**
 * Runs the deployments to `until` (milliseconds) or, without it, until they have settled (the last
 * scripted action, then an idle period, the scale-down window, a spool-up and a timeout without any
 * change). Deterministic: the same scenario and seed give the same result.
 *
 * @example
 * ```ts
 * const r = runWallarooDeployments(part, 1);
 * r.timeline; // Deployment and TaskRun status changes, in time order
 * ```
 */
export function runWallarooDeployments(
  scenario: WallarooDeploymentsScenario,
  seed: number,
  until?: number,
): WallarooDeploymentsResult {
  const engine = new WallarooDeploymentEngine(seed);
  engine.plan(scenario.deployments, scenario.events);
  if (until !== undefined) engine.advanceTo(until);
  else
    for (let next = engine.nextDue(); next !== undefined && next <= systemsHorizon; next = engine.nextDue())
      engine.advanceTo(next);
  const timeline = [...engine.timeline].sort((a, b) => a.t - b.t);
  return {
    timeline,
    notes: [...engine.notes].sort((a, b) => a.t - b.t),
    final: finalOf(timeline),
    invariants: wallarooDeploymentInvariants(engine),
    end: engine.now,
    engine,
  };
}

import { DecodeError } from "@phasekit/core";
import { expect } from "vitest";
import { checkInvariants, finalStatuses, prepare, runToEnd } from "./run.js";
import { decodeScenario, type Scenario, type ScenarioKind } from "./scenario.js";
import { needRules } from "./scenario-checks.js";
import type { Simulation } from "./simulation.js";

/**
 * What the batching property tests share (batches.test.ts, finishes.test.ts): a scenario built from
 * drawn resources, the runs one by one and batched, and what they compare.
 */

/** A drawn resource: `pick` chooses what it depends on among earlier resources of the kinds it needs. */
export interface DrawnResource {
  readonly id: string;
  readonly kind: ScenarioKind;
  readonly account: number;
  readonly gpu: number;
  readonly takes: number;
  readonly at: number;
  readonly pick: number;
}

/** A drawn termination or failure of the `target`-th resource (modulo their count). */
export interface DrawnEvent {
  readonly at: number;
  readonly action: "terminate" | "fail";
  readonly target: number;
}

/** What a drawn scenario is made of: accounts' quotas, nodes' GPUs, resources, events, faults. */
export interface Drawn {
  readonly accounts: readonly { readonly gpu: number; readonly slots: number | undefined }[];
  readonly nodes: readonly number[] | undefined;
  readonly resources: readonly DrawnResource[];
  readonly events: readonly DrawnEvent[];
  readonly faults?: Record<string, unknown>;
}

/**
 * The scenario of `drawn`: each resource depends on earlier ones its kind needs (a Model where
 * nothing it must have exists yet), events aim at resources (a Dataset does not fail).
 */
export function drawnScenario(drawn: Drawn, name: string): Scenario {
  const accounts = drawn.accounts.map((_, i) => `team${i}`);
  const made: { id: string; kind: ScenarioKind }[] = [];
  const resources = drawn.resources.map((r) => {
    const needs: string[] = [];
    let kind = r.kind;
    for (const rule of needRules[kind]) {
      const candidates = made.filter((m) => m.kind === rule.kind);
      const pick = candidates[r.pick % Math.max(candidates.length, 1)];
      if (pick) needs.push(pick.id);
      else if (!rule.optional) kind = "Model"; // nothing to depend on yet: plain work instead
    }
    if (kind === "Model") needs.length = 0;
    made.push({ id: r.id, kind });
    return {
      kind,
      id: r.id,
      account: accounts[r.account % accounts.length]!,
      ...(needs.length > 0 && { needs }),
      ...(kind !== "Dataset" && { gpu: r.gpu, takes: r.takes }),
      at: r.at,
    };
  });
  const events: Record<string, unknown>[] = [];
  for (const e of drawn.events) {
    const target = made[e.target % Math.max(made.length, 1)];
    if (!target) continue;
    if (e.action === "terminate") events.push({ at: e.at, terminate: target.id });
    else if (target.kind !== "Dataset") events.push({ at: e.at, fail: target.id });
  }
  const scenario = decodeScenario(
    {
      seed: 1,
      accounts: Object.fromEntries(
        accounts.map((a, i) => [a, { quota: drawn.accounts[i], tokens: [`${a}-token`] }]),
      ),
      ...(drawn.nodes && { cluster: { nodes: drawn.nodes.map((gpu, i) => ({ name: `n${i}`, gpu })) } }),
      resources,
      events,
      ...(drawn.faults && { faults: drawn.faults }),
    },
    name,
  );
  if (scenario instanceof DecodeError) throw new Error(scenario.message);
  return scenario;
}

/** Runs `scenario` to its end, one by one or with the batching asked for. */
export function runSettling(
  scenario: Scenario,
  batching: { readonly creates?: boolean; readonly finishes?: boolean },
): Simulation {
  const sim = prepare(
    scenario,
    scenario.seed,
    scenario.faults,
    undefined,
    batching.creates ?? false,
    batching.finishes ?? false,
  );
  runToEnd(sim, scenario.until);
  return sim;
}

/** Every entity's final status, by id. */
const finals = (sim: Simulation) =>
  finalStatuses(sim)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((f) => `${f.id} ${f.status}/${f.reason}`);

/**
 * Each account's admissions in the order the orchestrator made them (the order it created their
 * workflow objects), with when the view showed them Admitted. The timeline's order of one instant
 * is not that order: the logs deliver a batch's records partition by partition.
 */
const admissions = (sim: Simulation, scenario: Scenario) => {
  const accountOf = new Map(scenario.resources.map((x) => [x.id, x.account]));
  const admittedAt = new Map<string, number>();
  for (const e of sim.timeline)
    if (e.status === "Admitted" && !admittedAt.has(e.id)) admittedAt.set(e.id, e.t);
  const byAccount: Record<string, string[]> = {};
  for (const key of sim.recorder.workflowCreates.keys()) {
    const id = key.slice(key.indexOf("/") + 1);
    (byAccount[accountOf.get(id)!] ??= []).push(`${id}@${admittedAt.get(id)}`);
  }
  return byAccount;
};

/** The invariants a run broke (none, for a run without a deliberate bug). */
const broken = (sim: Simulation) => checkInvariants(sim, null).filter((i) => !i.held);

/**
 * Asserts what a batched run must share with the same scenario one by one: no invariant broken,
 * the same final statuses, each account's admissions in order and when, the same end.
 */
export function expectSameEnd(batched: Simulation, one: Simulation, scenario: Scenario): void {
  expect(broken(batched)).toEqual([]);
  expect(broken(one)).toEqual([]);
  expect(finals(batched)).toEqual(finals(one));
  expect(admissions(batched, scenario)).toEqual(admissions(one, scenario));
  expect(batched.now).toBe(one.now);
}

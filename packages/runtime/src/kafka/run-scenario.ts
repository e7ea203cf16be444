import {
  checkAdmittedOnce,
  checkConsistency,
  checkQuota,
  checkSameAsWithoutFaults,
  checkSequences,
  type FinalStatus,
  noScenarioFaults,
  runScenario,
  type Scenario,
  type SimulationResult,
  stateFromLog,
  toCreate,
} from "@phasekit/adapter-memory";
import { EventLog, replayEvents, StateLog, type Versioned } from "@phasekit/core";
import { Effect } from "effect";
import { KafkaSimulation } from "./simulation.js";

/**
 * `phasekit simulate --kafka`: a scenario driven through a real Kafka. The timeline is built as in
 * memory; the invariants are the same, read from the real topics (the view equals the state log
 * equals a replay of the event log; nothing admitted twice; quotas kept; every status sequence one
 * the machines allow), and the final statuses are compared with the in-memory simulator's run of the
 * same scenario without faults.
 *
 * @module
 */

/** Faults that only the memory logs can inject; on Kafka they are reported and not applied. */
const memoryOnlyFaults = ["duplicate", "reorder", "informerLag", "staleReads"] as const;

export interface KafkaScenarioOptions {
  readonly brokers: readonly string[];
  /** Topic prefix of this run; its topics must be new (empty). */
  readonly prefix: string;
  readonly seed?: number;
  readonly onProgress?: (now: number, until: number | undefined) => void;
}

/** A Kafka run's result: the simulator's, plus the faults that were not applied. */
export interface KafkaScenarioResult extends SimulationResult {
  readonly prefix: string;
  readonly ignoredFaults: readonly string[];
  /** The key-value store's entries at the end (the orchestrator's admission records: the quota ledger). */
  readonly keyValue: ReadonlyMap<string, Versioned>;
}

/** Simulated time after which a run without `until` stops anyway (a year), as in memory. */
const horizon = 365 * 86_400_000;

const defaultFailure = (kind: string) =>
  ({
    Model: "FetchFailed",
    InferenceService: "BuildFailed",
    Evaluation: "InferenceFailed",
    Report: "RunFailed",
  })[kind] ?? "";

function schedule(sim: KafkaSimulation, scenario: Scenario): void {
  const kinds = new Map(scenario.resources.map((r) => [r.id, r] as const));
  const tokenOf = (account: string, token: string | undefined) =>
    token ?? scenario.accounts[account]?.tokens[0]?.token ?? "";
  for (const r of scenario.resources) {
    const token = tokenOf(r.account, r.token);
    sim.schedule(r.at, () =>
      sim.create(
        toCreate(r, (id) => kinds.get(id)?.kind),
        token,
      ),
    );
    const uploadedAt = r.uploadedAt === undefined ? r.at : r.uploadedAt;
    if (r.kind === "Dataset" && uploadedAt !== null)
      sim.schedule(uploadedAt, () => sim.uploaded(r.id, token));
  }
  for (const e of scenario.events) {
    const id = e.fail ?? e.terminate ?? e.delete ?? e.label!;
    const token = tokenOf(kinds.get(id)!.account, e.token);
    if (e.fail !== undefined) {
      const reason = e.reason ?? defaultFailure(kinds.get(id)!.kind);
      sim.schedule(e.at, () => sim.fail(id, reason));
    } else if (e.terminate !== undefined) sim.schedule(e.at, () => sim.terminate(id, token));
    else if (e.delete !== undefined) sim.schedule(e.at, () => sim.delete(id, token));
    else sim.schedule(e.at, () => sim.label(id, e.labels ?? {}, token));
  }
}

/** The status of every entity in the view, in order of first appearance in the timeline. */
function finalStatuses(sim: KafkaSimulation): FinalStatus[] {
  const first = new Map<string, number>();
  for (const [i, e] of sim.timeline.entries()) if (!first.has(e.id)) first.set(e.id, i);
  return sim.backend.view
    .documents()
    .map((d) => {
      const e = JSON.parse(d.value) as { kind: string; status: string; reason: string | null };
      return { system: "dyff", kind: e.kind, id: d.id, status: e.status, reason: e.reason };
    })
    .sort((a, b) => (first.get(a.id) ?? 0) - (first.get(b.id) ?? 0) || (a.id < b.id ? -1 : 1));
}

/**
 * Runs a decoded Dyff scenario with its logs on Kafka and checks the invariants.
 *
 * @example
 * ```ts
 * const result = await runScenarioOnKafka(scenario, { brokers: ["127.0.0.1:19092"], prefix: "sim-1" });
 * result.held; // every invariant held
 * ```
 */
export async function runScenarioOnKafka(
  scenario: Scenario,
  options: KafkaScenarioOptions,
): Promise<KafkaScenarioResult> {
  const seed = options.seed ?? scenario.seed;
  const baseline = runScenario({ ...scenario, faults: noScenarioFaults }, { seed }).final;
  const f = scenario.faults;
  const ignoredFaults = memoryOnlyFaults.filter((k) => (typeof f[k] === "boolean" ? f[k] : f[k] > 0));
  const sim = await KafkaSimulation.open({
    seed,
    accounts: scenario.accounts,
    nodes: scenario.cluster?.nodes,
    crashBeforeCommit: f.crashBeforeCommit,
    kafka: {
      brokers: options.brokers,
      prefix: options.prefix,
      clientId: "phasekit-simulate",
      pollWaitMs: 20,
    },
  });
  try {
    schedule(sim, scenario);
    const progress = options.onProgress && ((now: number) => options.onProgress!(now, scenario.until));
    if (scenario.until !== undefined) await sim.advanceTo(scenario.until, progress);
    else
      for (let next = sim.nextDue(); next !== undefined && next <= horizon; next = sim.nextDue())
        await sim.advanceTo(next, progress);
    const [events, states] = await Effect.runPromise(
      Effect.all([
        Effect.flatMap(EventLog, (l) => l.readAll()),
        Effect.flatMap(StateLog, (l) => l.readAll()),
      ]).pipe(Effect.provideContext(sim.ports)),
    );
    const final = finalStatuses(sim);
    const settled = {
      name: "every service ran without an unexpected error and the control plane settled",
      held: sim.errors.length === 0,
      detail: sim.errors.length === 0 ? null : sim.errors.slice(0, 5).join("; "),
    };
    const invariants = [
      checkConsistency(sim.backend.view.documents(), stateFromLog(states), replayEvents(events)),
      checkAdmittedOnce(sim.recorder),
      checkQuota(sim.breaches),
      checkSequences(sim.recorder, sim.timeline),
      checkSameAsWithoutFaults(final, baseline),
      settled,
    ];
    const commands = sim.notes.filter((n) => n.type === "command");
    return {
      prefix: options.prefix,
      ignoredFaults,
      keyValue: new Map(sim.backend.keyValue.entries()),
      seed,
      until: scenario.until === undefined ? null : scenario.until / 1000,
      end: sim.t,
      timeline: sim.timeline,
      notes: sim.notes,
      journal: sim.journal,
      final,
      invariants,
      held: invariants.every((i) => i.held),
      stats: {
        commands: {
          accepted: commands.filter((c) => c.refused === null).length,
          refused: commands.filter((c) => c.refused !== null).length,
        },
        events: events.length,
        states: [...sim.recorder.stateHistory.values()].reduce((n, v) => n + v.length, 0),
        redelivered: sim.tracker.redelivered,
        rewinds: sim.stats.crashes,
        crashes: sim.stats.crashes,
        rejections: sim.stats.rejections,
        rounds: sim.stats.rounds,
      },
    };
  } finally {
    await sim.close();
  }
}

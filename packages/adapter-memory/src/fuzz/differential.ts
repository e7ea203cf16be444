import {
  type AdmissionRecord,
  admissionPrefix,
  DecodeError,
  decodeAdmission,
  type Versioned,
} from "@phasekit/core";
import { finalStatuses, prepare, runToEnd } from "../simulator/run.js";
import type { Scenario } from "../simulator/scenario.js";

/**
 * Differential runs (issue 19, part 2): what two runs of the same scenario on different backends
 * must agree on, and where they do not. The outcome is the final status of every entity, every
 * admission (which entity entered Admitted, and when), and the quota ledger: the orchestrator's
 * admission records, record by record (which account held what, admitted and released when, and
 * whether its workflow object was deleted).
 *
 * @module
 */

/** One run's outcome, as the differential compares it. */
export interface DifferentialOutcome {
  /** Final status and reason of every entity, by id. */
  readonly final: ReadonlyMap<string, string>;
  /** Entity id -> when it entered Admitted, each time (the simulated instant, or a wall-clock time). */
  readonly admissions: ReadonlyMap<string, readonly string[]>;
  /** The admission records of the key-value store, by entity id. */
  readonly ledger: ReadonlyMap<string, AdmissionRecord>;
}

/**
 * The admission records among a key-value store's entries, by entity id; an undecodable record is
 * an error naming its key (the orchestrator never writes one).
 *
 * @example
 * ```ts
 * admissionLedger(sim.backend.keyValue.entries()).get("e1")?.releasedAt; // "1970-01-01T00:01:00.000Z"
 * ```
 */
export function admissionLedger(entries: ReadonlyMap<string, Versioned>): Map<string, AdmissionRecord> {
  const ledger = new Map<string, AdmissionRecord>();
  for (const [key, { value }] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!key.startsWith(admissionPrefix)) continue;
    const record = decodeAdmission(key, value);
    if (record instanceof DecodeError) throw record;
    ledger.set(record.id, record);
  }
  return ledger;
}

/** What a run gives the differential: its final statuses, its timeline, its key-value store. */
export interface RunRecords {
  readonly final: readonly { readonly id: string; readonly status: string; readonly reason: string | null }[];
  /** Status changes in order (`t`: when, in simulated milliseconds or any clock both runs share). */
  readonly timeline: readonly { readonly t: number; readonly id: string; readonly status: string }[];
  readonly keyValue: ReadonlyMap<string, Versioned>;
}

/**
 * A run's outcome: final statuses, each entry into Admitted (from the timeline), the ledger.
 *
 * @example
 * ```ts
 * const sim = prepare(scenario, scenario.seed, scenario.faults);
 * runToEnd(sim, scenario.until);
 * outcomeOf({ final: finalStatuses(sim), timeline: sim.timeline, keyValue: sim.backend.keyValue.entries() });
 * ```
 */
export function outcomeOf(run: RunRecords): DifferentialOutcome {
  const admissions = new Map<string, string[]>();
  const previous = new Map<string, string>();
  for (const e of run.timeline) {
    if (e.status === "Admitted" && previous.get(e.id) !== "Admitted")
      admissions.set(e.id, [...(admissions.get(e.id) ?? []), String(e.t)]);
    previous.set(e.id, e.status);
  }
  return {
    final: new Map(run.final.map((f) => [f.id, f.reason ? `${f.status}/${f.reason}` : f.status])),
    admissions,
    ledger: admissionLedger(run.keyValue),
  };
}

/**
 * The scenario's outcome on the memory adapter (its own seed and faults, run to its end): the side a
 * differential compares another backend's run with.
 *
 * @example
 * ```ts
 * outcomeDifferences(memoryOutcome(scenario), outcomeOf(await runScenarioOnKafka(scenario, options)), ["memory", "kafka"]);
 * ```
 */
export function memoryOutcome(scenario: Scenario): DifferentialOutcome {
  const sim = prepare(scenario, scenario.seed, scenario.faults);
  runToEnd(sim, scenario.until);
  return outcomeOf({
    final: finalStatuses(sim),
    timeline: sim.timeline,
    keyValue: sim.backend.keyValue.entries(),
  });
}

/** Which fields of the ledger the comparison reads (all of a record's, or all but its times). */
export interface LedgerComparison {
  /**
   * Compare `admittedAt` and `releasedAt` as instants (default true). Off where one side runs in
   * real time (a real API server): then only whether the quota was released is compared.
   */
  readonly times?: boolean;
}

const show = (v: unknown) => JSON.stringify(v);

/**
 * Every difference between two outcomes, one line each, naming the entity, what differs and both
 * values; empty when they agree.
 *
 * @example
 * ```ts
 * outcomeDifferences(memory, kafka, ["memory", "kafka"]);
 * // ["e2: ledger account: memory \"alice\", kafka \"bob\""]
 * ```
 */
export function outcomeDifferences(
  a: DifferentialOutcome,
  b: DifferentialOutcome,
  names: readonly [string, string],
  options: LedgerComparison = {},
): string[] {
  const [na, nb] = names;
  const out: string[] = [];
  const pair = (what: string, x: unknown, y: unknown) => {
    if (show(x) !== show(y)) out.push(`${what}: ${na} ${show(x) ?? "none"}, ${nb} ${show(y) ?? "none"}`);
  };
  const ids = (m: ReadonlyMap<string, unknown>, n: ReadonlyMap<string, unknown>) =>
    [...new Set([...m.keys(), ...n.keys()])].sort();
  for (const id of ids(a.final, b.final)) pair(`${id}: final status`, a.final.get(id), b.final.get(id));
  for (const id of ids(a.admissions, b.admissions)) {
    const [x, y] = [a.admissions.get(id) ?? [], b.admissions.get(id) ?? []];
    if (options.times === false) pair(`${id}: admissions`, x.length, y.length);
    else pair(`${id}: admitted at`, x, y);
  }
  for (const id of ids(a.ledger, b.ledger)) {
    const [x, y] = [a.ledger.get(id), b.ledger.get(id)];
    if (!x || !y) {
      pair(`${id}: ledger record`, x, y);
      continue;
    }
    for (const field of ["account", "kind", "request", "resourceDeleted"] as const)
      pair(`${id}: ledger ${field}`, x[field], y[field]);
    if (options.times === false) pair(`${id}: ledger released`, x.releasedAt !== null, y.releasedAt !== null);
    else
      for (const field of ["admittedAt", "releasedAt"] as const)
        pair(`${id}: ledger ${field}`, x[field], y[field]);
  }
  return out;
}

import type {
  DeadLetterHook,
  EventMessage,
  KeyValueShape,
  LogShape,
  Principal,
  Quotas,
  StateMessage,
  Verb,
} from "@phasekit/core";
import type { Finish, NodeCapacity } from "./cluster-player.js";
import type { QuotaLimits } from "./invariants.js";

/**
 * How a {@link Simulation} is set up, its timed actions, and its clock's epoch.
 *
 * @module
 */

/** How a simulation is set up. */
export interface SimulationSetup {
  readonly seed: number;
  readonly accounts: Readonly<
    Record<
      string,
      { readonly quota: QuotaLimits; readonly tokens: readonly { token: string; verbs: readonly Verb[] }[] }
    >
  >;
  /** Nodes of the cluster; undefined: room for everything. */
  readonly nodes?: readonly NodeCapacity[] | undefined;
  readonly faults: {
    readonly duplicate: number;
    readonly crashBeforeCommit: number;
    readonly reorder: boolean;
    /** Milliseconds: the informer looks at the cluster only every this often (0: in every round). */
    readonly informerLag: number;
    /** Cluster reads may lag this many writes behind. */
    readonly staleReads: number;
  };
  /** Unix milliseconds of simulated time 0 (default 2026-01-01T00:00:00Z; a wall-clock driver passes its start). */
  readonly epoch?: number | undefined;
  /**
   * Step finishes due at one instant settle once, not one by one (default false; `runScenario`'s
   * `batchFinishes`): only where that provably ends as one by one (see `finishesBatchable`).
   */
  readonly batchFinishes?: boolean | undefined;
  /** Milliseconds of work of a resource created without its own `takes` (default {@link defaultTakes}). */
  readonly takes?: number | undefined;
  /**
   * A rule broken on purpose, to prove that `phasekit fuzz` finds what breaks an invariant (its
   * tests only; never set by a scenario file). See {@link SimulatorMutation}.
   */
  readonly mutation?: SimulatorMutation | undefined;
}

/**
 * The rules a test build of the simulator can break on purpose:
 * - `quota-slack`: the orchestrator believes every limit of every account is one more than it is
 *   (an off-by-one in its quota check), so it admits work the quota has no room for.
 */
export const simulatorMutations = ["quota-slack"] as const;
export type SimulatorMutation = (typeof simulatorMutations)[number];

/**
 * Ports a simulation runs its services over instead of the memory backend's (the logs on a real
 * Kafka, the key-value store on etcd), and what a settle must wait for there. The simulated
 * cluster and the query view stay the simulator's: its cluster player and timeline read them.
 * The services start when a driver runs {@link Simulation.startServices}.
 */
export interface SimulationBackend {
  readonly events?: LogShape<EventMessage> | undefined;
  readonly state?: LogShape<StateMessage> | undefined;
  readonly keyValue?: KeyValueShape | undefined;
  /**
   * Besides a round with no work, what must hold for the platform to be quiet (on a broker, where
   * an empty poll proves nothing: every consumer group has committed everything appended).
   */
  readonly quiet?: (() => boolean) | undefined;
  /** Quiet rounds in a row that end a settle (default: the stale reads' lag + 1). */
  readonly quietRounds?: number | undefined;
  /** Called with every dead letter too (e.g. to put it on Kafka's dead-letter topic). */
  readonly onDeadLetter?: DeadLetterHook | undefined;
}

/** A timed action of the agenda; `run` may return a Promise when an asynchronous driver runs the loop. */
export type Action =
  | { readonly type: "run"; readonly label: string; readonly run: () => unknown }
  | { readonly type: "finish"; readonly finish: Finish }
  | { readonly type: "informer" };

/** The round cap of one settle: a control plane that is still busy after this many rounds livelocks. */
export const maxRounds = 2000;
/** Simulated time 0 unless a setup says otherwise: 2026-01-01T00:00:00Z. */
export const epoch = Date.UTC(2026, 0, 1);

/**
 * The RFC 3339 time of a simulated instant (milliseconds after 2026-01-01T00:00:00Z).
 *
 * @example
 * ```ts
 * simulatedTime(90_000); // "2026-01-01T00:01:30.000Z"
 * ```
 */
export const simulatedTime = (ms: number): string => new Date(epoch + ms).toISOString();

/**
 * The quotas the orchestrator enforces: the scenario's, or with the `quota-slack` mutation every
 * limit one more than the scenario says.
 */
export function orchestratorQuotas(setup: SimulationSetup): Quotas {
  const quotas: Record<string, Quotas[string]> = {};
  const more = setup.mutation === "quota-slack" ? 1 : 0;
  for (const [account, { quota }] of Object.entries(setup.accounts)) {
    const q: Record<string, number> = {};
    for (const k of ["gpu", "cpu", "memoryGiB", "slots"] as const)
      if (quota[k] !== undefined) q[k] = quota[k] + more;
    quotas[account] = q;
  }
  return quotas;
}

/** What each token of the setup's accounts grants. */
export function principalsOf(setup: SimulationSetup): Record<string, Principal> {
  const tokens: Record<string, Principal> = {};
  for (const [account, a] of Object.entries(setup.accounts))
    for (const t of a.tokens) tokens[t.token] = { account, verbs: t.verbs };
  return tokens;
}

/** The last instant {@link isoTime} formatted: every service run of a settle asks for the same one. */
let lastIso = { at: Number.NaN, text: "" };

/**
 * The RFC 3339 time of Unix milliseconds `at`, formatted once per instant: a settle asks for the
 * same instant dozens of times (each service run, each command), and `toISOString` was 3% of a
 * Kueue-like run's profile.
 *
 * @example
 * ```ts
 * isoTime(Date.UTC(2026, 0, 1)); // "2026-01-01T00:00:00.000Z"
 * ```
 */
export function isoTime(at: number): string {
  if (lastIso.at !== at) lastIso = { at, text: new Date(at).toISOString() };
  return lastIso.text;
}

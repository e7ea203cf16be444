import { randomUUID } from "node:crypto";
import { makePrng, Simulation, type Simulation as SimulationType } from "@phasekit/adapter-memory";
import { commonFailureReasons, type DyffEntity, dyffKinds } from "@phasekit/core";
import type { ApiBackend } from "./api/handlers.js";

/**
 * The embedded default: the whole control plane (command API, aggregator, sink, orchestrator,
 * operator, informer) in this process on the memory adapter, driven by the simulator's engine with
 * its clock following the wall clock. Simulated steps take `stepMs` and fail with probability
 * `failureRate`; the engine's agenda is run by a timer set to the next due step, and before every
 * API request, so what a client sees is what the wall clock says.
 *
 * @module
 */

/** Default length of a simulated step: 500 ms, so Model -> InferenceService -> Evaluation -> Report takes about 2 s. */
export const defaultStepMs = 500;
/** Default probability that a created workflow's work fails: 0. */
export const defaultFailureRate = 0;

export interface LocalDyffOptions {
  /** Bearer token -> account. Every token may create, get, label, terminate and delete its account's objects. */
  readonly tokens: Readonly<Record<string, string>>;
  /** Milliseconds a simulated step runs (default {@link defaultStepMs}). An Evaluation's inference and verification share it. */
  readonly stepMs?: number;
  /** Probability in [0, 1] that a workflow with work that can fail fails (default {@link defaultFailureRate}), with its kind's first work failure (Evaluation: InferenceFailed). */
  readonly failureRate?: number;
  /** Seed of the failure draws (default 0). */
  readonly seed?: number;
  /** The wall clock in Unix milliseconds (default `Date.now`). */
  readonly clock?: () => number;
}

/** A running local Dyff: the backend and authentication for the API server, and the engine inside. */
export interface LocalDyff {
  readonly backend: ApiBackend;
  readonly authenticate: (token: string) => string | undefined;
  readonly simulation: SimulationType;
  /** Stops the timer. */
  readonly close: () => void;
}

const checkOption = (field: string, value: number, ok: boolean, expected: string) => {
  if (!ok) throw new RangeError(`${field}: got ${value}, expected ${expected}`);
};

/** The first failure of a kind's own work (not a common one), or undefined when its work cannot fail. */
function workFailure(kind: string): string | undefined {
  const lifecycle = (dyffKinds as Record<string, { lifecycle: { spec: { statuses: object } } }>)[kind]
    ?.lifecycle;
  const statuses = Object.values(lifecycle?.spec.statuses ?? {}) as {
    outcome: string | null;
    reasons: string[];
  }[];
  const common: readonly string[] = commonFailureReasons;
  return statuses.find((s) => s.outcome === "failure")?.reasons.find((r) => !common.includes(r));
}

/**
 * Starts the memory control plane on the wall clock.
 *
 * @example
 * ```ts
 * const dyff = startLocalDyff({ tokens: { s3cret: "alice" } });
 * const api = await startApiServer({ backend: dyff.backend, authenticate: dyff.authenticate });
 * // ... point the Dyff client at api.url ...
 * await api.close();
 * dyff.close();
 * ```
 */
export function startLocalDyff(options: LocalDyffOptions): LocalDyff {
  const stepMs = options.stepMs ?? defaultStepMs;
  const failureRate = options.failureRate ?? defaultFailureRate;
  checkOption(
    "stepMs",
    stepMs,
    Number.isInteger(stepMs) && stepMs >= 0,
    "a whole number of milliseconds >= 0",
  );
  checkOption("failureRate", failureRate, failureRate >= 0 && failureRate <= 1, "a probability from 0 to 1");
  const clock = options.clock ?? Date.now;
  const accounts: Record<string, { quota: object; tokens: { token: string; verbs: never[] }[] }> = {};
  const verbs = ["create", "get", "label", "terminate", "delete"] as const;
  for (const [token, account] of Object.entries(options.tokens)) {
    accounts[account] ??= { quota: {}, tokens: [] };
    accounts[account].tokens.push({ token, verbs: verbs as unknown as never[] });
  }
  const epoch = clock();
  const simulation = new Simulation({
    seed: options.seed ?? 0,
    accounts,
    faults: { duplicate: 0, crashBeforeCommit: 0, reorder: false, informerLag: 0, staleReads: 0 },
    epoch,
    takes: stepMs,
  });
  const failures = makePrng(options.seed ?? 0).fork("failures");
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const elapsed = () => Math.max(simulation.now, clock() - epoch);
  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const due = simulation.nextDue();
    if (closed || due === undefined) return;
    timer = setTimeout(catchUp, Math.max(0, due - (clock() - epoch)));
  };
  const catchUp = () => {
    simulation.advanceTo(elapsed());
    arm();
  };
  const backend: ApiBackend = {
    run: async (effect) => {
      simulation.advanceTo(elapsed());
      const exit = simulation.execute(effect);
      arm();
      return exit;
    },
    now: () => simulation.iso(),
    newId: () => randomUUID().replaceAll("-", ""),
    created: (entity: DyffEntity) => {
      const reason = workFailure(entity.kind);
      if (reason === undefined || failureRate === 0 || !failures.chance(failureRate)) return;
      simulation.fail(entity.id, reason);
      arm();
    },
  };
  const tokens = new Map(Object.entries(options.tokens));
  return {
    backend,
    authenticate: (token) => tokens.get(token),
    simulation,
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

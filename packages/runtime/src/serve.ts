import type { Principal, Quotas } from "@phasekit/core";
import { Cause, Effect, Fiber } from "effect";
import type { ApiBackend } from "./api/handlers.js";
import { type Backend, deadLetterHook, describeBackend, layerBackend } from "./backend.js";
import { startKubeDyff } from "./kube/local.js";
import { openBackend } from "./layer.js";
import { defaultFailureRate, defaultStepMs, type LocalDyffOptions, startLocalDyff } from "./memory.js";
import type { ControlPlaneService } from "./services.js";
import { StoreConfigError } from "./stores.js";
import { type SupervisorEvents, supervise } from "./supervise.js";

/**
 * One way to start the control plane over a backend, for `phasekit serve` (services, one process
 * each or several together) and `phasekit serve api` (the command API, alone over a shared
 * backend or with the whole control plane in memory). The CLI parses arguments and prints.
 *
 * @module
 */

export interface ServicesOptions {
  readonly services: readonly ControlPlaneService[];
  readonly quotas: Quotas;
  readonly events: SupervisorEvents;
  /** Pause after a round that did nothing, milliseconds (default 200; polls also wait for records). */
  readonly idleMs?: number;
  /** The wall clock as the services record it (default: now). */
  readonly now?: () => string;
}

/**
 * Runs `services` over `backend`, each supervised (restarted after a failure), until `stop` is
 * aborted. Resolves with null once stopped, or with the reason the backend could not be opened
 * (a broker or a store that does not answer).
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const failed = await runServices({ kafka: { brokers: ["127.0.0.1:19092"] } },
 *   { services: ["aggregator"], quotas: {}, events }, stop.signal);
 * ```
 */
export async function runServices(
  backend: Backend,
  options: ServicesOptions,
  stop: AbortSignal,
): Promise<unknown | null> {
  const program = Effect.gen(function* () {
    const onDeadLetter = yield* deadLetterHook();
    yield* Effect.forEach(
      options.services,
      (name) =>
        supervise(name, {
          quotas: options.quotas,
          onDeadLetter,
          idleMs: options.idleMs ?? 200,
          now: options.now ?? (() => new Date().toISOString()),
          events: options.events,
        }),
      { concurrency: "unbounded", discard: true },
    );
  }).pipe(Effect.provide(layerBackend(backend)));
  const fiber = Effect.runFork(program);
  const interrupt = () => Effect.runFork(Fiber.interrupt(fiber));
  if (stop.aborted) interrupt();
  else stop.addEventListener("abort", interrupt, { once: true });
  const result = await Effect.runPromise(Fiber.await(fiber));
  return result._tag === "Failure" && !stop.aborted ? Cause.squash(result.cause) : null;
}

/** The command API's backend, how to authenticate its callers, and how to close what it opened. */
export interface OpenApi {
  readonly backend: ApiBackend;
  readonly authenticate: (token: string) => string | undefined;
  readonly close: () => Promise<void>;
  /** Where it runs, for a start-up message. */
  readonly where: string;
}

/** The verbs every API token has on its own account's objects. */
const apiVerbs = ["create", "get", "label", "terminate", "delete"] as const;

/**
 * Opens the command API over a backend. Without `kafka`, the whole control plane runs in this
 * process on the memory adapter, its steps on the wall clock (`local`: see `startLocalDyff`).
 * With `kafka`, it serves the API only: commands go to the event log, reads come from the
 * backend's view (`stores.view`, the view the sink of the `serve` processes writes); the control
 * plane runs elsewhere. `tokens`: bearer token -> account.
 *
 * @example
 * ```ts
 * const api = await openApi({}, { "alice-token": "alice" }, { stepMs: 500 });
 * const server = await startApiServer({ backend: api.backend, authenticate: api.authenticate });
 * ```
 */
export async function openApi(
  backend: Backend,
  tokens: Readonly<Record<string, string>>,
  local: Omit<LocalDyffOptions, "tokens"> & { readonly onError?: (message: string) => void } = {},
): Promise<OpenApi> {
  const accounts = new Map(Object.entries(tokens));
  const authenticate = (token: string) => accounts.get(token);
  if (backend.kafka === undefined && backend.cluster !== undefined) {
    // The memory control plane over a real cluster: steps take what their pods take (kube/local.ts).
    const onError = local.onError && { onError: local.onError };
    const dyff = await startKubeDyff({ tokens, cluster: backend.cluster.layer, ...onError });
    return { ...dyff, authenticate, where: `memory, cluster on ${backend.cluster.where}` };
  }
  if (backend.kafka === undefined) {
    const dyff = startLocalDyff({ ...local, tokens });
    const where = `memory, steps of ${local.stepMs ?? defaultStepMs} ms, failure rate ${local.failureRate ?? defaultFailureRate}`;
    return { backend: dyff.backend, authenticate, close: async () => dyff.close(), where };
  }
  if (backend.stores?.view === undefined)
    throw new StoreConfigError(
      "view: required with kafka: the API reads the view the sink writes (a view in this process's memory would never be fed)",
    );
  const principals: Record<string, Principal> = {};
  for (const [token, account] of accounts) principals[token] = { account, verbs: apiVerbs };
  const opened = await openBackend(layerBackend({ ...backend, tokens: principals }));
  return { ...opened, authenticate, where: describeBackend(backend) };
}

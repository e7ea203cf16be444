import {
  createRequestOf,
  failureRole,
  parseScenario,
  type Scenario,
  toCreate,
} from "@phasekit/adapter-memory";
import {
  type Authorizer,
  Cluster,
  type ControlPlanePorts,
  createEntity,
  DecodeError,
  dyffKinds,
  makeControlPlane,
  markEntityUploaded,
  type NewClusterObject,
  type Quotas,
  type StepSpec,
  stepName,
  ViewStore,
  viewEntity,
} from "@phasekit/core";
import { Effect, type Layer, type Scope } from "effect";
import { layerBackend } from "../backend.js";

/**
 * Plays a simulator scenario in real time on real ports (the cluster on Kubernetes, the logs in
 * memory or on Kafka), so its final statuses can be compared with the in-memory simulator's. Its
 * resources are created in `at` order through the command API, Datasets uploaded, and a `fail`
 * event becomes a pod that exits with code 1 in the step the failure hits (kwok's stage
 * annotation); Kubernetes' controllers and kwok run everything else. Only scenarios whose every
 * resource ends in a terminal status, without terminate, delete or label events, can be played:
 * their timing is the simulator's, not a real cluster's.
 *
 * @module
 */

export interface PlayedStatus {
  readonly kind: string;
  readonly id: string;
  readonly status: string;
  readonly reason: string | null;
}

/** Reads a scenario file's text; throws its DecodeError. */
export function playableScenario(text: string, file: string): Scenario {
  const scenario = parseScenario(text, file);
  if (scenario instanceof DecodeError) throw scenario;
  const why = unplayable(scenario);
  if (why !== undefined) throw new Error(`${file}: ${why}`);
  return scenario;
}

/**
 * Why a decoded scenario cannot be played on a real cluster, or undefined when it can: only Dyff
 * resources, and no events but `fail` (terminate, delete and label happen at simulated times that a
 * real cluster's timing does not keep).
 *
 * @example
 * ```ts
 * unplayable(scenario); // "events[0] terminates m1: only fail events can be played on a real cluster"
 * ```
 */
export function unplayable(scenario: Scenario): string | undefined {
  const index = scenario.events.findIndex((e) => e.fail === undefined);
  if (index >= 0) {
    const e = scenario.events[index] as Record<string, unknown>;
    const verb = ["terminate", "delete", "label"].find((k) => e[k] !== undefined) ?? "event";
    return `events[${index}] is a ${verb} event: only fail events can be played on a real cluster`;
  }
  const systems: object = scenario.systems ?? {};
  const other = Object.entries(systems).find(([, v]) => v !== undefined && v !== null);
  if (other)
    return `it has ${other[0] === "wallarooTasks" ? "wallaroo" : other[0]} resources: only Dyff's control plane runs on a real cluster`;
  return undefined;
}

/** The scenario's bearer tokens, for the memory Authorizer. */
export function scenarioTokens(scenario: Scenario) {
  const tokens: Record<
    string,
    { account: string; verbs: ("create" | "terminate" | "delete" | "label" | "get")[] }
  > = {};
  for (const [account, a] of Object.entries(scenario.accounts))
    for (const t of a.tokens) tokens[t.token] = { account, verbs: [...t.verbs] };
  return tokens;
}

function scenarioQuotas(scenario: Scenario): Quotas {
  const quotas: Record<string, Quotas[string]> = {};
  for (const [account, { quota }] of Object.entries(scenario.accounts))
    quotas[account] = {
      ...(quota.gpu !== undefined && { gpu: quota.gpu }),
      ...(quota.cpu !== undefined && { cpu: quota.cpu }),
      ...(quota.memoryGiB !== undefined && { memoryGiB: quota.memoryGiB }),
      ...(quota.slots !== undefined && { slots: quota.slots }),
    };
  return quotas;
}

/** Pod annotations that make the step each `fail` event hits exit with code 1 (kwok stages). */
export function failureAnnotations(scenario: Scenario): (step: NewClusterObject) => Record<string, string> {
  const failing = new Set<string>();
  for (const e of scenario.events) {
    const r = scenario.resources.find((x) => x.id === e.fail);
    const role = r && failureRole(r.kind, e.reason ?? "");
    if (r && role) failing.add(stepName(r.id, role));
  }
  return (step) => {
    const spec = step.spec as Partial<StepSpec>;
    return failing.has(step.name) && spec.role !== "session"
      ? { "kwok.phasekit.dev/exit-code": "1", "kwok.phasekit.dev/exit-message": `${step.name} failed` }
      : {};
  };
}

/** Rounds in a row that must do nothing before a played scenario counts as settled. */
const quietRounds = 5;

const terminal = (kind: string, status: string) =>
  dyffKinds[kind as keyof typeof dyffKinds]?.lifecycle.isTerminal(status as never) ?? false;

const viewStatuses = Effect.gen(function* () {
  const out = new Map<string, PlayedStatus>();
  for (const doc of yield* (yield* ViewStore).list()) {
    const e = viewEntity(doc);
    if (!(e instanceof DecodeError))
      out.set(e.id, { kind: e.kind, id: e.id, status: e.status, reason: e.reason });
  }
  return out;
});

/**
 * Runs the scenario on the ports in context until every resource is terminal (or `timeoutMs`), with
 * the control plane stepping every `pollMs`; returns the final statuses in the scenario's order.
 *
 * @example
 * ```ts
 * const final = yield* playScenario(playableScenario(text, "chain.yaml"), { timeoutMs: 120_000 });
 * ```
 */
export const playScenario = (
  scenario: Scenario,
  options: { readonly timeoutMs: number; readonly pollMs?: number },
): Effect.Effect<PlayedStatus[], unknown, ControlPlanePorts | Authorizer | Scope.Scope> =>
  Effect.gen(function* () {
    const plane = yield* makeControlPlane({ quotas: scenarioQuotas(scenario) });
    const now = () => new Date().toISOString();
    const tokenOf = (account: string, token: string | undefined) =>
      token ?? scenario.accounts[account]?.tokens[0]?.token ?? "";
    const byId = new Map(scenario.resources.map((r) => [r.id, r] as const));
    const ordered = [...scenario.resources].sort((a, b) => a.at - b.at);
    for (const r of ordered) {
      yield* createEntity(
        tokenOf(r.account, r.token),
        createRequestOf(toCreate(r, (id) => byId.get(id)?.kind)),
        now(),
      );
      yield* plane.runOnce(now());
    }
    const uploads = ordered.filter((r) => r.kind === "Dataset" && r.uploadedAt !== null);
    const deadline = Date.now() + options.timeoutMs;
    let statuses = new Map<string, PlayedStatus>();
    for (;;) {
      yield* plane.runOnce(now());
      statuses = yield* viewStatuses;
      for (const r of uploads.splice(0)) {
        if (statuses.has(r.id)) yield* markEntityUploaded(tokenOf(r.account, r.token), r.id, now());
        else uploads.push(r);
      }
      const done = scenario.resources.every((r) => {
        const s = statuses.get(r.id);
        return s !== undefined && terminal(s.kind, s.status);
      });
      if (done) break;
      if (Date.now() > deadline)
        return yield* Effect.fail(
          new Error(
            `scenario not finished within ${options.timeoutMs} ms: ${JSON.stringify([...statuses.values()])}`,
          ),
        );
      yield* Effect.sleep(options.pollMs ?? 200);
    }
    // Every status is terminal in the view, but the orchestrator may not have read the last state
    // records yet (its release of an admission follows them). On Kafka an empty poll proves nothing,
    // so settle means rounds that did nothing for a while, not one empty round.
    for (let quiet = 0; quiet < quietRounds && Date.now() <= deadline; ) {
      quiet = (yield* plane.runOnce(now())) === 0 ? quiet + 1 : 0;
      yield* Effect.sleep(options.pollMs ?? 200);
    }
    statuses = yield* viewStatuses;
    return scenario.resources.map((r) => statuses.get(r.id)!);
  });

/**
 * Plays `scenario` with its cluster on `cluster` (its steps' pods annotated with
 * {@link failureAnnotations}) and everything else in memory, then deletes the workflow objects it
 * created (their steps go with them), so the namespace can play it again.
 *
 * @example
 * ```ts
 * const part = await kubeCluster(kubeconfig, { podAnnotations: failureAnnotations(scenario) });
 * const final = await runScenarioOnKube(scenario, part.layer, { timeoutMs: 300_000 });
 * ```
 */
export async function runScenarioOnKube(
  scenario: Scenario,
  cluster: Layer.Layer<Cluster, unknown>,
  options: { readonly timeoutMs: number },
): Promise<PlayedStatus[]> {
  const cleanup = Effect.gen(function* () {
    const port = yield* Cluster;
    for (const r of scenario.resources) yield* Effect.ignore(port.delete(r.kind, r.id));
  });
  return Effect.runPromise(
    Effect.scoped(playScenario(scenario, options)).pipe(
      Effect.ensuring(cleanup),
      Effect.provide(
        layerBackend({ tokens: scenarioTokens(scenario), cluster: { layer: cluster, where: "Kubernetes" } }),
      ),
    ),
  );
}

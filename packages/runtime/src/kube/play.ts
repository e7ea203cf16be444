import {
  createRequestOf,
  failureRole,
  parseScenario,
  type Scenario,
  toCreate,
} from "@phasekit/adapter-memory";
import {
  type Authorizer,
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
import { Effect, type Scope } from "effect";

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
export function loadScenario(text: string, file: string): Scenario {
  const scenario = parseScenario(text, file);
  if (scenario instanceof DecodeError) throw scenario;
  const unsupported = scenario.events.filter((e) => e.fail === undefined);
  if (unsupported.length > 0) throw new Error(`${file}: only fail events can be played on a real cluster`);
  return scenario;
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
 * const final = yield* playScenario(loadScenario(text, "chain.yaml"), { timeoutMs: 120_000 });
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
    yield* plane.settle(now());
    statuses = yield* viewStatuses;
    return scenario.resources.map((r) => statuses.get(r.id)!);
  });

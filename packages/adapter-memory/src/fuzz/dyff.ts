import fc from "fast-check";
import { formatDuration } from "../simulator/duration.js";
import { type ScenarioKind, scenarioKinds } from "../simulator/scenario.js";
import { needRules, workFailures } from "../simulator/scenario-checks.js";

/**
 * Dyff's part of a generated scenario: accounts with quotas and tokens, cluster nodes, resources
 * with their dependencies and timing, events (fail, terminate, delete, label; with the right
 * token, another account's, a read-only one or an unknown one) and every fault the simulator
 * injects. The arbitrary draws raw choices and maps them to a valid scenario part (a dependency is
 * picked among earlier resources of the kind it needs, or made when there is none; an event among
 * resources it can act on), so every shrink of the choices is still a valid scenario.
 *
 * @module
 */

/** Dyff's part of a scenario as written (durations as text), ready to merge into a scenario. */
export interface DyffPart {
  readonly accounts?: Record<string, unknown>;
  readonly cluster?: { readonly nodes: readonly Record<string, unknown>[] };
  readonly resources: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
  readonly faults?: Record<string, unknown>;
}

const seconds = (s: number) => formatDuration(s * 1000);

/** Which token a command uses: mostly the account's own; sometimes one that must be refused. */
const tokenChoice = fc.oneof(
  { weight: 12, arbitrary: fc.constant("own" as const) },
  { weight: 1, arbitrary: fc.constant("readonly" as const) },
  { weight: 1, arbitrary: fc.constant("other" as const) },
  { weight: 1, arbitrary: fc.constant("unknown" as const) },
);
type TokenChoice = "own" | "readonly" | "other" | "unknown";

const quota = fc.record(
  {
    gpu: fc.nat(3),
    cpu: fc.constantFrom(1, 2.5, 8),
    memoryGiB: fc.constantFrom(4, 64),
    slots: fc.nat(3),
  },
  { requiredKeys: [] },
);

const resourcePlan = fc.record({
  kind: fc.constantFrom(...scenarioKinds),
  account: fc.nat(),
  needs: fc.array(fc.nat(), { maxLength: 2 }),
  gpu: fc.option(fc.nat(2), { nil: undefined }),
  cpu: fc.option(fc.constantFrom(0.5, 2), { nil: undefined }),
  memoryGiB: fc.option(fc.constantFrom(1, 16), { nil: undefined }),
  takes: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
  at: fc.nat(600),
  /** Dataset: undefined (uploaded when created), null (never) or seconds after its creation. */
  uploaded: fc.option(fc.option(fc.nat(300), { nil: null }), { nil: undefined }),
  labels: fc.boolean(),
  token: tokenChoice,
});

/** A dependency made because a drawn resource needed one: created at once, default work. */
const plain = {
  needs: [],
  gpu: undefined,
  cpu: undefined,
  memoryGiB: undefined,
  takes: undefined,
  at: 0,
  uploaded: undefined,
  labels: false,
  token: "own" as const,
};

const eventPlan = fc.record({
  at: fc.nat(1200),
  action: fc.constantFrom("fail", "terminate", "delete", "label"),
  target: fc.nat(),
  reason: fc.nat(),
  token: tokenChoice,
  removeLabel: fc.boolean(),
});

const faultsPlan = fc.record(
  {
    duplicate: fc.constantFrom(0.1, 0.3, 0.6),
    crashBeforeCommit: fc.constantFrom(0.05, 0.2),
    reorder: fc.constant(true),
    informerLag: fc.constantFrom(5, 20),
    staleReads: fc.integer({ min: 1, max: 2 }),
  },
  { requiredKeys: [] },
);

const nodePlan = fc.record({
  gpu: fc.nat(4),
  cpu: fc.constantFrom(4, 64),
  memoryGiB: fc.constantFrom(16, 512),
});

const plan = fc.record({
  accounts: fc.array(quota, { minLength: 1, maxLength: 3 }),
  nodes: fc.option(fc.array(nodePlan, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  resources: fc.array(resourcePlan, { maxLength: 6 }),
  events: fc.array(eventPlan, { maxLength: 6 }),
  faults: fc.option(faultsPlan, { nil: undefined }),
});

type Plan = typeof plan extends fc.Arbitrary<infer P> ? P : never;

const prefix: Record<ScenarioKind, string> = {
  Model: "model",
  Dataset: "data",
  InferenceService: "svc",
  InferenceSession: "session",
  Evaluation: "eval",
  Report: "report",
};

function tokenFor(choice: TokenChoice, account: string, accounts: readonly string[]): string | undefined {
  if (choice === "own") return undefined;
  if (choice === "readonly") return `${account}-read`;
  if (choice === "unknown") return "stolen-token";
  const other = accounts.find((a) => a !== account);
  return other === undefined ? "stolen-token" : `${other}-token`;
}

/** Maps raw choices to a valid Dyff part (see the module comment). */
function build(p: Plan): DyffPart {
  const accounts = p.accounts.map((_, i) => `team${i}`);
  const kept: { id: string; kind: ScenarioKind; account: string }[] = [];
  const resources: Record<string, unknown>[] = [];
  /** Adds a resource and, first, any dependency it needs that no earlier resource can be. */
  const add = (
    r: Omit<Plan["resources"][number], "account">,
    id: string,
    account: string,
    top: boolean,
  ): string => {
    const needs: string[] = [];
    needRules[r.kind].forEach((rule, j) => {
      const candidates = kept.filter((k) => k.kind === rule.kind);
      const choice = r.needs[j];
      if (rule.optional && choice === undefined) return;
      const pick = candidates[(choice ?? 0) % Math.max(candidates.length, 1)];
      // A missing dependency is made, plain, so a drawn Report brings its whole chain with it.
      needs.push(
        pick?.id ?? add({ ...plain, kind: rule.kind }, `${id}-${prefix[rule.kind]}`, account, false),
      );
    });
    kept.push({ id, kind: r.kind, account });
    const token = top ? tokenFor(r.token, account, accounts) : undefined;
    const works = r.kind !== "Dataset";
    resources.push({
      kind: r.kind,
      id,
      account,
      ...(needs.length > 0 && { needs }),
      ...(works && r.gpu !== undefined && { gpu: r.gpu }),
      ...(works && r.cpu !== undefined && { cpu: r.cpu }),
      ...(works && r.memoryGiB !== undefined && { memoryGiB: r.memoryGiB }),
      ...(works && r.takes !== undefined && { takes: seconds(r.takes) }),
      ...(r.at > 0 && { at: seconds(r.at) }),
      ...(!works &&
        r.uploaded !== undefined && { uploadedAt: r.uploaded === null ? null : seconds(r.at + r.uploaded) }),
      ...(r.labels && { labels: { team: account } }),
      ...(token !== undefined && { token }),
    });
    return id;
  };
  for (const [i, r] of p.resources.entries())
    add(r, `${prefix[r.kind]}${i}`, accounts[r.account % accounts.length]!, true);
  const events: Record<string, unknown>[] = [];
  for (const e of p.events) {
    const targets = e.action === "fail" ? kept.filter((k) => workFailures(k.kind).length > 0) : kept;
    const target = targets[e.target % Math.max(targets.length, 1)];
    if (target === undefined) continue;
    const event: Record<string, unknown> = { at: seconds(e.at), [e.action]: target.id };
    if (e.action === "fail") {
      const reasons = workFailures(target.kind);
      event.reason = reasons[e.reason % reasons.length];
    } else {
      const token = tokenFor(e.token, target.account, accounts);
      if (token !== undefined) event.token = token;
    }
    if (e.action === "label") event.labels = e.removeLabel ? { team: null } : { stage: "done" };
    events.push(event);
  }
  if (resources.length === 0 && events.length === 0) return { resources, events };
  return {
    accounts: Object.fromEntries(
      accounts.map((a, i) => [
        a,
        {
          ...(Object.keys(p.accounts[i]!).length > 0 && { quota: p.accounts[i] }),
          tokens: [`${a}-token`, { token: `${a}-read`, verbs: ["get"] }],
        },
      ]),
    ),
    ...(p.nodes && { cluster: { nodes: p.nodes.map((n, i) => ({ name: `node${i}`, ...n })) } }),
    resources,
    events,
    ...(p.faults &&
      Object.keys(p.faults).length > 0 && {
        faults: {
          ...p.faults,
          ...(p.faults.informerLag !== undefined && { informerLag: seconds(p.faults.informerLag) }),
        },
      }),
  };
}

/**
 * Dyff's part of a random scenario: accounts, quotas, tokens, nodes, resources with dependencies,
 * commands and failures at random times, and faults.
 *
 * @example
 * ```ts
 * fc.sample(dyffPart(), 1)[0]?.resources; // [{ kind: "Model", id: "model0", account: "team0", ... }, ...]
 * ```
 */
export const dyffPart = (): fc.Arbitrary<DyffPart> => plan.map(build);

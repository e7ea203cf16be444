import { article, commonFailureReasons, dyffKinds, type Lifecycle } from "@phasekit/core";
import type { z } from "zod";
import { formatDuration } from "./duration.js";
import type { ScenarioKind, scenarioShape } from "./scenario.js";

/**
 * The checks a schema cannot state field by field: ids are unique and exist, dependencies have the
 * kinds their dependent needs, fields fit the resource's kind, tokens belong to one account. Each
 * problem is reported at the path of the offending field, with what was expected there.
 *
 * @module
 */

type Shape = z.output<typeof scenarioShape>;
type Ctx = z.RefinementCtx;

/**
 * Which kinds a kind's `needs` must name: each entry is one dependency, `optional` when it may be absent.
 *
 * @example
 * ```ts
 * needRules.Evaluation.map((n) => n.kind); // ["InferenceService", "Dataset"]
 * ```
 */
export const needRules: Readonly<Record<ScenarioKind, readonly { kind: ScenarioKind; optional?: true }[]>> = {
  Model: [],
  Dataset: [],
  InferenceService: [{ kind: "Model", optional: true }],
  InferenceSession: [{ kind: "InferenceService" }],
  Evaluation: [{ kind: "InferenceService" }, { kind: "Dataset" }],
  Report: [{ kind: "Evaluation" }],
};

/**
 * The failure reasons of a kind's own work (what a `fail` event may give), in the machine's order.
 *
 * @example
 * ```ts
 * workFailures("Evaluation"); // ["InferenceFailed", "VerificationFailed"]
 * ```
 */
export function workFailures(kind: ScenarioKind): readonly string[] {
  const lc: Lifecycle = dyffKinds[kind].lifecycle;
  const failure = Object.entries(lc.spec.statuses).find(([, s]) => s.outcome === "failure");
  const common: readonly string[] = commonFailureReasons;
  return (failure?.[1].reasons ?? []).filter((r) => !common.includes(r));
}

const issue = (ctx: Ctx, path: PropertyKey[], input: unknown, message: string) =>
  ctx.addIssue({ code: "custom", path, input, message });

function checkNeeds(s: Shape, ctx: Ctx, byId: Map<string, Shape["resources"][number]>) {
  s.resources.forEach((r, i) => {
    const rules = needRules[r.kind];
    const wanted = rules.map((n) => n.kind).join(" and ") || "nothing";
    const seen = new Set<string>();
    r.needs.forEach((id, j) => {
      const dep = byId.get(id);
      const rule = dep && rules.find((n) => n.kind === dep.kind);
      if (!dep)
        issue(ctx, ["resources", i, "needs", j], id, "the id of a resource declared in this scenario");
      else if (!rule || seen.has(dep.kind))
        issue(
          ctx,
          ["resources", i, "needs", j],
          id,
          `${article(r.kind)} needs ${wanted} (one of each); ${id} is ${article(dep.kind)}`,
        );
      if (dep) seen.add(dep.kind);
    });
    for (const rule of rules) {
      if (!rule.optional && !seen.has(rule.kind))
        issue(
          ctx,
          ["resources", i, "needs"],
          r.needs,
          `${article(r.kind)} needs ${wanted}: add the id of ${article(rule.kind)}`,
        );
    }
  });
}

function checkResourceFields(s: Shape, ctx: Ctx) {
  const ids = new Map<string, number>();
  s.resources.forEach((r, i) => {
    const first = ids.get(r.id);
    if (first !== undefined)
      issue(ctx, ["resources", i, "id"], r.id, `an id not already used by resources[${first}]`);
    else ids.set(r.id, i);
    const owner = s.accounts[r.account];
    if (!owner)
      issue(
        ctx,
        ["resources", i, "account"],
        r.account,
        `one of the accounts: ${Object.keys(s.accounts).join(", ")}`,
      );
    else if (r.token === undefined && owner.tokens.length === 0)
      issue(ctx, ["resources", i, "token"], undefined, `a token, since account ${r.account} lists none`);
    if (r.kind === "Dataset") {
      for (const field of ["takes", "gpu", "cpu", "memoryGiB"] as const)
        if (r[field] !== undefined)
          issue(
            ctx,
            ["resources", i, field],
            field === "takes" ? formatDuration(r.takes!) : r[field],
            "no such field on a Dataset (it runs no work; use uploadedAt)",
          );
      if (typeof r.uploadedAt === "number" && r.uploadedAt < r.at)
        issue(
          ctx,
          ["resources", i, "uploadedAt"],
          formatDuration(r.uploadedAt),
          "a time at or after the Dataset's own at (it must exist first)",
        );
    } else if (r.uploadedAt !== undefined) {
      issue(
        ctx,
        ["resources", i, "uploadedAt"],
        r.uploadedAt && formatDuration(r.uploadedAt),
        "no such field: only a Dataset is uploaded",
      );
    }
  });
}

const actions = ["fail", "terminate", "delete", "label"] as const;

function checkEvents(s: Shape, ctx: Ctx, byId: Map<string, Shape["resources"][number]>) {
  s.events.forEach((e, i) => {
    const present = actions.filter((a) => e[a] !== undefined);
    if (present.length !== 1) {
      issue(
        ctx,
        ["events", i],
        e,
        `exactly one of ${actions.join(", ")} (got ${present.join(", ") || "none"})`,
      );
      return;
    }
    const action = present[0]!;
    const id = e[action]!;
    const target = byId.get(id);
    if (!target) {
      issue(ctx, ["events", i, action], id, "the id of a resource declared in this scenario");
      return;
    }
    if (action === "fail") {
      const reasons = workFailures(target.kind);
      if (reasons.length === 0)
        issue(
          ctx,
          ["events", i, "fail"],
          id,
          `a resource whose work can fail; ${article(target.kind)} has none`,
        );
      else if (e.reason !== undefined && !reasons.includes(e.reason))
        issue(
          ctx,
          ["events", i, "reason"],
          e.reason,
          `one of ${reasons.join(", ")} (the work failures of ${article(target.kind)})`,
        );
      if (e.token !== undefined)
        issue(
          ctx,
          ["events", i, "token"],
          e.token,
          "no token: a failure is the cluster's doing, not a command",
        );
    } else if (e.reason !== undefined) {
      issue(
        ctx,
        ["events", i, "reason"],
        e.reason,
        `no reason on ${article(action)} (only fail carries one)`,
      );
    }
    if ((action === "label") !== (e.labels !== undefined))
      issue(
        ctx,
        ["events", i, "labels"],
        e.labels,
        action === "label" ? "the labels to set (null removes one)" : "no labels (only label carries them)",
      );
    if (action !== "fail" && e.token === undefined && (s.accounts[target.account]?.tokens.length ?? 0) === 0)
      issue(ctx, ["events", i, "token"], undefined, `a token, since account ${target.account} lists none`);
  });
}

function checkAccountsAndNodes(s: Shape, ctx: Ctx) {
  const owner = new Map<string, string>();
  for (const [name, a] of Object.entries(s.accounts)) {
    a.tokens.forEach((t, j) => {
      const other = owner.get(t.token);
      if (other !== undefined && other !== name)
        issue(ctx, ["accounts", name, "tokens", j], t.token, `a token not already given to account ${other}`);
      owner.set(t.token, name);
    });
  }
  const names = new Set<string>();
  s.cluster?.nodes.forEach((n, i) => {
    if (names.has(n.name)) issue(ctx, ["cluster", "nodes", i, "name"], n.name, "a node name used once");
    names.add(n.name);
  });
}

/** Adds an issue to `ctx` for every cross-field problem of a scenario (used by `scenarioSchema`). */
export function checkScenario(s: Shape, ctx: Ctx): void {
  const byId = new Map(s.resources.map((r) => [r.id, r] as const));
  checkAccountsAndNodes(s, ctx);
  checkResourceFields(s, ctx);
  checkNeeds(s, ctx, byId);
  checkEvents(s, ctx, byId);
}

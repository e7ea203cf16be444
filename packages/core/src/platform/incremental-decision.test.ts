import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AnyLifecycle } from "../lifecycle/lifecycle.js";
import { type DyffEntity, dyffKinds } from "../systems/dyff/index.js";
import type { AdmissionRecord } from "./admissions.js";
import { createdEntity } from "./fixtures.js";
import type { StateMessage } from "./messages.js";
import { makeOrchestrationIndex, type OrchestrationIndex } from "./orchestration-index.js";
import { decideOrchestration, emitMark, type OrchestratorAction } from "./orchestrator.js";
import type { Quotas } from "./scheduling.js";
import { keepNewestState } from "./state.js";

/**
 * The incremental decision against the full `decideOrchestration`, on long queues: many waiting
 * candidates in few accounts, items larger than the quota, fractional CPU requests, equal creation
 * instants spelled differently, unparsable creation times, dependencies across accounts (missing
 * ones, cycles), admissions released, work finishing or failing while others wait, actions performed
 * in part, statuses applied back by the aggregator, and several changes between two decisions.
 */

const accounts = ["alice", "bob", "carol"] as const;
const lifecycleOf = (e: DyffEntity): AnyLifecycle => dyffKinds[e.kind as keyof typeof dyffKinds].lifecycle;

interface Work {
  readonly kind: string;
  readonly deps: readonly number[];
  readonly gpu: number;
  readonly cpu: number;
  readonly account: string;
  readonly at: number;
  readonly spelling: number;
}
const arbitraryWork: fc.Arbitrary<Work> = fc.record({
  kind: fc.constantFrom(
    "Model",
    "Model",
    "Model",
    "InferenceService",
    "Evaluation",
    "Dataset",
    "Module",
    "Method",
  ),
  /** 0: a missing id, 1: any id (cycles), otherwise an earlier id. */
  deps: fc.array(fc.nat({ max: 40 }), { maxLength: 2 }),
  gpu: fc.integer({ min: 0, max: 7 }),
  cpu: fc.constantFrom(0, 0, 0.1, 0.2, 0.3, 0.7),
  account: fc.constantFrom("alice", "alice", "bob", "carol"),
  at: fc.integer({ min: 0, max: 12 }),
  spelling: fc.nat({ max: 9 }),
});
const noWork: Work = { kind: "Model", deps: [], gpu: 0, cpu: 0, account: "alice", at: 0, spelling: 9 };

const entityOf = (w: Work, i: number, ids: readonly string[], odd: boolean): DyffEntity => {
  const deps = w.deps.map((d) =>
    d % 10 === 0 ? "zz" : d % 10 === 1 || i === 0 ? ids[d % ids.length]! : ids[d % i]!,
  );
  const resources = { gpu: w.gpu, cpu: w.cpu, memoryGiB: 0 };
  const [first, other] = deps;
  const spec =
    w.kind === "InferenceService"
      ? { ...(first ? { model: first } : {}), resources }
      : w.kind === "Evaluation"
        ? { inferenceSession: { inferenceService: first ?? "zz" }, dataset: other ?? "zz", resources }
        : w.kind === "Method"
          ? { modules: deps }
          : { resources };
  // the same instant spelled three ways (an offset sorts after as text); in odd runs an unparsable time
  // that sorts between them as text, so that admissionOrder is no total order
  const ss = String(w.at).padStart(2, "0");
  const creationTime =
    odd && w.spelling === 0
      ? `2026-01-01T01:00:${ss}x`
      : w.spelling < 3
        ? `2026-01-01T00:00:${ss}.000+00:00`
        : w.spelling < 5
          ? `2026-01-01T02:00:${ss}+02:00`
          : `2026-01-01T00:00:${ss}Z`;
  return createdEntity({ kind: w.kind, id: ids[i]!, account: w.account, creationTime, spec });
};

type Change = { readonly check: boolean } & (
  | { readonly type: "create"; readonly count: number }
  | {
      readonly type: "state";
      readonly pick: number;
      readonly leaf: number;
      readonly to: "unfinished" | "any" | "stale";
    }
  | { readonly type: "finish"; readonly pick: number; readonly leaf: number }
  | { readonly type: "perform"; readonly quarters: number }
  | { readonly type: "aggregate" }
  | { readonly type: "release"; readonly pick: number; readonly deleted: boolean }
  | { readonly type: "admit"; readonly pick: number; readonly gpu: number }
);
const arbitraryChange: fc.Arbitrary<Change> = fc
  .tuple(
    fc.oneof(
      fc.record({ type: fc.constant("create" as const), count: fc.integer({ min: 1, max: 8 }) }),
      fc.record({
        type: fc.constant("state" as const),
        pick: fc.nat(),
        leaf: fc.nat(),
        to: fc.constantFrom("unfinished" as const, "any" as const, "stale" as const),
      }),
      fc.record({ type: fc.constant("finish" as const), pick: fc.nat(), leaf: fc.nat() }),
      fc.record({ type: fc.constant("perform" as const), quarters: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ type: fc.constant("perform" as const), quarters: fc.constant(4) }),
      fc.record({ type: fc.constant("aggregate" as const) }),
      fc.record({ type: fc.constant("release" as const), pick: fc.nat(), deleted: fc.boolean() }),
      fc.record({ type: fc.constant("admit" as const), pick: fc.nat(), gpu: fc.integer({ min: 0, max: 3 }) }),
    ),
    fc.nat({ max: 3 }),
  )
  .map(([change, n]) => ({ ...change, check: n > 0 }));
const arbitraryQuota = fc.record(
  {
    gpu: fc.integer({ min: 0, max: 6 }),
    slots: fc.integer({ min: 1, max: 4 }),
    cpu: fc.constantFrom(0.3, 0.6, 1),
  },
  { requiredKeys: [] },
);

const admission = (e: DyffEntity): AdmissionRecord => ({
  id: e.id,
  account: e.account,
  kind: e.kind,
  request: { gpu: 0, cpu: 0, memoryGiB: 0, slots: 1 },
  admittedAt: "t",
  releasedAt: null,
  resourceDeleted: false,
});

/** The world: the full view changed directly, the index through its methods (once built). */
function world(quotas: Quotas) {
  const entities = new Map<string, StateMessage>();
  const admissions = new Map<string, AdmissionRecord>();
  const emitted = new Map<string, string>();
  const history = new Map<string, StateMessage[]>();
  let index: OrchestrationIndex | undefined;
  const putState = (entity: DyffEntity) => {
    const past = history.get(entity.id) ?? [];
    const state = { version: past.length + 1, entity };
    history.set(entity.id, [...past, state]);
    keepNewestState(entities, state);
    index?.putState(state);
  };
  const putAdmission = (r: AdmissionRecord) => {
    admissions.set(r.id, r);
    index?.putAdmission(r, 1);
  };
  const putEmitted = (id: string, status: string, reason: string | null) => {
    const mark = emitMark(entities.get(id)!.version, status, reason);
    emitted.set(id, mark);
    index?.putEmitted(id, mark);
  };
  return {
    entities,
    admissions,
    emitted,
    history,
    putState,
    putAdmission,
    full: () => decideOrchestration({ entities, admissions, quotas, emitted }),
    index: () => index,
    /** Builds the index from the view so far (into `into`, when given). */
    build: (into = new Map<string, StateMessage>()) => {
      for (const [id, state] of entities) into.set(id, state);
      index = makeOrchestrationIndex(into, quotas);
      for (const r of admissions.values()) index.putAdmission(r, 1);
      for (const [id, mark] of emitted) index.putEmitted(id, mark);
    },
    /** What the orchestrator does for an action (makeOrchestrator's `perform`, without the I/O). */
    perform: (action: OrchestratorAction) => {
      const e = entities.get(action.id)!.entity;
      if (action.type === "emit") putEmitted(action.id, action.status, action.reason);
      else if (action.type === "resume") putEmitted(action.id, "Admitted", null);
      else if (action.type === "admit") {
        putAdmission({ ...admission(e), request: action.request });
        putEmitted(action.id, "Admitted", null);
      } else {
        const held = admissions.get(action.id)!;
        putAdmission({
          ...held,
          releasedAt: held.releasedAt ?? "t",
          resourceDeleted: held.resourceDeleted || action.deleteResource,
        });
      }
    },
  };
}

describe("the incremental orchestration decision", () => {
  it("decides exactly what the full decideOrchestration decides, in its order, after every change to long queues of waiting work", () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryWork, { minLength: 20, maxLength: 120, size: "max" }),
        fc.record({ alice: arbitraryQuota, bob: arbitraryQuota }),
        fc.array(arbitraryChange, { minLength: 20, maxLength: 150, size: "max" }),
        fc.nat({ max: 20 }),
        fc.nat({ max: 2 }),
        (works, quotas: Quotas, changes, indexedFrom, oddTimes) => {
          const ids = works.map((_, i) => `w${String(i).padStart(2, "0")}`);
          const odd = oddTimes === 0;
          const w = world(quotas);
          let created = 0;
          const create = (n: number) => {
            for (; n > 0 && created < works.length; n--, created++)
              w.putState(entityOf(works[created]!, created, ids, odd));
          };
          create(works.length / 2);
          changes.forEach((change, step) => {
            if (step === Math.min(indexedFrom, changes.length - 1)) w.build();
            const existing = [...w.entities.values()].map((s) => s.entity);
            const pick = <T>(n: number, list: readonly T[]) => list[n % list.length];
            if (change.type === "create") create(change.count);
            else if (change.type === "state" || change.type === "finish") {
              const admitted = existing.filter((e) => e.status === "Admitted");
              const e = change.type === "state" ? pick(change.pick, existing) : pick(change.pick, admitted);
              const past = e && w.history.get(e.id)!;
              if (e && change.type === "state" && change.to === "stale") {
                if (past!.length > 1) w.index()?.putState(past![change.leaf % (past!.length - 1)]!);
              } else if (e) {
                const leaves = lifecycleOf(e).leaves.filter(
                  (l) =>
                    (change.type === "state" && change.to === "any") ||
                    lifecycleOf(e).isTerminal(l.status) === (change.type === "finish"),
                );
                const leaf = leaves[change.leaf % leaves.length]!;
                w.putState({ ...e, status: leaf.status, reason: leaf.reason, message: null });
              }
            } else if (change.type === "perform") {
              const actions = w.full();
              for (const action of actions.slice(0, Math.ceil((actions.length * change.quarters) / 4)))
                w.perform(action);
            } else if (change.type === "aggregate") {
              // the aggregator applies what the orchestrator produced, where the machine allows it
              for (const { entity: e, version } of [...w.entities.values()]) {
                const mark = w.emitted.get(e.id);
                if (!mark?.startsWith(`${version}|`)) continue;
                const [status, reason] = mark.slice(mark.indexOf("|") + 1).split("/") as [string, string];
                const to = { status, reason: reason === "" ? null : reason };
                const from = { status: e.status, reason: e.reason, message: null, lastTransitionTime: null };
                if (!(lifecycleOf(e).moveTo(from, to) instanceof Error))
                  w.putState({ ...e, ...to, message: null });
              }
            } else if (change.type === "admit") {
              // an admission written elsewhere (a previous orchestrator), found in the store
              const e = pick(change.pick, existing);
              if (e && !w.admissions.has(e.id))
                w.putAdmission({
                  ...admission(e),
                  request: { gpu: change.gpu, cpu: 0, memoryGiB: 0, slots: 1 },
                });
            } else {
              const held = pick(change.pick, [...w.admissions.values()]);
              if (held)
                w.putAdmission({
                  ...held,
                  releasedAt: "t",
                  resourceDeleted: held.resourceDeleted || change.deleted,
                });
            }
            const index = w.index();
            if (index && (change.check || step === changes.length - 1))
              expect(index.decide()).toEqual(w.full());
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("after the first decision, a decision over 5,000 waiting workloads reads only the entities that changed", () => {
    /** A map that counts its reads, to see which entities a decision looks at. */
    class CountingMap<K, V> extends Map<K, V> {
      reads = 0;
      override get(key: K) {
        this.reads++;
        return super.get(key);
      }
    }
    const quotas = { alice: { gpu: 4 }, bob: { gpu: 4 } };
    const w = world(quotas);
    const entities = new CountingMap<string, StateMessage>();
    w.build(entities);
    for (let i = 0; i < 5000; i++) {
      const work = {
        kind: "Model",
        deps: [],
        gpu: 1 + (i % 3),
        cpu: 0,
        account: accounts[i % 2]!,
        at: 0,
        spelling: 9,
      };
      const creationTime = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      w.putState({ ...entityOf(work, 0, [`m${String(i).padStart(4, "0")}`], false), creationTime });
    }
    const round = () => {
      const actions = w.index()!.decide();
      expect(actions).toEqual(w.full());
      for (const action of actions) w.perform(action);
      return actions;
    };
    expect(round().filter((a) => a.type === "admit").length).toBeGreaterThan(0);
    expect(round()).toEqual([]); // the first round's statuses are marked
    entities.reads = 0;
    expect(round()).toEqual([]);
    expect(entities.reads).toBe(0);
    // the admitted workloads of alice finish: their quota returns, the next of the queue are admitted
    const done = [...w.admissions.values()].filter((r) => r.account === "alice").map((r) => r.id);
    for (const id of done) w.putState({ ...w.entities.get(id)!.entity, status: "Ready" });
    entities.reads = 0;
    const actions = round();
    expect(actions.slice(0, done.length)).toEqual(
      done.map((id) => ({ type: "release", id, deleteResource: false })),
    );
    expect(actions.slice(done.length).some((a) => a.type === "admit")).toBe(true);
    expect(entities.reads).toBeLessThan(50);
  });

  it("in a dependency cycle, where the first entity visited decides what the others see, it decides as the full walk does", () => {
    const w = world({});
    w.build();
    const base = entityOf({ ...noWork, kind: "Module" }, 0, ["f"], false);
    w.putState({ ...base, status: "Error", reason: "FetchFailed" });
    // a needs b and the failed f; b needs a: visited from a, b only waits; visited from b, it fails
    w.putState({ ...base, kind: "Method", id: "a", spec: { modules: ["b", "f"] } });
    w.putState({ ...base, kind: "Method", id: "b", spec: { modules: ["a"] } });
    const first = w.index()!.decide();
    expect(first).toEqual(w.full());
    expect(first.map((a) => (a.type === "emit" ? `${a.id}:${a.reason}` : a.type))).toEqual([
      "a:FailedDependency",
      "b:UnsatisfiedDependency",
    ]);
    for (const action of first) w.perform(action);
    expect(w.index()!.decide()).toEqual([]);
    w.putAdmission(admission(w.entities.get("b")!.entity)); // only b's records change
    expect(w.index()!.decide()).toEqual(w.full());
  });

  it("when an entity that walked into a cycle finishes, the cycle members it does not depend on are decided again, as the full walk decides them (seed 769550987)", () => {
    const w = world({});
    w.build();
    const base = entityOf({ ...noWork, kind: "Module" }, 0, ["x"], false);
    w.putState({ ...base, status: "Error", reason: "FetchFailed" });
    // f needs d and the failed x; d needs f; b needs f. In id order the walk enters the cycle at b
    // (through f, so d only waits); once b is finished it enters at d (then d fails with f)
    w.putState({ ...base, kind: "Method", id: "f", spec: { modules: ["d", "x"] } });
    w.putState({ ...base, kind: "Method", id: "d", spec: { modules: ["f"] } });
    w.putState({ ...base, kind: "Method", id: "b", spec: { modules: ["f"] } });
    const first = w.index()!.decide();
    expect(first).toEqual(w.full());
    expect(first.map((a) => (a.type === "emit" ? `${a.id}:${a.reason}` : a.type))).toEqual([
      "b:FailedDependency",
      "d:UnsatisfiedDependency",
      "f:FailedDependency",
    ]);
    for (const action of first) w.perform(action);
    expect(w.index()!.decide()).toEqual([]);
    w.putState({ ...w.entities.get("b")!.entity, status: "Ready" }); // b finishes; d does not depend on it
    const next = w.index()!.decide();
    expect(next.map((a) => (a.type === "emit" ? `${a.id}:${a.reason}` : a.type))).toEqual([
      "d:FailedDependency",
    ]);
    expect(next).toEqual(w.full());
  });

  it("an unparsable creation time waits behind every parsable one, in the full decision's order", () => {
    const w = world({});
    w.build();
    const ids = Array.from({ length: 5 }, (_, i) => `w${i}`);
    for (const [i, spelling] of [0, 3, 0, 1, 0].entries())
      w.putState(entityOf({ ...noWork, spelling }, i, ids, true));
    const actions = w.index()!.decide();
    expect(actions.map((a) => a.type)).toEqual(ids.map(() => "admit"));
    expect(actions).toEqual(w.full());
  });
});

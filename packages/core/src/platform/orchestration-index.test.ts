import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AnyLifecycle } from "../lifecycle/lifecycle.js";
import { type DyffEntity, dyffKinds } from "../systems/dyff/index.js";
import type { AdmissionRecord } from "./admissions.js";
import { dependenciesOf } from "./commands.js";
import { createdEntity } from "./fixtures.js";
import type { StateMessage } from "./messages.js";
import { makeOrchestrationIndex, type OrchestrationIndex } from "./orchestration-index.js";
import { decideOrchestration, emitMark, type OrchestratorAction } from "./orchestrator.js";
import type { Quotas } from "./scheduling.js";
import { keepNewestState } from "./state.js";

/** A few ids, so that dependencies, cycles and accounts collide often; "zz" is never created. */
const ids = ["a", "b", "c", "d", "e", "f"] as const;
const accounts = ["alice", "bob", "carol"] as const;
const times = ["2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:01.000+00:00"] as const;

/** The spec of `kind` that depends on `deps`, for the kinds whose dependencies fit that many ids. */
const specOf = (kind: string, deps: readonly string[], gpu: number): object | undefined => {
  const resources = { gpu, cpu: 0, memoryGiB: 0 };
  const [first, ...rest] = deps;
  switch (kind) {
    case "Model":
    case "Dataset":
    case "DataSource":
    case "Module":
      return deps.length === 0 ? { resources } : undefined;
    case "Method":
      return { modules: deps };
    case "InferenceService":
      return deps.length <= 1 ? { ...(first ? { model: first } : {}), resources } : undefined;
    case "InferenceSession":
      return deps.length === 1 ? { inferenceService: first, resources } : undefined;
    case "Evaluation":
      return deps.length === 2
        ? { inferenceSession: { inferenceService: first }, dataset: rest[0], resources }
        : undefined;
    case "Report":
      return first ? { evaluation: first, modules: rest, resources } : undefined;
    case "Measurement":
    case "SafetyCase":
      return first ? { method: first, inputs: rest, resources } : undefined;
    case "Audit":
      return deps.length === 1 ? { inferenceService: first, resources } : undefined;
  }
  return undefined;
};

/** What each id is: a kind, an account, a creation time and its dependencies (any ids, itself included). */
const arbitraryEntity = (id: string) =>
  fc
    .record({
      kind: fc.constantFrom(...Object.keys(dyffKinds)),
      deps: fc.array(fc.constantFrom(...ids, "zz"), { maxLength: 3 }),
      gpu: fc.integer({ min: 0, max: 3 }),
      account: fc.constantFrom(...accounts),
      creationTime: fc.constantFrom(...times),
    })
    .map(({ kind, deps, gpu, account, creationTime }): DyffEntity | undefined => {
      const spec = specOf(kind, deps, gpu);
      if (!spec) return undefined;
      return createdEntity({ kind, id, account, creationTime, spec });
    })
    .filter((e): e is DyffEntity => e !== undefined);

/**
 * One change: a state record (a leaf of the kind, unfinished or any, or a stale re-delivery of an
 * older version), an admission record created or released, or the orchestrator performing what it
 * decided (emitted marks, admissions, releases).
 */
type Change =
  | {
      readonly type: "state";
      readonly id: string;
      readonly leaf: number;
      readonly to: "unfinished" | "any" | "stale";
    }
  | { readonly type: "admit"; readonly id: string; readonly gpu: number }
  | { readonly type: "release"; readonly id: string; readonly deleted: boolean }
  | { readonly type: "perform" };
const arbitraryChange: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant("state" as const),
      id: fc.constantFrom(...ids),
      leaf: fc.nat(),
      to: fc.constantFrom("unfinished" as const, "any" as const, "stale" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("admit" as const),
      id: fc.constantFrom(...ids),
      gpu: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("release" as const),
      id: fc.constantFrom(...ids),
      deleted: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant("perform" as const) }) },
);
const arbitraryQuota = fc.record(
  { gpu: fc.integer({ min: 0, max: 4 }), slots: fc.integer({ min: 0, max: 3 }) },
  { requiredKeys: [] },
);

const record = (id: string, account: string, gpu: number): AdmissionRecord => ({
  id,
  account,
  kind: "Model",
  request: { gpu, cpu: 0, memoryGiB: 0, slots: 1 },
  admittedAt: "t",
  releasedAt: null,
  resourceDeleted: false,
});

/**
 * The reference (the whole view, changed directly) and the index (built at step `indexedFrom`), given
 * the same changes; `check` runs after each change with the full decision.
 */
function replay(
  entityList: readonly DyffEntity[],
  quotas: Quotas,
  changes: readonly Change[],
  indexedFrom: number,
  check: (index: OrchestrationIndex, full: OrchestratorAction[]) => void,
) {
  const kinds = new Map(entityList.map((e) => [e.id, e]));
  const entities = new Map<string, StateMessage>();
  const admissions = new Map<string, AdmissionRecord>();
  const emitted = new Map<string, string>();
  const history = new Map<string, StateMessage[]>();
  let index: OrchestrationIndex | undefined;
  const putState = (state: StateMessage) => {
    keepNewestState(entities, state);
    index?.putState(state);
  };
  const putAdmission = (r: AdmissionRecord) => {
    admissions.set(r.id, r);
    index?.putAdmission(r, 1);
  };
  const perform = (action: OrchestratorAction) => {
    const state = entities.get(action.id)!;
    const mark = (status: string, reason: string | null) => {
      emitted.set(action.id, emitMark(state.version, status, reason));
      index?.putEmitted(action.id, emitMark(state.version, status, reason));
    };
    if (action.type === "emit") mark(action.status, action.reason);
    else if (action.type === "resume") mark("Admitted", null);
    else if (action.type === "admit") {
      putAdmission({ ...record(action.id, state.entity.account, 0), request: action.request });
      mark("Admitted", null);
    } else {
      const held = admissions.get(action.id)!;
      putAdmission({
        ...held,
        releasedAt: held.releasedAt ?? "t",
        resourceDeleted: held.resourceDeleted || action.deleteResource,
      });
    }
  };
  const full = () => decideOrchestration({ entities, admissions, quotas, emitted });
  changes.forEach((change, step) => {
    if (step === Math.min(indexedFrom, changes.length - 1)) {
      index = makeOrchestrationIndex(new Map(entities), quotas);
      for (const r of admissions.values()) index.putAdmission(r, 1);
      for (const [id, mark] of emitted) index.putEmitted(id, mark);
    }
    if (change.type === "state") {
      const past = history.get(change.id) ?? [];
      if (change.to === "stale" && past.length > 1) putState(past[change.leaf % (past.length - 1)]!);
      else {
        const base = kinds.get(change.id)!;
        const lifecycle: AnyLifecycle = dyffKinds[base.kind as keyof typeof dyffKinds].lifecycle;
        const leaves = lifecycle.leaves.filter((l) => change.to === "any" || !lifecycle.isTerminal(l.status));
        const leaf = leaves[change.leaf % leaves.length]!;
        const state = { version: past.length + 1, entity: { ...base, ...leaf } };
        history.set(change.id, [...past, state]);
        putState(state);
      }
    } else if (change.type === "admit") {
      if (!admissions.has(change.id)) putAdmission(record(change.id, "alice", change.gpu));
    } else if (change.type === "release") {
      const held = admissions.get(change.id);
      if (held)
        putAdmission({ ...held, releasedAt: "t", resourceDeleted: held.resourceDeleted || change.deleted });
    }
    const actions = full();
    if (index) check(index, actions);
    if (change.type === "perform") for (const action of actions) perform(action);
  });
  return { index: index!, history, full, perform };
}

const arbitraryRun = [
  fc.tuple(...ids.map(arbitraryEntity)),
  fc.record({ alice: arbitraryQuota, bob: arbitraryQuota }),
  fc.array(arbitraryChange, { minLength: 1, maxLength: 80, size: "+1" }),
  fc.nat({ max: 10 }),
] as const;

describe("the orchestration index", () => {
  it("the incremental orchestration decides exactly what the full decideOrchestration decides, after every state or admission change, and keeps only ids that can still act", () => {
    fc.assert(
      fc.property(...arbitraryRun, (entityList, quotas: Quotas, changes, indexedFrom) => {
        replay(entityList, quotas, changes, indexedFrom, (index, full) => {
          const view = { entities: index.entities, admissions: index.admissions, quotas };
          expect(decideOrchestration({ ...view, emitted: index.emitted }, index.active)).toEqual(full);
          expect(index.decide()).toEqual(full);
          // pruned: an id stays only while it is unfinished or its admission is due a release
          for (const id of index.active) {
            const e = index.entities.get(id)!.entity;
            const lifecycle: AnyLifecycle = dyffKinds[e.kind as keyof typeof dyffKinds].lifecycle;
            const terminal = lifecycle.isTerminal(e.status);
            expect(!terminal || full.some((x) => x.type === "release" && x.id === id)).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it("what was produced is kept only for ids that can act, and re-delivering every earlier state and admission record after the pruning produces no new action (admit once, emit once)", () => {
    fc.assert(
      fc.property(...arbitraryRun, (entityList, quotas: Quotas, changes, indexedFrom) => {
        const bounded = (index: OrchestrationIndex) => {
          for (const id of index.emitted.keys()) expect(index.active.has(id)).toBe(true);
        };
        const run = replay(entityList, quotas, changes, indexedFrom, bounded);
        const { index } = run;
        // perform what is decided until nothing is: the states do not move, so it settles
        let rounds = 0;
        for (let actions = index.decide(); actions.length > 0; actions = index.decide()) {
          expect(index.decide()).toEqual(run.full());
          for (const action of actions) run.perform(action);
          expect(++rounds).toBeLessThan(10);
        }
        bounded(index);
        const pruned = [...index.entities.keys()].filter((id) => !index.active.has(id));
        // at least once: every state of every id, oldest first, then each admission record again
        for (const past of run.history.values()) for (const state of past) index.putState(state);
        for (const id of index.admissions.keys()) {
          const held = index.admission(id)!;
          index.putAdmission(held.record, held.version);
        }
        expect(index.decide()).toEqual([]);
        expect(run.full()).toEqual([]);
        expect(pruned.filter((id) => index.active.has(id))).toEqual([]);
        bounded(index);
      }),
      { numRuns: 300 },
    );
  });

  it("pruned incremental decisions equal the full decideOrchestration when dependants arrive after their dependencies failed or finished and left the index (late dependants of pruned ids)", () => {
    let latePrunedDependants = 0;
    fc.assert(
      fc.property(
        fc.tuple(...ids.map(arbitraryEntity)),
        fc.record({ alice: arbitraryQuota, bob: arbitraryQuota }),
        fc.subarray([...ids], { minLength: 1, maxLength: ids.length - 1 }),
        fc.array(fc.record({ id: fc.nat(), leaf: fc.nat(), perform: fc.boolean() }), { maxLength: 20 }),
        fc.array(arbitraryChange, { minLength: 1, maxLength: 40 }),
        (entityList, quotas: Quotas, early, earlySteps, lateChanges) => {
          // first the dependencies: any state (often terminal), performed and settled, so that the
          // finished ones leave `active` and their marks are pruned; then everything, the late
          // dependants of those ids included
          const first: Change[] = earlySteps.flatMap(({ id, leaf, perform }) => [
            { type: "state", id: early[id % early.length]!, leaf, to: "any" } as const,
            ...(perform ? [{ type: "perform" } as const] : []),
          ]);
          const settle: Change[] = [{ type: "perform" }, { type: "perform" }, { type: "perform" }];
          const changes = [...first, ...settle, ...lateChanges];
          const arrived = new Set<string>();
          replay(entityList, quotas, changes, 0, (index, full) => {
            for (const id of index.entities.keys()) {
              if (arrived.has(id)) continue;
              arrived.add(id);
              const deps = dependenciesOf(entityList.find((e) => e.id === id)!);
              if (deps.some((d) => index.entities.has(d) && !index.active.has(d))) latePrunedDependants++;
            }
            const view = { entities: index.entities, admissions: index.admissions, quotas };
            expect(index.decide()).toEqual(full);
            expect(decideOrchestration({ ...view, emitted: index.emitted }, index.active)).toEqual(full);
            for (const id of index.emitted.keys()) expect(index.active.has(id)).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
    // the histories did reach the case: a dependant arriving after its dependency left the index
    expect(latePrunedDependants).toBeGreaterThan(20);
  });

  it("finished, released work leaves the index: 1,000 workloads run to the end leave no id to decide over", () => {
    const entities = new Map<string, StateMessage>();
    const index = makeOrchestrationIndex(entities);
    const quotas = { alice: { slots: 10 } };
    const emitted = new Map<string, string>();
    const decide = () =>
      decideOrchestration(
        { entities: index.entities, admissions: index.admissions, quotas, emitted },
        index.active,
      );
    const base = (id: string): DyffEntity =>
      createdEntity({ kind: "Model", id, account: "alice", creationTime: "2026-01-01T00:00:00Z", spec: {} });
    for (let i = 0; i < 1000; i++) {
      const id = `w${String(i).padStart(4, "0")}`;
      index.putState({ version: 1, entity: base(id) });
      expect(decide()).toEqual([{ type: "admit", id, request: { gpu: 0, cpu: 0, memoryGiB: 0, slots: 1 } }]);
      index.putAdmission(record(id, "alice", 0), 1);
      index.putEmitted(id, emitMark(1, "Admitted", null));
      index.putState({ version: 2, entity: { ...base(id), status: "Ready" } });
      expect(decide()).toEqual([{ type: "release", id, deleteResource: false }]);
      index.putAdmission({ ...record(id, "alice", 0), releasedAt: "t" }, 2);
      expect(index.active.size).toBe(0);
      expect(index.emitted.size).toBe(0); // what was produced for it went with it
    }
    expect(index.entities.size).toBe(1000);
    // a finished entity keeps its outcome for dependants, not its spec
    const held = index.entities.get("w0007")!;
    expect(held).toEqual({ version: 2, entity: { ...base("w0007"), status: "Ready" } });
    index.putState({
      version: 3,
      entity: { ...base("w0999"), status: "Error", reason: "FetchFailed", spec: { big: "x".repeat(100) } },
    });
    expect(index.entities.get("w0999")!.entity.spec).toEqual({});
    // a finished entity comes back when it changes again: Deleted work must have its object deleted
    index.putState({ version: 3, entity: { ...base("w0007"), status: "Deleted", reason: "DeleteCommand" } });
    expect([...index.active]).toEqual(["w0007"]);
    expect(decide()).toEqual([{ type: "release", id: "w0007", deleteResource: true }]);
  });
});

import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { describe, expect, it } from "vitest";
import { layerMemory, MemoryBackend } from "../../../adapter-memory/src/index.js";
import type { AnyLifecycle } from "../lifecycle/lifecycle.js";
import { Cluster, ClusterError } from "../ports/Cluster.js";
import { StateLog } from "../ports/StateLog.js";
import { type DyffEntity, dyffKinds } from "../systems/dyff/index.js";
import type { AdmissionRecord } from "./admissions.js";
import { stateOf as entity } from "./fixtures.js";
import { decodeEvent, encodeState, type StateMessage } from "./messages.js";
import { decideOrchestration, emitMark, makeOrchestrator, type OrchestratorView } from "./orchestrator.js";
import { requestOf } from "./scheduling.js";

const ready = [
  entity("InferenceService", "svc", {}, { status: "Ready" }),
  entity("Dataset", "d1", {}, { status: "Ready" }),
];
const evaluation = (id: string, creationTime: string, gpu = 1, patch: Partial<DyffEntity> = {}) =>
  entity(
    "Evaluation",
    id,
    { inferenceSession: { inferenceService: "svc" }, dataset: "d1", resources: { gpu } },
    { creationTime, ...patch },
  );
/** A valid spec per kind, for kinds whose spec has required fields (their dependencies need not exist). */
const specs: Record<string, object> = {
  Evaluation: { inferenceSession: { inferenceService: "svc" }, dataset: "d1" },
  Report: { evaluation: "e1" },
  Audit: { inferenceService: "svc" },
  Measurement: { method: "meth" },
  SafetyCase: { method: "meth" },
  InferenceSession: { inferenceService: "svc" },
};
const admitted = (s: StateMessage, released: string | null = null): AdmissionRecord => ({
  id: s.entity.id,
  account: s.entity.account,
  kind: s.entity.kind,
  request: requestOf(s.entity),
  admittedAt: "2026-01-01T00:00:00Z",
  releasedAt: released,
  resourceDeleted: false,
});

/** given: entities, admissions, quotas, what was emitted; then: the actions, short. */
const given = (list: StateMessage[], more: Partial<OrchestratorView> = {}) =>
  decideOrchestration({
    entities: new Map(list.map((s) => [s.entity.id, s])),
    admissions: new Map(),
    quotas: {},
    emitted: new Map(),
    ...more,
  }).map((a) => (a.type === "emit" ? `${a.id}:${a.status}/${a.reason ?? ""}` : `${a.id}:${a.type}`));

describe("the orchestrator decides from the current state", () => {
  it("work whose dependency does not exist yet shows Created/UnsatisfiedDependency, produced once per version", () => {
    const e1 = evaluation("e1", "t1");
    expect(given([e1])).toEqual(["e1:Created/UnsatisfiedDependency"]);
    const emitted = new Map([["e1", emitMark(1, "Created", "UnsatisfiedDependency")]]);
    expect(given([e1], { emitted })).toEqual([]);
    expect(given([{ ...e1, entity: { ...e1.entity, reason: "UnsatisfiedDependency" } }])).toEqual([]);
  });

  it("a failed dependency fails every unfinished transitive dependent with its own failure status", () => {
    const out = given([
      entity("Model", "m1", {}, { status: "Error", reason: "FetchFailed" }),
      entity("InferenceService", "svc", { model: "m1" }, { reason: "UnsatisfiedDependency" }),
      entity("Dataset", "d1", {}, { status: "Ready" }),
      evaluation("e1", "t1", 1, { reason: "UnsatisfiedDependency" }),
      entity("Report", "r1", { evaluation: "e1" }, { status: "Admitted" }),
    ]);
    expect(out).toEqual([
      "e1:Failed/FailedDependency",
      "r1:Failed/FailedDependency",
      "svc:Error/FailedDependency",
    ]);
  });

  it("admits first come first served within the quota; the rest wait with Created/QuotaLimit, shown once", () => {
    const list = [
      ...ready,
      evaluation("e2", "2026-01-01T00:00:01Z"),
      evaluation("e1", "2026-01-01T00:00:02Z"),
    ];
    expect(given(list, { quotas: { alice: { gpu: 1 } } })).toEqual(["e2:admit", "e1:Created/QuotaLimit"]);
    const waiting = list.map((s) =>
      s.entity.id === "e1" ? { ...s, entity: { ...s.entity, reason: "QuotaLimit" } } : s,
    );
    expect(given(waiting, { quotas: { alice: { gpu: 1 } } })).toEqual(["e2:admit"]);
    expect(given(list, { quotas: { alice: { slots: 2 } } })).toEqual(["e2:admit", "e1:admit"]);
    expect(given(list, { quotas: { bob: { gpu: 0 } } })).toEqual(["e2:admit", "e1:admit"]);
  });

  it("admitted work keeps its place ahead of older waiting work; its quota returns when it is terminal", () => {
    const late = evaluation("late", "2026-01-01T00:00:09Z", 1, { status: "Admitted" });
    const early = evaluation("early", "2026-01-01T00:00:01Z");
    const admissions = new Map([["late", admitted(late)]]);
    expect(given([...ready, late, early], { admissions, quotas: { alice: { gpu: 1 } } })).toEqual([
      "early:Created/QuotaLimit",
    ]);
    const done = { ...late, entity: { ...late.entity, status: "Complete" } };
    expect(given([...ready, done, early], { admissions, quotas: { alice: { gpu: 1 } } })).toEqual([
      "late:release",
      "early:admit",
    ]);
  });

  it("strict FIFO: a waiting item blocks later ones, except an item larger than the whole quota", () => {
    const quotas = { alice: { gpu: 2 } };
    const holder = evaluation("h", "t0", 1, { status: "Admitted" });
    const admissions = new Map([["h", admitted(holder)]]);
    const big = evaluation("big", "t1", 2);
    const small = evaluation("small", "t2", 1);
    expect(given([...ready, holder, big, small], { admissions, quotas })).toEqual([
      "big:Created/QuotaLimit",
      "small:Created/QuotaLimit",
    ]);
    const huge = evaluation("huge", "t1", 8);
    expect(given([...ready, holder, huge, small], { admissions, quotas })).toEqual([
      "huge:Created/QuotaLimit",
      "small:admit",
    ]);
  });

  it("a terminal status releases the admission once; the resource is deleted only when the work must stop (Terminated, Deleted)", () => {
    const m = (status: string, reason: string | null) => entity("Model", "m1", {}, { status, reason });
    const admissions = (released: string | null, deleted = false) =>
      new Map([["m1", { ...admitted(m("Admitted", null), released), resourceDeleted: deleted }]]);
    const release = (s: StateMessage, adm: Map<string, AdmissionRecord>) =>
      decideOrchestration({
        entities: new Map([["m1", s]]),
        admissions: adm,
        quotas: {},
        emitted: new Map(),
      });
    expect(release(m("Ready", null), admissions(null))).toEqual([
      { type: "release", id: "m1", deleteResource: false },
    ]);
    expect(release(m("Terminated", "TerminateCommand"), admissions(null))).toEqual([
      { type: "release", id: "m1", deleteResource: true },
    ]);
    expect(release(m("Deleted", "DeleteCommand"), admissions("t", false))).toEqual([
      { type: "release", id: "m1", deleteResource: true },
    ]);
    expect(release(m("Deleted", "DeleteCommand"), admissions("t", true))).toEqual([]);
    expect(release(m("Ready", null), admissions("t"))).toEqual([]);
  });

  it("every terminal status of every kind that computes (Failed, Error, Terminated, Deleted included) gives the quota back to waiting work", () => {
    const waiter = entity("Model", "waiter", {}, { creationTime: "2026-01-02T00:00:00Z" });
    const quotas = { alice: { slots: 1 } };
    let checked = 0;
    for (const [kind, k] of Object.entries(dyffKinds)) {
      const lifecycle: AnyLifecycle = k.lifecycle;
      if (!lifecycle.spec.statuses.Admitted) continue;
      const holding = entity(kind, "holder", specs[kind] ?? {}, { status: "Admitted" });
      const admissions = new Map([["holder", admitted(holding)]]);
      expect(given([holding, waiter], { admissions, quotas })).toEqual(["waiter:Created/QuotaLimit"]);
      for (const leaf of lifecycle.leaves.filter((l) => lifecycle.isTerminal(l.status))) {
        const done = { ...holding, entity: { ...holding.entity, ...leaf } };
        expect(given([done, waiter], { admissions, quotas })).toEqual(["holder:release", "waiter:admit"]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(9 * 4);
  });

  it("an admission the state does not show yet is resumed once per version, never admitted again", () => {
    const e1 = evaluation("e1", "t1");
    const admissions = new Map([["e1", admitted(e1)]]);
    expect(given([...ready, e1], { admissions })).toEqual(["e1:resume"]);
    const emitted = new Map([["e1", emitMark(1, "Admitted", null)]]);
    expect(given([...ready, e1], { admissions, emitted })).toEqual([]);
  });

  it("Module and Method become Ready when their dependencies are; a Dataset waits for its upload", () => {
    expect(given([entity("Module", "mod")])).toEqual(["mod:Ready/"]);
    expect(given([entity("Method", "meth", { modules: ["mod"] }), entity("Module", "mod")])).toEqual([
      "meth:Created/UnsatisfiedDependency",
      "mod:Ready/",
    ]);
    expect(given([entity("Dataset", "d1")])).toEqual([]);
  });
});

describe("the orchestrator over the memory ports", () => {
  it("admits once: a second orchestrator that sees the same Created state re-ensures, but never writes a second admission", async () => {
    const out = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const backend = yield* MemoryBackend;
          const states = [...ready, evaluation("e1", "t1")];
          yield* (yield* StateLog).append(states.map((s) => ({ key: s.entity.id, value: encodeState(s) })));
          const first = yield* Effect.scoped(Effect.flatMap(makeOrchestrator(), (o) => o.runOnce("t2")));
          const admission = backend.keyValue.entries().get("admission/e1");
          const second = yield* Effect.scoped(Effect.flatMap(makeOrchestrator(), (o) => o.runOnce("t3")));
          const statuses = backend.events.records().map((r) => decodeEvent(r.key, r.value));
          return {
            first,
            second,
            same: backend.keyValue.entries().get("admission/e1") === admission,
            objects: backend.cluster.objects().map((o) => `${o.kind}/${o.name}`),
            statuses: statuses.map((s) =>
              s instanceof Error ? s : `${s.type}:${(s as { status: string }).status}`,
            ),
          };
        }),
      ).pipe(Effect.provide(layerMemory({ seed: 2 }))),
    );
    expect(out.first).toBe(4); // three records, one admission
    expect(out.second).toBe(1); // the records were committed: only the resume, from the state it rebuilt
    expect(out.same).toBe(true);
    expect(out.objects).toEqual(["Evaluation/e1"]);
    expect(out.statuses).toEqual(["Status:Admitted", "Status:Admitted"]);
  });

  it("a workflow object the cluster refuses for good (Forbidden) fails that work with AdmissionFailed, and other work is still admitted", async () => {
    // the memory cluster, refusing to create e1's object (as an admission webhook or a ResourceQuota would)
    const refusing = Layer.effect(
      Cluster,
      Effect.gen(function* () {
        const real = (yield* MemoryBackend).cluster.port;
        return {
          ...real,
          create: (o) =>
            o.name === "e1"
              ? Effect.fail(
                  new ClusterError({
                    operation: "create",
                    kind: o.kind,
                    name: o.name,
                    code: "Forbidden",
                    message: "exceeded quota: gpu",
                  }),
                )
              : real.create(o),
        };
      }),
    );
    const out = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const backend = yield* MemoryBackend;
          const states = [...ready, evaluation("e1", "t1"), evaluation("e2", "t2")];
          yield* (yield* StateLog).append(states.map((s) => ({ key: s.entity.id, value: encodeState(s) })));
          const orchestrator = yield* makeOrchestrator().pipe(Effect.provide(refusing));
          yield* orchestrator.runOnce("t3");
          return backend.events.records().map((r) => {
            const m = decodeEvent(r.key, r.value);
            return m instanceof Error || m.type !== "Status" ? m : `${r.key}:${m.status}/${m.reason ?? ""}`;
          });
        }),
      ).pipe(Effect.provide(layerMemory({ seed: 8 }))),
    );
    expect(out.sort()).toEqual(["e1:Failed/AdmissionFailed", "e2:Admitted/"]);
  });
});

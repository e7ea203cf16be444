import * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";
import { describe, expect, it } from "vitest";
// Tests may use an adapter; core itself never imports one.
import {
  layerMemory,
  MemoryBackend,
  type MemoryFaults,
  type MemoryPorts,
} from "../../../adapter-memory/src/index.js";
import type { Verb } from "../ports/Authorizer.js";
import { Cluster } from "../ports/Cluster.js";
import { ViewStore } from "../ports/ViewStore.js";
import {
  CommandRefused,
  createEntity,
  deleteEntity,
  editEntityLabels,
  markEntityUploaded,
  terminateEntity,
} from "./commands.js";
import { makeControlPlane } from "./control-plane.js";
import { decodeState } from "./messages.js";
import { replayEvents } from "./replay.js";
import type { Quotas } from "./scheduling.js";
import { viewEntity } from "./sink.js";
import { type StepSpec, stepCondition, stepKinds } from "./steps.js";

/**
 * The whole pipeline in memory: commands in, the five services round-robin until quiet, steps
 * finished by writing their conditions on the cluster (what the simulator or kwok does), statuses
 * read back from the query view and the state log.
 */

const all: Verb[] = ["create", "terminate", "delete", "label", "get"];
const tokens = {
  "alice-token": { account: "alice", verbs: all },
  "alice-readonly": { account: "alice", verbs: ["get"] as Verb[] },
  "bob-token": { account: "bob", verbs: all },
};
const t = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

type Ports = MemoryPorts | MemoryBackend | Scope.Scope;
const run = <A, E>(program: Effect.Effect<A, E, Ports>, faults: Partial<MemoryFaults> = {}, seed = 1) =>
  Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layerMemory({ tokens, faults, seed }))));

/** Finishes every step that has not reported yet: Complete (jobs) or Available (servers), or Failed for `fail` roles. */
const finishSteps = (
  now: string,
  fail: ReadonlySet<string> = new Set(),
  only?: (workflow: string) => boolean,
) =>
  Effect.gen(function* () {
    const cluster = yield* Cluster;
    let finished = 0;
    for (const kind of stepKinds) {
      for (const step of yield* cluster.list(kind)) {
        if (step.owner === null || step.conditions.length > 0) continue;
        const { workflow, role } = step.spec as StepSpec;
        if (only && !only(workflow.id)) continue;
        const condition = fail.has(`${workflow.id}/${role}`)
          ? stepCondition("Failed", "BackoffLimitExceeded", now, `${role} failed`)
          : stepCondition(
              kind === "Job" ? "Complete" : "Available",
              kind === "Job" ? "Complete" : "Available",
              now,
            );
        yield* cluster.writeConditions(kind, step.name, step.resourceVersion, [condition]);
        finished++;
      }
    }
    return finished;
  });

/** Statuses in the query view, `status` or `status/reason`, by id. */
const viewStatuses = Effect.gen(function* () {
  const out: Record<string, string> = {};
  for (const doc of yield* (yield* ViewStore).list()) {
    const e = viewEntity(doc);
    if (e instanceof Error) throw e;
    out[e.id] = e.reason ? `${e.status}/${e.reason}` : e.status;
  }
  return out;
});

/** Every status an entity passed through on the state log, in version order. */
const history = (id: string) =>
  Effect.gen(function* () {
    const backend = yield* MemoryBackend;
    return backend.state
      .records()
      .filter((r) => r.key === id)
      .map((r) => decodeState(r.key, r.value))
      .flatMap((s) => (s instanceof Error ? [] : [s]))
      .sort((a, b) => a.version - b.version)
      .map((s) => (s.entity.reason ? `${s.entity.status}/${s.entity.reason}` : s.entity.status));
  });

const chain = [
  { kind: "Model", id: "m1", account: "alice" },
  { kind: "InferenceService", id: "svc1", account: "alice", spec: { model: "m1" } },
  { kind: "Dataset", id: "d1", account: "alice" },
  {
    kind: "Evaluation",
    id: "e1",
    account: "alice",
    spec: { inferenceSession: { inferenceService: "svc1" }, dataset: "d1", resources: { gpu: 1 } },
  },
  { kind: "Report", id: "r1", account: "alice", spec: { evaluation: "e1" } },
];

/** Creates the requests, uploads d1, then alternates settling and finishing steps, one simulated minute apart. */
const drive = (requests: readonly unknown[], options: { quotas?: Quotas; fail?: ReadonlySet<string> } = {}) =>
  Effect.gen(function* () {
    const plane = yield* makeControlPlane({ quotas: options.quotas ?? {} });
    for (const [i, r] of requests.entries()) yield* createEntity("alice-token", r, t(i));
    yield* plane.settle(t(10));
    if (requests.some((r) => (r as { id: string }).id === "d1"))
      yield* markEntityUploaded("alice-token", "d1", t(11));
    for (let minute = 1; minute <= 20; minute++) {
      yield* plane.settle(t(60 * minute));
      yield* finishSteps(t(60 * minute + 30), options.fail);
    }
    yield* plane.settle(t(3600));
    return plane;
  });

describe("the control plane, end to end in memory", () => {
  it("Model -> InferenceService -> Dataset -> Evaluation -> Report all succeed, each through its machine's path", async () => {
    const out = await run(
      Effect.gen(function* () {
        yield* drive(chain);
        return { view: yield* viewStatuses, e1: yield* history("e1"), r1: yield* history("r1") };
      }),
    );
    expect(out.view).toEqual({ d1: "Ready", e1: "Complete", m1: "Ready", r1: "Complete", svc1: "Ready" });
    expect(out.e1).toEqual([
      "Created",
      "Created/UnsatisfiedDependency",
      "Admitted",
      "Admitted/Unverified",
      "Complete",
    ]);
    expect(out.r1).toEqual(["Created", "Created/UnsatisfiedDependency", "Admitted", "Complete"]);
  });

  it("a Model that fails to fetch fails the InferenceService, Evaluation and Report with FailedDependency, each in its own failure status", async () => {
    const view = await run(
      Effect.gen(function* () {
        yield* drive(chain, { fail: new Set(["m1/fetch"]) });
        return yield* viewStatuses;
      }),
    );
    expect(view).toEqual({
      d1: "Ready",
      e1: "Failed/FailedDependency",
      m1: "Error/FetchFailed",
      r1: "Failed/FailedDependency",
      svc1: "Error/FailedDependency",
    });
  });

  it("an Evaluation whose inference fails is Failed/InferenceFailed and its Report fails with FailedDependency", async () => {
    const view = await run(drive(chain, { fail: new Set(["e1/client"]) }).pipe(Effect.andThen(viewStatuses)));
    expect(view).toMatchObject({
      e1: "Failed/InferenceFailed",
      r1: "Failed/FailedDependency",
      svc1: "Ready",
    });
  });

  it("with a quota of one GPU, the second Evaluation waits as Created/QuotaLimit (once) until the first finishes", async () => {
    const evaluation = (id: string) => ({
      kind: "Evaluation",
      id,
      account: "alice",
      spec: { inferenceSession: { inferenceService: "svc" }, dataset: "d1", resources: { gpu: 1 } },
    });
    const out = await run(
      Effect.gen(function* () {
        const plane = yield* makeControlPlane({ quotas: { alice: { gpu: 1 } } });
        yield* createEntity("alice-token", { kind: "InferenceService", id: "svc", account: "alice" }, t(0));
        yield* createEntity("alice-token", { kind: "Dataset", id: "d1", account: "alice" }, t(0));
        yield* plane.settle(t(2));
        yield* markEntityUploaded("alice-token", "d1", t(3));
        yield* finishSteps(t(4));
        yield* plane.settle(t(5));
        yield* createEntity("alice-token", evaluation("e2"), t(6)); // created first, id sorts last
        yield* createEntity("alice-token", evaluation("e1"), t(7));
        const seen: Record<string, string>[] = [];
        for (let minute = 1; minute <= 15; minute++) {
          yield* plane.settle(t(60 * minute));
          seen.push(yield* viewStatuses);
          // the running one finishes every third minute, so it holds the GPU for a while
          if (minute % 3 === 0) yield* finishSteps(t(60 * minute + 30));
        }
        return { seen, e1: yield* history("e1") };
      }),
    );
    // e2 was created first, so it is admitted first; e1 waits, and never runs beside it
    expect(out.seen[0]).toMatchObject({
      svc: "Ready",
      d1: "Ready",
      e2: "Admitted",
      e1: "Created/QuotaLimit",
    });
    expect(out.seen[1]).toMatchObject({ e2: "Admitted", e1: "Created/QuotaLimit" });
    for (const s of out.seen)
      expect([s.e1, s.e2].filter((x) => x?.startsWith("Admitted")).length).toBeLessThanOrEqual(1);
    expect(out.seen.at(-1)).toMatchObject({ e1: "Complete", e2: "Complete" });
    expect(out.e1.filter((s) => s === "Created/QuotaLimit")).toHaveLength(1);
  });

  it("terminate stops running work and frees its resource; terminate of terminal work and delete of Deleted work are errors", async () => {
    const out = await run(
      Effect.gen(function* () {
        const plane = yield* makeControlPlane();
        yield* createEntity("alice-token", { kind: "Model", id: "m1", account: "alice" }, t(0));
        yield* plane.settle(t(1));
        yield* terminateEntity("alice-token", "m1", t(2));
        yield* plane.settle(t(3));
        const afterTerminate = yield* viewStatuses;
        const resource = yield* (yield* Cluster).get("Model", "m1");
        const again = yield* Effect.flip(terminateEntity("alice-token", "m1", t(4)));
        yield* deleteEntity("alice-token", "m1", t(5));
        yield* plane.settle(t(6));
        const deleted = yield* viewStatuses;
        const deleteAgain = yield* Effect.flip(deleteEntity("alice-token", "m1", t(7)));
        const useDeleted = yield* Effect.flip(
          createEntity(
            "alice-token",
            { kind: "InferenceService", id: "svc", account: "alice", spec: { model: "m1" } },
            t(8),
          ),
        );
        return { afterTerminate, resource, again, deleted, deleteAgain, useDeleted };
      }),
    );
    expect(out.afterTerminate).toEqual({ m1: "Terminated/TerminateCommand" });
    expect(out.resource).toBeUndefined();
    expect(out.again).toMatchObject({ _tag: "CommandRefused", code: "Terminal" });
    expect(out.deleted).toEqual({ m1: "Deleted/DeleteCommand" });
    expect(out.deleteAgain).toMatchObject({ _tag: "CommandRefused", code: "Deleted" });
    expect(out.useDeleted).toMatchObject({ _tag: "CommandRefused", code: "DependencyDeleted" });
  });

  it("deleting a dependency that work waits for fails that work with FailedDependency", async () => {
    const view = await run(
      Effect.gen(function* () {
        const plane = yield* makeControlPlane();
        yield* createEntity("alice-token", { kind: "Dataset", id: "d1", account: "alice" }, t(0));
        yield* createEntity("alice-token", chain[3], t(1));
        yield* plane.settle(t(2));
        yield* deleteEntity("alice-token", "d1", t(3));
        yield* plane.settle(t(4));
        return yield* viewStatuses;
      }),
    );
    expect(view).toEqual({ d1: "Deleted/DeleteCommand", e1: "Failed/FailedDependency" });
  });

  it("a command with another account's token, or without the verb, is refused and produces nothing", async () => {
    const out = await run(
      Effect.gen(function* () {
        const plane = yield* makeControlPlane();
        yield* createEntity("alice-token", { kind: "Model", id: "m1", account: "alice" }, t(0));
        yield* plane.settle(t(1));
        const before = (yield* MemoryBackend).events.records().length;
        const errors = [
          yield* Effect.flip(terminateEntity("bob-token", "m1", t(2))),
          yield* Effect.flip(deleteEntity("alice-readonly", "m1", t(2))),
          yield* Effect.flip(editEntityLabels("nobody", "m1", { a: "b" }, t(2))),
          yield* Effect.flip(createEntity("bob-token", { kind: "Model", id: "m2", account: "alice" }, t(2))),
        ];
        yield* plane.settle(t(3));
        return {
          errors,
          appended: (yield* MemoryBackend).events.records().length - before,
          view: yield* viewStatuses,
        };
      }),
    );
    for (const e of out.errors) expect(e).toMatchObject({ _tag: "Unauthorized" });
    expect(out.errors[0]?.message).toContain('not "alice"');
    expect(out.appended).toBe(0);
    expect(out.view).toEqual({ m1: "Admitted" });
    expect(out.errors.some((e) => e instanceof CommandRefused)).toBe(false);
  });

  it("duplicate delivery, reordering across keys, informer lag and consumer crashes end in the same statuses, and the state log equals a replay of the events", async () => {
    const clean = await run(drive(chain).pipe(Effect.andThen(viewStatuses)));
    for (const seed of [1, 2, 3]) {
      const out = await run(
        Effect.gen(function* () {
          const backend = yield* MemoryBackend;
          const plane = yield* makeControlPlane();
          for (const [i, r] of chain.entries()) yield* createEntity("alice-token", r, t(i));
          yield* plane.settle(t(10));
          yield* markEntityUploaded("alice-token", "d1", t(11));
          for (let minute = 1; minute <= 20; minute++) {
            yield* plane.runOnce(t(60 * minute));
            for (const g of backend.events.groups()) backend.events.crash(g);
            for (const g of backend.state.groups()) backend.state.crash(g);
            yield* plane.settle(t(60 * minute + 1));
            yield* finishSteps(t(60 * minute + 30));
          }
          yield* plane.settle(t(3600));
          const replayed = replayEvents(backend.events.records());
          const stateLog = new Map<string, number>();
          for (const r of backend.state.records()) {
            const s = decodeState(r.key, r.value);
            if (!(s instanceof Error))
              stateLog.set(s.entity.id, Math.max(stateLog.get(s.entity.id) ?? 0, s.version));
          }
          const admissions = [...backend.keyValue.entries()].filter(([k]) => k.startsWith("admission/"));
          return {
            view: yield* viewStatuses,
            replayVersions: Object.fromEntries([...replayed].map(([id, s]) => [id, s.version])),
            stateVersions: Object.fromEntries(stateLog),
            admissions: admissions.map(([k]) => k).sort(),
            redelivered: backend.events.stats().redelivered + backend.state.stats().redelivered,
          };
        }),
        { duplicate: 0.3, reorder: true, staleReads: 3 },
        seed,
      );
      expect(out.view).toEqual(clean);
      expect(out.replayVersions).toEqual(out.stateVersions);
      expect(out.admissions).toEqual(["admission/e1", "admission/m1", "admission/r1", "admission/svc1"]);
      expect(out.redelivered).toBeGreaterThan(0);
    }
  });

  it("a restart of every service (scope closed mid-run) loses nothing and admits nothing twice", async () => {
    const out = await run(
      Effect.gen(function* () {
        const backend = yield* MemoryBackend;
        const first = yield* Effect.scoped(
          Effect.gen(function* () {
            const plane = yield* makeControlPlane();
            for (const [i, r] of chain.entries()) yield* createEntity("alice-token", r, t(i));
            yield* plane.runOnce(t(10));
            yield* plane.runOnce(t(11));
            return backend.keyValue.entries().size;
          }),
        );
        yield* markEntityUploaded("alice-token", "d1", t(12)).pipe(Effect.ignore);
        const plane = yield* makeControlPlane();
        yield* plane.settle(t(20));
        yield* markEntityUploaded("alice-token", "d1", t(21)).pipe(Effect.ignore);
        for (let minute = 1; minute <= 20; minute++) {
          yield* plane.settle(t(60 * minute));
          yield* finishSteps(t(60 * minute + 30));
        }
        const admitted: Record<string, number> = {};
        for (const id of ["m1", "svc1", "e1", "r1"])
          admitted[id] = (yield* history(id)).filter((s) => s === "Admitted").length;
        return { first, view: yield* viewStatuses, admitted };
      }),
    );
    expect(out.first).toBeGreaterThan(0);
    expect(out.view).toEqual({ d1: "Ready", e1: "Complete", m1: "Ready", r1: "Complete", svc1: "Ready" });
    expect(out.admitted).toEqual({ m1: 1, svc1: 1, e1: 1, r1: 1 });
  });
});

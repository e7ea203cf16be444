import * as Effect from "effect/Effect";
import type * as Layer from "effect/Layer";
import { describe, expect, it } from "vitest";
import {
  Cluster,
  type ClusterCursor,
  ClusterError,
  type ClusterObject,
  type Condition,
  type NewClusterObject,
} from "../../ports/Cluster.js";
import { eventually, failureOf, runWith } from "./run.js";

/** How the cluster suite waits for reads that may lag (an informer's cache, the garbage collector). */
export interface ClusterSuiteOptions {
  /** Reads a test makes before it gives up waiting (default 50). */
  readonly attempts?: number;
  /** What to do between two reads (default nothing; a real cluster passes e.g. `Effect.sleep("100 millis")`). */
  readonly settle?: Effect.Effect<void>;
}

const evaluation = (name: string): NewClusterObject => ({
  kind: "Evaluation",
  name,
  labels: { "phasekit.dev/account": "alice" },
  owner: null,
  spec: { model: "m1", replicas: 1, args: ["--fast"] },
});
const step = (kind: string, name: string, owner: string): NewClusterObject => ({
  kind,
  name,
  labels: {},
  owner,
  spec: { image: "evaluation-client" },
});
const condition = (type: string, status: Condition["status"], reason: string): Condition => ({
  type,
  status,
  reason,
  message: `${type} is ${status}`,
  lastTransitionTime: "2026-01-01T00:00:00Z",
});

/**
 * A consumer of the change feed: what it believes is on the cluster, kept by applying each answer
 * (a full answer replaces everything). The feed is right when this converges to what `list` says.
 */
class Mirror {
  readonly objects = new Map<string, ClusterObject>();
  cursor: ClusterCursor | null = null;
  /** Every answer's objects and deletions, in order, for the at-most-once and no-noise checks. */
  readonly answers: { full: boolean; objects: string[]; deleted: string[] }[] = [];

  constructor(readonly kinds: readonly string[]) {}

  readonly pull = Effect.flatMap(Cluster, (cluster) =>
    Effect.map(cluster.changes(this.kinds, this.cursor), (changes) => {
      if (changes.full) this.objects.clear();
      for (const o of changes.objects) this.objects.set(`${o.kind}/${o.name}`, o);
      for (const d of changes.deleted) this.objects.delete(`${d.kind}/${d.name}`);
      this.cursor = changes.cursor;
      this.answers.push({
        full: changes.full,
        objects: changes.objects.map((o) => `${o.kind}/${o.name}`),
        deleted: changes.deleted.map((d) => `${d.kind}/${d.name}`),
      });
      return this;
    }),
  );

  /** The mirror as sorted `kind/name@resourceVersion` lines. */
  show(): string[] {
    return [...this.objects.values()].map((o) => `${o.kind}/${o.name}@${o.resourceVersion}`).sort();
  }
}

/** What `list` says of `kinds`, in the mirror's shape. */
const listed = (kinds: readonly string[]) =>
  Effect.flatMap(Cluster, (cluster) =>
    Effect.map(
      Effect.forEach(kinds, (k) => cluster.list(k)),
      (lists) =>
        lists
          .flat()
          .map((o) => `${o.kind}/${o.name}@${o.resourceVersion}`)
          .sort(),
    ),
  );

/**
 * The cluster's contract (Kubernetes object storage): create, get, list by kind, delete with owner
 * cascade, status conditions guarded by `resourceVersion`. Reads may lag behind writes but catch
 * up; the suite waits for them with `options`. `layer` is built afresh for every test and must start
 * empty of the kinds used here (Evaluation, InferenceSession, Job).
 *
 * @example
 * ```ts
 * import { ClusterSuite } from "@phasekit/core/testing";
 * import { layerMemory } from "./layer.js"; // the adapter's own layer, in its test file
 *
 * ClusterSuite.suite("memory, informer lag", layerMemory({ faults: { staleReads: 3 } }));
 * ```
 */
export function suite<E>(
  name: string,
  layer: Layer.Layer<Cluster, E>,
  options: ClusterSuiteOptions = {},
): void {
  const run = runWith(layer);
  const wait = { attempts: options.attempts ?? 50, settle: options.settle ?? Effect.void };
  const getEventually = (kind: string, objectName: string, done: (o: ClusterObject | undefined) => boolean) =>
    Effect.flatMap(Cluster, (cluster) => eventually(cluster.get(kind, objectName), done, wait));

  describe(`${Cluster.key} conformance: ${name}`, () => {
    it("create returns the object with no conditions and a resourceVersion; get and list then return it", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          const created = yield* cluster.create(evaluation("e1"));
          expect(created).toMatchObject({ ...evaluation("e1"), conditions: [] });
          expect(created.resourceVersion).toEqual(expect.any(String));
          expect(yield* getEventually("Evaluation", "e1", (o) => o !== undefined)).toEqual(created);
          yield* cluster.create(step("Job", "e1-client", "e1"));
          const listed = yield* eventually(cluster.list("Evaluation"), (l) => l.length > 0, wait);
          expect(listed).toEqual([created]);
        }),
      ));

    it("a second create of the same kind and name fails with AlreadyExists and changes nothing", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          const first = yield* cluster.create(evaluation("e1"));
          const error = yield* failureOf(cluster.create({ ...evaluation("e1"), labels: { other: "x" } }));
          expect(error).toBeInstanceOf(ClusterError);
          expect(error).toMatchObject({ code: "AlreadyExists", kind: "Evaluation", name: "e1" });
          expect(yield* getEventually("Evaluation", "e1", (o) => o !== undefined)).toEqual(first);
          // The same name under another kind is another object.
          yield* cluster.create(step("Job", "e1", "e1"));
        }),
      ));

    it("delete removes the object and, transitively, every object it owns; other objects stay", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          yield* cluster.create(evaluation("e1"));
          yield* cluster.create(step("InferenceSession", "e1-session", "e1"));
          yield* cluster.create(step("Job", "e1-client", "e1"));
          yield* cluster.create(step("Job", "e1-session-replica", "e1-session"));
          const other = yield* cluster.create(evaluation("e2"));
          const otherStep = yield* cluster.create(step("Job", "e2-client", "e2"));
          yield* cluster.delete("Evaluation", "e1");
          for (const [kind, gone] of [
            ["Evaluation", "e1"],
            ["InferenceSession", "e1-session"],
            ["Job", "e1-client"],
            ["Job", "e1-session-replica"],
          ] as const) {
            expect(
              yield* getEventually(kind, gone, (o) => o === undefined),
              `${kind} ${gone}`,
            ).toBeUndefined();
          }
          expect(yield* getEventually("Evaluation", "e2", (o) => o !== undefined)).toEqual(other);
          expect(yield* getEventually("Job", "e2-client", (o) => o !== undefined)).toEqual(otherStep);
        }),
      ));

    it("writeConditions with the current resourceVersion replaces the conditions and changes the version; a stale one is a Conflict", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          const created = yield* cluster.create(evaluation("e1"));
          const running = [condition("Admitted", "True", "Admitted")];
          const first = yield* cluster.writeConditions("Evaluation", "e1", created.resourceVersion, running);
          expect(first.conditions).toEqual(running);
          expect(first.resourceVersion).not.toBe(created.resourceVersion);
          expect({ ...first, conditions: [], resourceVersion: "" }).toEqual({
            ...created,
            resourceVersion: "",
          });

          const stale = yield* failureOf(
            cluster.writeConditions("Evaluation", "e1", created.resourceVersion, [
              condition("Complete", "True", "Done"),
            ]),
          );
          expect(stale).toMatchObject({
            _tag: "ClusterError",
            code: "Conflict",
            kind: "Evaluation",
            name: "e1",
          });
          expect(
            yield* getEventually("Evaluation", "e1", (o) => o?.resourceVersion === first.resourceVersion),
          ).toEqual(first);

          const done = [...running, condition("Complete", "True", "Done")];
          const second = yield* cluster.writeConditions("Evaluation", "e1", first.resourceVersion, done);
          expect(second.conditions).toEqual(done);
          expect(second.resourceVersion).not.toBe(first.resourceVersion);
          expect(
            yield* getEventually("Evaluation", "e1", (o) => o?.resourceVersion === second.resourceVersion),
          ).toEqual(second);
        }),
      ));

    it("an absent object: get is undefined, delete and writeConditions are NotFound, list is empty", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          expect(yield* cluster.get("Evaluation", "nope")).toBeUndefined();
          expect(yield* cluster.list("Evaluation")).toEqual([]);
          expect(yield* failureOf(cluster.delete("Evaluation", "nope"))).toMatchObject({ code: "NotFound" });
          const write = cluster.writeConditions("Evaluation", "nope", "1", [
            condition("Admitted", "True", "Admitted"),
          ]);
          expect(yield* failureOf(write)).toMatchObject({
            code: "NotFound",
            kind: "Evaluation",
            name: "nope",
          });
          yield* cluster.create(evaluation("e1"));
          yield* cluster.delete("Evaluation", "e1");
          expect(yield* failureOf(cluster.delete("Evaluation", "e1"))).toMatchObject({ code: "NotFound" });
        }),
      ));

    it("list returns the objects of one kind only", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          yield* cluster.create(evaluation("e2"));
          yield* cluster.create(evaluation("e1"));
          yield* cluster.create(step("Job", "e1-client", "e1"));
          const evaluations = yield* eventually(cluster.list("Evaluation"), (l) => l.length === 2, wait);
          expect(evaluations.map((o) => o.name).sort()).toEqual(["e1", "e2"]);
          const jobs = yield* eventually(cluster.list("Job"), (l) => l.length === 1, wait);
          expect(jobs.map((o) => `${o.kind}/${o.name}`)).toEqual(["Job/e1-client"]);
        }),
      ));

    it("changes from no cursor is a full listing of the kinds asked, and nothing else", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          const e1 = yield* cluster.create(evaluation("e1"));
          const job = yield* cluster.create(step("Job", "e1-client", "e1"));
          yield* cluster.create(step("InferenceSession", "e1-session", "e1"));
          const want = [`Evaluation/e1@${e1.resourceVersion}`, `Job/e1-client@${job.resourceVersion}`];
          // A lagging read may miss the newest writes; a fresh mirror each time, so every answer is full.
          const fresh = Effect.suspend(() => new Mirror(["Evaluation", "Job"]).pull);
          const mirror = yield* eventually(fresh, (m) => m.show().join() === want.join(), wait);
          expect(mirror.show()).toEqual(want);
          expect(mirror.answers).toEqual([{ full: true, objects: expect.any(Array), deleted: [] }]);
          expect(typeof mirror.cursor).toBe("string");
        }),
      ));

    it("changes since a cursor names what was created, written and deleted (with the owner cascade), each at most once, and converges to list", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          const kinds = ["Evaluation", "InferenceSession", "Job"];
          const e1 = yield* cluster.create(evaluation("e1"));
          yield* cluster.create(evaluation("e2"));
          yield* cluster.create(step("InferenceSession", "e2-session", "e2"));
          yield* cluster.create(step("Job", "e2-session-replica", "e2-session"));
          const mirror = new Mirror(kinds);
          const before = yield* listed(kinds);
          yield* eventually(mirror.pull, (m) => m.show().join() === before.join(), wait);
          const caughtUp = mirror.answers.length;

          yield* cluster.create(evaluation("e3"));
          const written = yield* cluster.writeConditions("Evaluation", "e1", e1.resourceVersion, [
            condition("Admitted", "True", "Admitted"),
          ]);
          yield* cluster.create(step("Job", "e1-client", "e1"));
          yield* cluster.delete("Evaluation", "e2");
          const after = yield* eventually(listed(kinds), (l) => l.length === 3, wait);
          expect(after).toEqual([
            `Evaluation/e1@${written.resourceVersion}`,
            expect.stringMatching(/^Evaluation\/e3@/),
            expect.stringMatching(/^Job\/e1-client@/),
          ]);
          yield* eventually(mirror.pull, (m) => m.show().join() === after.join(), wait);
          expect(mirror.show()).toEqual(after);

          const since = mirror.answers.slice(caughtUp);
          expect(since.every((a) => !a.full)).toBe(true);
          for (const a of since)
            expect(new Set(a.objects).size, `an object twice in one answer: ${a.objects}`).toBe(
              a.objects.length,
            );
          const deleted = since.flatMap((a) => a.deleted).sort();
          expect(deleted).toEqual(["Evaluation/e2", "InferenceSession/e2-session", "Job/e2-session-replica"]);
          // A real cluster may show an object being deleted (a deletionTimestamp) before it goes.
          const changed = since.flatMap((a) => a.objects).filter((o) => !deleted.includes(o));
          expect([...new Set(changed)].sort()).toEqual(["Evaluation/e1", "Evaluation/e3", "Job/e1-client"]);
        }),
      ));

    it("changes after nothing changed is empty; a cursor the adapter does not know gets a full listing", () =>
      run(
        Effect.gen(function* () {
          const cluster = yield* Cluster;
          yield* cluster.create(evaluation("e1"));
          const want = yield* eventually(listed(["Evaluation"]), (l) => l.length === 1, wait);
          const mirror = new Mirror(["Evaluation"]);
          yield* eventually(mirror.pull, (m) => m.show().join() === want.join(), wait);
          yield* mirror.pull;
          expect(mirror.answers.at(-1)).toEqual({ full: false, objects: [], deleted: [] });
          const unknown = yield* cluster.changes(["Evaluation"], "not-a-cursor-of-this-cluster");
          expect(unknown.full).toBe(true);
          expect(unknown.objects.map((o) => `${o.kind}/${o.name}@${o.resourceVersion}`)).toEqual(want);
          expect(unknown.deleted).toEqual([]);
        }),
      ));
  });
}

import * as Effect from "effect/Effect";
import type * as Layer from "effect/Layer";
import { describe, expect, it } from "vitest";
import { KeyValue } from "../../ports/KeyValue.js";
import { runWith } from "./run.js";

/**
 * The strongly consistent key-value store's contract: compare-and-set writes only over the version
 * it names (null: absent), so of racing writers exactly one wins; versions of a key increase; list
 * by prefix in key order. `layer` is built afresh for every test and must start empty.
 *
 * @example
 * ```ts
 * import { KeyValueSuite } from "@phasekit/core/testing";
 * import { layerMemory } from "./layer.js"; // the adapter's own layer, in its test file
 *
 * KeyValueSuite.suite("memory", layerMemory());
 * ```
 */
export function suite<E>(name: string, layer: Layer.Layer<KeyValue, E>): void {
  const run = runWith(layer);

  describe(`${KeyValue.key} conformance: ${name}`, () => {
    it("an absent key reads as undefined and lists as nothing", () =>
      run(
        Effect.gen(function* () {
          const kv = yield* KeyValue;
          expect(yield* kv.get("admitted/nobody")).toBeUndefined();
          expect([...(yield* kv.list("admitted/"))]).toEqual([]);
        }),
      ));

    it("compare-and-set from absent succeeds once; a second from absent returns null and writes nothing", () =>
      run(
        Effect.gen(function* () {
          const kv = yield* KeyValue;
          const version = yield* kv.compareAndSet("admitted/e1", null, "first");
          expect(version).not.toBeNull();
          expect(yield* kv.compareAndSet("admitted/e1", null, "second")).toBeNull();
          expect(yield* kv.get("admitted/e1")).toEqual({ value: "first", version });
        }),
      ));

    it("a stale version returns null and writes nothing; the current version writes a higher one", () =>
      run(
        Effect.gen(function* () {
          const kv = yield* KeyValue;
          const v1 = (yield* kv.compareAndSet("quota/alice", null, "1"))!;
          const v2 = (yield* kv.compareAndSet("quota/alice", v1, "2"))!;
          expect(v2).toBeGreaterThan(v1);
          expect(yield* kv.compareAndSet("quota/alice", v1, "stale")).toBeNull();
          expect(yield* kv.get("quota/alice")).toEqual({ value: "2", version: v2 });
          const v3 = (yield* kv.compareAndSet("quota/alice", v2, "3"))!;
          expect(v3).toBeGreaterThan(v2);
          expect(yield* kv.get("quota/alice")).toEqual({ value: "3", version: v3 });
        }),
      ));

    it("of many racing compare-and-sets from absent, exactly one wins and its value is stored", () =>
      run(
        Effect.gen(function* () {
          const kv = yield* KeyValue;
          const writers = Array.from({ length: 16 }, (_, i) =>
            kv.compareAndSet("admitted/race", null, `w${i}`),
          );
          const results = yield* Effect.all(writers, { concurrency: "unbounded" });
          const winners = results.flatMap((version, i) => (version === null ? [] : [{ version, i }]));
          expect(winners).toHaveLength(1);
          expect(yield* kv.get("admitted/race")).toEqual({
            value: `w${winners[0]!.i}`,
            version: winners[0]!.version,
          });
        }),
      ));

    it("list returns exactly the keys with the prefix, in key order, with their current values", () =>
      run(
        Effect.gen(function* () {
          const kv = yield* KeyValue;
          for (const key of ["admitted/b", "quota/a", "admitted/a", "admittedx", "admitted/c"]) {
            yield* kv.compareAndSet(key, null, `${key}=1`);
          }
          const c = (yield* kv.get("admitted/c"))!;
          yield* kv.compareAndSet("admitted/c", c.version, "admitted/c=2");
          const listed = yield* kv.list("admitted/");
          expect([...listed.keys()]).toEqual(["admitted/a", "admitted/b", "admitted/c"]);
          expect([...listed.values()].map((v) => v.value)).toEqual([
            "admitted/a=1",
            "admitted/b=1",
            "admitted/c=2",
          ]);
          expect(listed.get("admitted/c")).toEqual(yield* kv.get("admitted/c"));
        }),
      ));
  });
}

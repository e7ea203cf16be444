import * as Effect from "effect/Effect";
import type * as Layer from "effect/Layer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ViewDocument, ViewStore } from "../../ports/ViewStore.js";
import { runWith } from "./run.js";

/**
 * The query view's contract: an upsert is kept only when it is newer than what the view holds, so
 * duplicates and replays of the state log change nothing; get and list (in id order) read it back.
 * `layer` is built afresh for every test (and every property run) and must start empty.
 *
 * @example
 * ```ts
 * import { ViewStoreSuite } from "@phasekit/core/testing";
 * import { layerMemory } from "./layer.js"; // the adapter's own layer, in its test file
 *
 * ViewStoreSuite.suite("memory", layerMemory());
 * ```
 */
export function suite<E>(
  name: string,
  layer: Layer.Layer<ViewStore, E>,
  options: { readonly runs?: number } = {},
): void {
  const run = runWith(layer);

  describe(`${ViewStore.key} conformance: ${name}`, () => {
    it("upsert stores a new document, which get and list then return", () =>
      run(
        Effect.gen(function* () {
          const view = yield* ViewStore;
          const doc = { id: "e1", version: 1, value: '{"status":"Created"}' };
          expect(yield* view.upsert(doc)).toBe(true);
          expect(yield* view.get("e1")).toEqual(doc);
          expect(yield* view.list()).toEqual([doc]);
          expect(yield* view.get("e2")).toBeUndefined();
        }),
      ));

    it("upsert ignores an equal or older version and keeps a newer one", () =>
      run(
        Effect.gen(function* () {
          const view = yield* ViewStore;
          const v2 = { id: "e1", version: 2, value: "two" };
          expect(yield* view.upsert(v2)).toBe(true);
          expect(yield* view.upsert({ id: "e1", version: 2, value: "two again" })).toBe(false);
          expect(yield* view.upsert({ id: "e1", version: 1, value: "one" })).toBe(false);
          expect(yield* view.get("e1")).toEqual(v2);
          const v5 = { id: "e1", version: 5, value: "five" };
          expect(yield* view.upsert(v5)).toBe(true);
          expect(yield* view.get("e1")).toEqual(v5);
        }),
      ));

    it("after any sequence of upserts, each id holds the first-arrived document of its highest version, listed in id order", () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              id: fc.constantFrom("a", "b", "c", "d"),
              version: fc.nat(5),
              value: fc.string({ maxLength: 4 }),
            }),
            { maxLength: 30 },
          ),
          (upserts) =>
            run(
              Effect.gen(function* () {
                const view = yield* ViewStore;
                const expected = new Map<string, ViewDocument>();
                for (const doc of upserts) {
                  const newer = (expected.get(doc.id)?.version ?? -1) < doc.version;
                  expect(yield* view.upsert(doc)).toBe(newer);
                  if (newer) expected.set(doc.id, doc);
                }
                const ids = [...expected.keys()].sort();
                expect(yield* view.list()).toEqual(ids.map((id) => expected.get(id)));
              }),
            ),
        ),
        { numRuns: options.runs ?? 50 },
      ));
  });
}

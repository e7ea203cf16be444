import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { describe, expect, it } from "vitest";
import { layerMemory, MemoryBackend } from "../../../adapter-memory/src/index.js";
import { DecodeError } from "../lifecycle/errors.js";
import { StateLog } from "../ports/StateLog.js";
import { ViewStore, ViewStoreError } from "../ports/ViewStore.js";
import { newEntity } from "./commands.js";
import { encodeState, type StateMessage } from "./messages.js";
import { documentsToWrite, makeSink, viewEntity } from "./sink.js";

const model = newEntity({ kind: "Model", id: "m1", account: "alice" }, "2026-01-01T00:00:00Z");
if (model instanceof DecodeError) throw model;
const at = (version: number, status: string): StateMessage => ({ version, entity: { ...model, status } });

describe("the sink", () => {
  it("writes the newest version of each id in a batch, in id order", () => {
    const other = { version: 1, entity: { ...model, id: "a0" } };
    const docs = documentsToWrite([at(1, "Created"), at(3, "Ready"), other, at(2, "Admitted")]);
    expect(docs.map((d) => [d.id, d.version])).toEqual([
      ["a0", 1],
      ["m1", 3],
    ]);
    expect(viewEntity(docs[1]!)).toMatchObject({ id: "m1", status: "Ready" });
    expect(viewEntity({ id: "x", version: 1, value: "{" })).toBeInstanceOf(DecodeError);
  });

  it("over the memory ports: a stale state record that arrives late leaves the newer view document alone", async () => {
    const out = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const state = yield* StateLog;
          const backend = yield* MemoryBackend;
          const sink = yield* makeSink();
          yield* state.append([{ key: "m1", value: encodeState(at(2, "Admitted")) }]);
          const first = yield* sink.runOnce();
          yield* state.append([{ key: "m1", value: encodeState(at(1, "Created")) }]);
          const second = yield* sink.runOnce();
          const doc = yield* backend.view.port.get("m1");
          return { first, second, doc: doc && [doc.version, viewEntity(doc)] };
        }),
      ).pipe(Effect.provide(layerMemory({ seed: 5 }))),
    );
    expect([out.first, out.second]).toEqual([1, 1]);
    expect(out.doc).toEqual([2, expect.objectContaining({ status: "Admitted" })]);
  });

  it("with everyVersion, every version of a batch reaches the view in log order; without, the newest of each id", async () => {
    const upserts = async (everyVersion: boolean | undefined) => {
      const written: [string, number][] = [];
      const recording = Layer.effect(
        ViewStore,
        Effect.gen(function* () {
          const real = (yield* MemoryBackend).view.port;
          return {
            ...real,
            upsert: (doc) =>
              Effect.tap(real.upsert(doc), () => Effect.sync(() => void written.push([doc.id, doc.version]))),
          };
        }),
      );
      const handled = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const other = { version: 1, entity: { ...model, id: "a0" } };
            const states = [at(1, "Created"), at(2, "Admitted"), other, at(3, "Ready"), at(2, "Admitted")];
            yield* (yield* StateLog).append(states.map((s) => ({ key: s.entity.id, value: encodeState(s) })));
            const sink = yield* makeSink(everyVersion === undefined ? {} : { everyVersion }).pipe(
              Effect.provide(recording),
            );
            const n = yield* sink.runOnce();
            const doc = yield* (yield* MemoryBackend).view.port.get("m1");
            return { n, version: doc?.version };
          }),
        ).pipe(Effect.provide(layerMemory({ seed: 5 }))),
      );
      const of = (id: string) => written.filter(([i]) => i === id).map(([, v]) => v);
      return { ...handled, m1: of("m1"), a0: of("a0") };
    };
    expect(await upserts(true)).toEqual({ n: 5, version: 3, m1: [1, 2, 3, 2], a0: [1] });
    expect(await upserts(undefined)).toEqual({ n: 5, version: 3, m1: [3], a0: [1] });
    expect(await upserts(false)).toEqual(await upserts(undefined));
  });

  it("a batch whose upsert failed is written by the next runOnce, not skipped", async () => {
    let failures = 1;
    const flaky = Layer.effect(
      ViewStore,
      Effect.gen(function* () {
        const real = (yield* MemoryBackend).view.port;
        return {
          ...real,
          upsert: (doc) =>
            failures-- > 0
              ? Effect.fail(new ViewStoreError({ operation: "upsert", message: "database gone" }))
              : real.upsert(doc),
        };
      }),
    );
    const out = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const backend = yield* MemoryBackend;
          yield* (yield* StateLog).append([{ key: "m1", value: encodeState(at(1, "Created")) }]);
          const sink = yield* makeSink().pipe(Effect.provide(flaky));
          const first = yield* Effect.flip(sink.runOnce());
          const second = yield* sink.runOnce();
          return { first: first._tag, second, doc: (yield* backend.view.port.get("m1"))?.version };
        }),
      ).pipe(Effect.provide(layerMemory({ seed: 5 }))),
    );
    expect(out).toEqual({ first: "ViewStoreError", second: 1, doc: 1 });
  });
});

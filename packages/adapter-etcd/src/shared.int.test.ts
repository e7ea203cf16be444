import { randomUUID } from "node:crypto";
import { KeyValue, type KeyValueError } from "@phasekit/core";
import { Effect, Exit } from "effect";
import { describe, expect, it } from "vitest";
import { layerEtcd } from "./layer.js";
import { testEtcdEndpoints } from "./testing/etcd.js";

// What the memory store cannot show: two clients (as two processes would hold) share one store.
const endpoints = await testEtcdEndpoints();

describe("the etcd key-value store, shared", () => {
  it("of compare-and-sets from absent by two separate clients, exactly one wins, and both read its value", async () => {
    const prefix = `shared/${randomUUID()}/`;
    const attempt = (writer: string) =>
      Effect.runPromise(
        Effect.gen(function* () {
          const kv = yield* KeyValue;
          const results = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) => kv.compareAndSet("admission/race", null, `${writer}${i}`)),
            { concurrency: "unbounded" },
          );
          return { results, read: yield* kv.get("admission/race") };
        }).pipe(Effect.provide(layerEtcd({ endpoints, prefix }))),
      );
    const [a, b] = await Promise.all([attempt("a"), attempt("b")]);
    const winners = [...a.results, ...b.results].filter((v) => v !== null);
    expect(winners).toHaveLength(1);
    expect(a.read).toEqual(b.read);
    expect(a.read?.version).toBe(winners[0]);
  });

  it("what one client wrote, a client opened later reads (the store outlives its writer)", async () => {
    const prefix = `shared/${randomUUID()}/`;
    const run = <A>(program: Effect.Effect<A, KeyValueError, KeyValue>) =>
      Effect.runPromise(program.pipe(Effect.provide(layerEtcd({ endpoints, prefix }))));
    const version = await run(Effect.flatMap(KeyValue, (kv) => kv.compareAndSet("k", null, "v1")));
    expect(await run(Effect.flatMap(KeyValue, (kv) => kv.get("k")))).toEqual({ value: "v1", version });
  });

  it("an etcd that does not answer fails the layer with a KeyValueError naming the endpoint", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.void.pipe(Effect.provide(layerEtcd({ endpoints: "127.0.0.1:1", timeoutMs: 1000 }))),
    );
    expect(Exit.isFailure(exit)).toBe(true);
    const error = Exit.isFailure(exit) ? exit.cause.toString() : "";
    expect(error).toContain("cannot reach etcd at http://127.0.0.1:1");
  });
});

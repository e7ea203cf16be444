import { makeMemoryBackend } from "@phasekit/adapter-memory";
import { Cluster, EventLog, KeyValue } from "@phasekit/core";
import { Effect, Layer } from "effect";
import { describe, expect, it } from "vitest";
import { type Backend, deadLetterHook, describeBackend, layerBackend } from "./backend.js";

describe("layerBackend", () => {
  it("serves every part left out from the memory backend, so what a program writes is there to inspect", async () => {
    const memory = makeMemoryBackend();
    const program = Effect.gen(function* () {
      yield* (yield* EventLog).append([{ key: "e1", value: "{}" }]);
      yield* (yield* KeyValue).compareAndSet("k", null, "v");
    });
    await Effect.runPromise(program.pipe(Effect.provide(layerBackend({ memory }))));
    expect(memory.events.records()).toHaveLength(1);
    expect([...memory.keyValue.entries().keys()]).toEqual(["k"]);
  });

  it("puts the cluster where the backend's cluster slot says, not in memory", async () => {
    const memory = makeMemoryBackend();
    const other = makeMemoryBackend();
    const cluster = { layer: Layer.succeed(Cluster, other.cluster.port), where: "elsewhere" };
    const objects = await Effect.runPromise(
      Effect.flatMap(Cluster, (c) => c.list("Model")).pipe(Effect.provide(layerBackend({ memory, cluster }))),
    );
    expect(objects).toEqual([]);
    expect(describeBackend({ cluster })).toContain("cluster: elsewhere");
  });

  it("without Kafka, the dead-letter hook is only the caller's", async () => {
    const seen: string[] = [];
    const hook = await Effect.runPromise(
      deadLetterHook((l) => Effect.sync(() => void seen.push(l.key))).pipe(Effect.provide(layerBackend({}))),
    );
    await Effect.runPromise(hook({ key: "x" } as never));
    expect(seen).toEqual(["x"]);
  });

  it("describes a memory backend as memory everywhere", () => {
    const backend: Backend = {};
    expect(describeBackend(backend)).toBe(
      "logs: memory; key-value store: memory; view: memory; cluster: memory",
    );
  });
});

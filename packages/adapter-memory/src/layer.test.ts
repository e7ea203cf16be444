import { Authorizer, EventLog } from "@phasekit/core";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { makeMemoryBackend } from "./backend.js";
import { layerMemory, layerMemoryBackend, MemoryBackend } from "./layer.js";

const appendOne = Effect.gen(function* () {
  const events = yield* EventLog;
  yield* events.append([{ key: "e1", value: "{}" }]);
  return (yield* MemoryBackend).events.records().length;
});

describe("layerMemory", () => {
  it("gives every program a fresh, empty backend", async () => {
    const layer = layerMemory({ seed: 1 });
    expect(await Effect.runPromise(appendOne.pipe(Effect.provide(layer)))).toBe(1);
    expect(await Effect.runPromise(appendOne.pipe(Effect.provide(layer)))).toBe(1);
  });

  it("layerMemoryBackend serves the caller's backend, so state carries over and can be inspected", async () => {
    const backend = makeMemoryBackend({ topics: { events: "events" } });
    const layer = layerMemoryBackend(backend);
    await Effect.runPromise(appendOne.pipe(Effect.provide(layer)));
    expect(await Effect.runPromise(appendOne.pipe(Effect.provide(layer)))).toBe(2);
    expect(backend.events.records().map((r) => `${r.topic}:${r.key}`)).toEqual(["events:e1", "events:e1"]);
  });

  it("refuses bad options at once, naming the field, the value and what was expected", () => {
    expect(() => layerMemory({ partitions: 0 })).toThrow(
      "partitions: got 0, expected a whole number from 1 to 1024",
    );
    expect(() => layerMemory({ seed: 1.5 })).toThrow("seed: got 1.5, expected a whole number");
    expect(() => layerMemory({ faults: { duplicate: 2 } })).toThrow(
      "faults.duplicate: got 2, expected a probability from 0 to 1",
    );
    expect(() => layerMemory({ faults: { staleReads: -1 } })).toThrow(
      "faults.staleReads: got -1, expected a whole number of writes >= 0",
    );
    expect(() => layerMemory({ compaction: "lazy" as never })).toThrow(
      'compaction: got lazy, expected "manual" or "eager"',
    );
  });

  it("setFaults changes some faults, keeps the others, and checks them", () => {
    const backend = makeMemoryBackend({ faults: { reorder: true } });
    backend.setFaults({ duplicate: 0.5 });
    expect(backend.faults()).toEqual({ duplicate: 0.5, reorder: true, staleReads: 0 });
    expect(() => backend.setFaults({ duplicate: Number.NaN })).toThrow("faults.duplicate");
    expect(backend.faults().duplicate).toBe(0.5);
  });

  it("the authorizer's grants can change while the backend runs", async () => {
    const backend = makeMemoryBackend({ tokens: { t: { account: "alice", verbs: ["get"] } } });
    const authorize = Effect.flatMap(Authorizer, (a) => Effect.result(a.authorize("t", "create", "alice")));
    const run = () => Effect.runPromise(authorize.pipe(Effect.provide(layerMemoryBackend(backend))));
    expect((await run())._tag).toBe("Failure");
    backend.authorizer.grant("t", { account: "alice", verbs: ["get", "create"] });
    expect((await run())._tag).toBe("Success");
    backend.authorizer.revoke("t");
    expect((await run())._tag).toBe("Failure");
    expect([...backend.authorizer.grants().keys()]).toEqual([]);
  });
});

import * as Effect from "effect/Effect";
import { describe, expect, it } from "vitest";
import { layerMemory } from "../../../adapter-memory/src/index.js";
import { DecodeError } from "../lifecycle/errors.js";
import { StateLog } from "../ports/StateLog.js";
import { newEntity } from "./commands.js";
import { type DeadLetter, decodeBatch } from "./consume.js";
import { decodeState, encodeState, type StateMessage } from "./messages.js";
import { keepNewestState, loadState } from "./state.js";

const model = newEntity({ kind: "Model", id: "m1", account: "alice" }, "2026-01-01T00:00:00Z");
if (model instanceof DecodeError) throw model;
const v = (version: number, status: string): StateMessage => ({ version, entity: { ...model, status } });

describe("reading the state log", () => {
  it("the newest version wins, whatever order the records come in", () => {
    const states = new Map<string, StateMessage>();
    expect(keepNewestState(states, v(2, "Admitted"))).toBe(true);
    expect(keepNewestState(states, v(1, "Created"))).toBe(false);
    expect(keepNewestState(states, v(2, "Admitted"))).toBe(false);
    expect(keepNewestState(states, v(3, "Ready"))).toBe(true);
    expect(states.get("m1")?.entity.status).toBe("Ready");
  });

  it("decodeBatch hands undecodable records to the hook and keeps the rest", async () => {
    const letters: DeadLetter[] = [];
    const records = [
      { topic: "s", partition: 0, offset: 0, key: "m1", value: encodeState(v(1, "Created")) },
      { topic: "s", partition: 0, offset: 1, key: "m1", value: "{}" },
    ];
    const ok = await Effect.runPromise(
      decodeBatch(records, decodeState, "g", (l) => Effect.sync(() => void letters.push(l))),
    );
    expect(ok.map((d) => d.record.offset)).toEqual([0]);
    expect(letters.map((l) => [l.consumer, l.topic, l.partition, l.offset, l.error.issues[0]?.path])).toEqual(
      [["g", "s", 0, 1, "version"]],
    );
  });

  it("loadState rebuilds the newest state of every entity from the log", async () => {
    const states = await Effect.runPromise(
      Effect.gen(function* () {
        const log = yield* StateLog;
        yield* log.append(
          [v(1, "Created"), v(2, "Admitted")].map((s) => ({ key: "m1", value: encodeState(s) })),
        );
        return yield* loadState(log, "test", () => Effect.void);
      }).pipe(Effect.provide(layerMemory({ seed: 7 }))),
    );
    expect([...states.values()].map((s) => [s.entity.id, s.version])).toEqual([["m1", 2]]);
  });
});

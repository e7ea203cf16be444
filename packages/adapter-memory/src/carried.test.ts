import {
  carriedEntity,
  type DeadLetter,
  DecodeError,
  decodeBatch,
  decodeEntity,
  decodeEvent,
  type EventMessage,
  eventRecord,
  type LogRecord,
  newEntity,
  type ProducerRecord,
  viewDocument,
  viewEntity,
} from "@phasekit/core";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeMemoryBackend } from "./backend.js";

/**
 * A memory log keeps the message a record's writer encoded (core's `eventRecord`) and hands it to
 * its readers with the record; a record whose bytes were altered or replaced on the way (a fault, a
 * test's poison) keeps none, and its readers decode its bytes, dead-lettering them as before.
 */

/** How a record is damaged before it is appended, if at all. */
type Damage = "none" | "garbage" | "other text" | "other key";

const damaged = (record: ProducerRecord<EventMessage>, damage: Damage): ProducerRecord<EventMessage> => {
  switch (damage) {
    case "none":
      return record;
    case "garbage": // bytes replaced: no JSON at all
      return { ...record, value: `{"type":"Delete",${record.value.length}` };
    case "other text": // bytes altered into another valid message
      return { ...record, value: record.value.replace('"by":"alice"', '"by":"mallory"') };
    case "other key": // the same bytes under another key
      return { ...record, key: `${record.key}x` };
  }
};

const written = fc.record({
  key: fc.constantFrom("e1", "e2", "e3", "e4", "e5"),
  at: fc.integer({ min: 0, max: 59 }).map((s) => `2026-01-01T00:00:${String(s).padStart(2, "0")}.000Z`),
  damage: fc.constantFrom<Damage>("none", "none", "garbage", "other text", "other key"),
});

describe("memory log: records carry their writer's message", () => {
  it("property: a reader gets the writer's own message for an intact record, and decodes (or dead-letters) the bytes of one altered or replaced on the way, under any delivery faults", () => {
    fc.assert(
      fc.property(
        fc.array(written, { minLength: 1, maxLength: 30 }),
        fc.integer(),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.boolean(),
        (writes, seed, duplicate, reorder) => {
          const backend = makeMemoryBackend({ seed, partitions: 3, faults: { duplicate, reorder } });
          const sent = writes.map(({ key, at, damage }) => {
            const message: EventMessage = { type: "Delete", by: "alice", at };
            return { message, damage, record: damaged(eventRecord(key, message), damage) };
          });
          const positions = Effect.runSync(backend.events.port.append(sent.map((s) => s.record)));
          const byPosition = new Map(positions.map((p, i) => [`${p.partition}/${p.offset}`, sent[i]!]));

          for (const stored of backend.events.records()) {
            const { damage } = byPosition.get(`${stored.partition}/${stored.offset}`)!;
            expect(stored.decoded === undefined).toBe(damage !== "none");
          }

          const dead: DeadLetter[] = [];
          const hook = (letter: DeadLetter) => Effect.sync(() => void dead.push(letter));
          const delivered: LogRecord<EventMessage>[] = [];
          const program = Effect.scoped(
            Effect.gen(function* () {
              const consumer = yield* backend.events.port.consumer("readers");
              for (let empty = 0; empty < 3; ) {
                const batch = yield* consumer.poll({ max: 4 });
                empty = batch.length === 0 ? empty + 1 : 0;
                delivered.push(...batch);
                const decoded = yield* decodeBatch(batch, decodeEvent, "readers", hook);
                for (const { record, message } of decoded) {
                  const s = byPosition.get(`${record.partition}/${record.offset}`)!;
                  if (s.damage === "none")
                    expect(message).toBe(s.message); // the writer's object itself
                  else expect(message).toStrictEqual(decodeEvent(record.key, record.value));
                }
                yield* consumer.commit(batch);
              }
            }),
          );
          Effect.runSync(program);

          const garbage = delivered.filter(
            (r) => byPosition.get(`${r.partition}/${r.offset}`)!.damage === "garbage",
          );
          expect(dead.map((d) => `${d.partition}/${d.offset}`)).toEqual(
            garbage.map((r) => `${r.partition}/${r.offset}`),
          );
          for (const d of dead) expect(d.error).toBeInstanceOf(DecodeError);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps a carried message only on an intact record, and hands out the same record object to every reader", () => {
    const backend = makeMemoryBackend({ partitions: 1 });
    const record = eventRecord("e1", { type: "Terminate", by: "alice", at: "2026-01-01T00:00:00.000Z" });
    Effect.runSync(backend.events.port.append([record, { ...record, value: "not json" }]));
    const [kept, replaced] = backend.events.records();
    expect(kept!.decoded?.message).toBe(record.decoded?.message);
    expect(kept!.value).toBe(record.value); // the bytes Kafka would carry, unchanged
    expect(replaced!.decoded).toBeUndefined();
    expect(Effect.runSync(backend.events.port.readAll())[0]).toBe(kept);
  });
});

describe("memory view: documents carry the sink's entity", () => {
  it("a reader gets the sink's entity, which is what parsing and decoding the text gives; a document whose text was replaced carries none", () => {
    const view = makeMemoryBackend({}).view;
    const entity = newEntity({ kind: "Model", id: "m1", account: "alice", labels: { team: "a" } }, "t0");
    if (entity instanceof DecodeError) throw entity;
    const doc = viewDocument({ version: 1, entity });
    expect(Effect.runSync(view.port.upsert(doc))).toBe(true);
    const stored = Effect.runSync(view.port.get("m1"))!;
    expect(stored.value).toBe(JSON.stringify(entity)); // the text a database would store
    expect(carriedEntity(stored)).toBe(entity);
    expect(viewEntity(stored)).toBe(entity);
    expect(entity).toStrictEqual(JSON.parse(stored.value));
    expect(entity).toStrictEqual(decodeEntity(JSON.parse(stored.value)));

    const replaced = { ...doc, version: 2, value: '{"kind":"Model"}' };
    expect(Effect.runSync(view.port.upsert(replaced))).toBe(true);
    const again = Effect.runSync(view.port.get("m1"))!;
    expect(again.decoded).toBeUndefined();
    expect(viewEntity(again)).toBeInstanceOf(DecodeError);
  });
});

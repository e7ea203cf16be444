import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerMemory, MemoryBackend } from "../../../adapter-memory/src/index.js";
import { DecodeError } from "../lifecycle/errors.js";
import { EventLog } from "../ports/EventLog.js";
import { LogError } from "../ports/Log.js";
import { StateLog } from "../ports/StateLog.js";
import type { DyffEntity } from "../systems/dyff/index.js";
import {
  type AggregateResult,
  aggregate,
  aggregateRecord,
  makeAggregator,
  type Rejection,
} from "./aggregator.js";
import type { DeadLetter } from "./consume.js";
import { consumerGroups } from "./consumer-groups.js";
import { at, entity, informerStatus as status } from "./fixtures.js";
import { decodeEvent, decodeState, type EventMessage, encodeEvent, type StateMessage } from "./messages.js";
import { replayEvents } from "./replay.js";

const model = entity("Model", "m1");
/** given: events folded from nothing; when: one more; then: the fold. */
const given = (...events: EventMessage[]) => {
  let state: StateMessage | undefined;
  for (const e of events) {
    const fold = aggregate(state, e);
    if (fold.type === "changed") state = fold.state;
  }
  return { when: (e: EventMessage): AggregateResult => aggregate(state, e), state };
};
const leafOf = (f: AggregateResult) =>
  f.type === "changed" ? `${f.state.entity.status}/${f.state.entity.reason}` : f.type;

describe("aggregate: one event into the current object", () => {
  it("a Create makes version 1; the same Create again changes nothing; another Create of the id is rejected", () => {
    const create: EventMessage = { type: "Create", entity: model };
    expect(given().when(create)).toMatchObject({ type: "changed", state: { version: 1, entity: model } });
    expect(given(create).when(create)).toEqual({ type: "unchanged" });
    const other: EventMessage = { type: "Create", entity: { ...model, account: "bob" } };
    expect(given(create).when(other)).toMatchObject({
      type: "rejected",
      rejection: { code: "AlreadyExists" },
    });
  });

  it("a status patch moves the object with the machine and bumps the version; a repeat changes nothing", () => {
    const create: EventMessage = { type: "Create", entity: model };
    const admitted = given(create).when(status("Admitted"));
    expect(admitted).toMatchObject({
      type: "changed",
      state: { version: 2, entity: { status: "Admitted" } },
    });
    expect(given(create, status("Admitted")).when(status("Admitted"))).toEqual({ type: "unchanged" });
  });

  it("a status the machine does not allow is rejected and not applied", () => {
    const fold = given({ type: "Create", entity: model }, status("Admitted"), status("Ready")).when(
      status("Admitted"),
    );
    expect(fold).toMatchObject({ type: "rejected", rejection: { code: "InvalidTransition" } });
    expect(given().when(status("Admitted"))).toMatchObject({ rejection: { code: "UnknownEntity" } });
  });

  it("a status patch whose at is not RFC 3339 is rejected as InvalidTime, naming the field and the value", () => {
    const yesterday: EventMessage = {
      type: "Status",
      status: "Admitted",
      reason: null,
      author: "informer",
      at: "yesterday",
    };
    const fold = given({ type: "Create", entity: model }).when(yesterday);
    expect(fold).toMatchObject({ type: "rejected", rejection: { code: "InvalidTime" } });
    expect(fold.type === "rejected" && fold.rejection.message).toContain('at: got "yesterday"');
  });

  it("terminate applies to unfinished work only; delete applies to everything but Deleted", () => {
    const create: EventMessage = { type: "Create", entity: model };
    const terminate: EventMessage = { type: "Terminate", by: "alice", at };
    const del: EventMessage = { type: "Delete", by: "alice", at };
    expect(leafOf(given(create).when(terminate))).toBe("Terminated/TerminateCommand");
    expect(given(create, status("Admitted"), status("Ready")).when(terminate).type).toBe("rejected");
    expect(leafOf(given(create, status("Admitted"), status("Ready")).when(del))).toBe(
      "Deleted/DeleteCommand",
    );
    expect(given(create, del).when(del)).toEqual({ type: "unchanged" });
  });

  it("labels merge (null removes), invalid labels are rejected, and a Dataset is Ready once Uploaded", () => {
    const create: EventMessage = { type: "Create", entity: model };
    const set: EventMessage = { type: "Labels", labels: { team: "a", x: "1" }, by: "alice", at };
    const unset: EventMessage = { type: "Labels", labels: { x: null }, by: "alice", at };
    const labelled = given(create, set).when(unset);
    expect(labelled.type === "changed" && labelled.state.entity.labels).toEqual({ team: "a" });
    const bad = given(create).when({ type: "Labels", labels: { "-bad": "v" }, by: "alice", at });
    expect(bad.type === "rejected" && bad.rejection.message).toMatch(
      /labels of m1: [\s\S]*-bad: .*expected a label key \(got "-bad"\)/,
    );
    const uploaded: EventMessage = { type: "Uploaded", by: "alice", at };
    expect(leafOf(given({ type: "Create", entity: entity("Dataset", "d1") }).when(uploaded))).toBe(
      "Ready/null",
    );
    expect(given(create).when(uploaded)).toMatchObject({ rejection: { code: "NotUploadable" } });
  });

  it("property: a labels patch changes nothing exactly when the patched labels' JSON is the old one's", () => {
    const key = fc.constantFrom("a", "b", "c");
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.constantFrom("1", "2")),
        fc.dictionary(key, fc.constantFrom("1", "2", null)),
        (labels, patch) => {
          const current = { version: 1, entity: { ...model, labels } };
          const fold = aggregate(current, { type: "Labels", labels: patch, by: "alice", at });
          const next = { ...labels } as Record<string, string>;
          for (const [k, v] of Object.entries(patch)) {
            if (v === null) delete next[k];
            else next[k] = v;
          }
          expect(fold.type === "unchanged").toBe(JSON.stringify(next) === JSON.stringify(labels));
        },
      ),
    );
  });
});

const ids = ["m1", "d1", "e1"] as const;
const creates: Record<string, DyffEntity> = {
  m1: model,
  d1: entity("Dataset", "d1"),
  e1: entity("Evaluation", "e1", { inferenceSession: { inferenceService: "s" }, dataset: "d1" }),
};
const anyEvent = (id: string): fc.Arbitrary<EventMessage> =>
  fc.oneof(
    fc.constant<EventMessage>({ type: "Create", entity: creates[id]! }),
    fc
      .constantFrom<[string, string | null]>(
        ["Admitted", null],
        ["Admitted", "Unverified"],
        ["Created", "QuotaLimit"],
        ["Complete", null],
        ["Ready", null],
        ["Error", "FetchFailed"],
      )
      .map(([s, r]) => status(s, r)),
    fc.constant<EventMessage>({ type: "Terminate", by: "alice", at }),
    fc.constant<EventMessage>({ type: "Delete", by: "alice", at }),
    fc.constant<EventMessage>({ type: "Uploaded", by: "alice", at }),
    fc
      .constantFrom("a", "b")
      .map<EventMessage>((v) => ({ type: "Labels", labels: { k: v }, by: "alice", at })),
  );
const anyLog = fc.array(
  fc.constantFrom(...ids).chain((id) => anyEvent(id).map((m) => ({ key: id, value: encodeEvent(m) }))),
  { maxLength: 30 },
);

describe("replaying the event log", () => {
  it("property: delivering any records twice in a row gives the same objects and versions (idempotence)", () => {
    fc.assert(
      fc.property(anyLog, fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (log, twice) => {
        const doubled = log.flatMap((r, i) => (twice[i] ? [r, r] : [r]));
        expect(replayEvents(doubled)).toEqual(replayEvents(log));
      }),
    );
  });

  it("property: reordering records of different keys (each key's order kept) gives the same objects", () => {
    fc.assert(
      fc.property(anyLog, fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), (log, picks) => {
        const queues = ids.map((id) => log.filter((r) => r.key === id));
        const mixed: typeof log = [];
        for (let i = 0; mixed.length < log.length; i++) {
          const open = queues.filter((q) => q.length > 0);
          mixed.push(open[(picks[i % picks.length] ?? 0) % open.length]!.shift()!);
        }
        expect(replayEvents(mixed)).toEqual(replayEvents(log));
      }),
    );
  });
});

/** The records of a log with positions: each id on its own partition, offsets counting up per partition. */
const positioned = (log: readonly { key: string; value: string }[]) => {
  const next = new Map<number, number>();
  return log.map((r) => {
    const partition = ids.indexOf(r.key as (typeof ids)[number]);
    const offset = next.get(partition) ?? 0;
    next.set(partition, offset + 1);
    return { ...r, partition, offset };
  });
};
const foldInto = (states: Map<string, StateMessage>, records: ReturnType<typeof positioned>) => {
  for (const r of records) {
    const message = decodeEvent(r.key, r.value);
    if (message instanceof DecodeError) throw message;
    const fold = aggregateRecord(states.get(r.key), r, message);
    if (fold.type === "changed") states.set(r.key, fold.state);
  }
  return states;
};

describe("redelivery after a crash between the append and the commit", () => {
  it("property: folding records again from any earlier offset, after later ones were folded, gives the states of one reading", () => {
    fc.assert(
      fc.property(anyLog, fc.nat(), fc.nat(), (log, a, b) => {
        const records = positioned(log);
        const folded = Math.min(a, b) % (records.length + 1);
        const upTo = Math.max(a, b) % (records.length + 1);
        const [from, to] = folded <= upTo ? [folded, upTo] : [upTo, folded];
        const crashed = foldInto(new Map(), records.slice(0, to));
        foldInto(crashed, records.slice(from));
        expect(crashed).toEqual(foldInto(new Map(), records));
        expect(crashed).toEqual(replayEvents(records));
      }),
    );
  });

  it("a labels patch folded again after a later one does not bring the older labels back", () => {
    const records = positioned([
      { key: "m1", value: encodeEvent({ type: "Create", entity: model }) },
      { key: "m1", value: encodeEvent({ type: "Labels", labels: { k: "a" }, by: "alice", at }) },
      { key: "m1", value: encodeEvent({ type: "Labels", labels: { k: "b" }, by: "alice", at }) },
    ]);
    const states = foldInto(foldInto(new Map(), records), records.slice(1));
    expect(states.get("m1")).toMatchObject({
      version: 3,
      entity: { labels: { k: "b" } },
      applied: { offset: 2 },
    });
  });
});

describe("objects are immutable but for status, reason, message and labels", () => {
  it("property: no event sequence changes an entity's kind, id, account, creationTime, schema or spec", () => {
    fc.assert(
      fc.property(anyLog, (log) => {
        for (const [id, state] of replayEvents(log)) {
          const { kind, account, creationTime, schemaVersion, revision, spec } = creates[id]!;
          expect(state.entity).toMatchObject({ kind, id, account, creationTime, schemaVersion, revision });
          expect(state.entity.spec).toEqual(spec);
        }
      }),
    );
  });
});

describe("the aggregator over the memory logs", () => {
  const layer = () => layerMemory({ seed: 1 });

  it("folds events to the state log, reports rejections and dead letters, commits past them, and a rerun from offset zero adds nothing", async () => {
    const out = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const events = yield* EventLog;
          const backend = yield* MemoryBackend;
          const letters: DeadLetter[] = [];
          const rejections: Rejection[] = [];
          const hooks = {
            onDeadLetter: (l: DeadLetter) => Effect.sync(() => void letters.push(l)),
            onRejected: (r: Rejection) => Effect.sync(() => void rejections.push(r)),
          };
          yield* events.append([
            { key: "m1", value: encodeEvent({ type: "Create", entity: model }) },
            { key: "m1", value: "not json" },
            { key: "m1", value: encodeEvent(status("Complete")) },
            { key: "m1", value: encodeEvent(status("Admitted")) },
            { key: "m1", value: encodeEvent(status("Admitted")) },
          ]);
          const aggregator = yield* makeAggregator(hooks);
          const handled = yield* aggregator.runOnce();
          const again = yield* aggregator.runOnce();
          // a second aggregator in a fresh group re-reads everything, as after a crash before any commit
          const rerun = yield* Effect.scoped(
            Effect.flatMap(makeAggregator({ ...hooks, group: "fresh" }), (a) => a.runOnce()),
          );
          const states = backend.state.records().map((r) => decodeState(r.key, r.value) as StateMessage);
          return {
            handled,
            again,
            rerun,
            letters,
            rejections,
            states,
            uncommitted: backend.events.uncommitted(consumerGroups.aggregator.group),
          };
        }),
      ).pipe(Effect.provide(layer())),
    );
    expect(out.handled).toBe(5);
    expect(out.again).toBe(0);
    expect(out.rerun).toBe(5);
    expect(out.states.map((s) => [s.version, s.entity.status])).toEqual([
      [1, "Created"],
      [2, "Admitted"],
    ]);
    // each run reports the bad record; the status a Model cannot take (Complete) is reported by the
    // first run only: the rerun skips the records up to the one its snapshot was made from
    const letters = out.letters.map((l) => [l.consumer, l.offset, l.error.issues[0]?.expected]);
    expect(letters).toEqual([
      [consumerGroups.aggregator.group, 1, "JSON text"],
      ["fresh", 1, "JSON text"],
    ]);
    expect(out.rejections.map((r) => [r.code, r.event.type])).toEqual([["InvalidTransition", "Status"]]);
    expect(out.uncommitted).toBe(0);
  });

  it("a restart before the commit re-reads labels patches already folded, and writes nothing new", async () => {
    const out = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const backend = yield* MemoryBackend;
          yield* (yield* EventLog).append([
            { key: "m1", value: encodeEvent({ type: "Create", entity: model }) },
            { key: "m1", value: encodeEvent({ type: "Labels", labels: { k: "a" }, by: "alice", at }) },
            { key: "m1", value: encodeEvent({ type: "Labels", labels: { k: "b" }, by: "alice", at }) },
          ]);
          yield* Effect.scoped(Effect.flatMap(makeAggregator(), (a) => a.runOnce()));
          // a fresh group starts at offset zero: what a restart sees when the first run never committed
          yield* Effect.scoped(Effect.flatMap(makeAggregator({ group: "restarted" }), (a) => a.runOnce()));
          return backend.state.records().map((r) => {
            const s = decodeState(r.key, r.value) as StateMessage;
            return [s.version, s.entity.labels.k ?? null];
          });
        }),
      ).pipe(Effect.provide(layer())),
    );
    expect(out).toEqual([
      [1, null],
      [2, "a"],
      [3, "b"],
    ]);
  });

  it("a batch whose append failed is folded again by the next runOnce, not skipped", async () => {
    let failures = 1;
    // the memory state log, refusing the first append (a broker that went away for a moment)
    const flaky = Layer.effect(
      StateLog,
      Effect.gen(function* () {
        const real = (yield* MemoryBackend).state.port;
        return {
          ...real,
          append: (records) =>
            failures-- > 0
              ? Effect.fail(new LogError({ log: real.name, operation: "append", message: "broker gone" }))
              : real.append(records),
        };
      }),
    );
    const out = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const backend = yield* MemoryBackend;
          yield* (yield* EventLog).append([
            { key: "m1", value: encodeEvent({ type: "Create", entity: model }) },
          ]);
          const aggregator = yield* makeAggregator().pipe(Effect.provide(flaky));
          const first = yield* Effect.flip(aggregator.runOnce());
          const second = yield* aggregator.runOnce();
          return { first: first._tag, second, states: backend.state.records().length };
        }),
      ).pipe(Effect.provide(layer())),
    );
    expect(out).toEqual({ first: "LogError", second: 1, states: 1 });
  });
});

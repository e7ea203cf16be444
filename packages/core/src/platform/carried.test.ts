import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../lifecycle/errors.js";
import { carriedMessage, type ProducerRecord } from "../ports/Log.js";
import { type AnyDyffKind, type DyffEntity, dyffKinds } from "../systems/dyff/index.js";
import { aggregate, aggregateRecord } from "./aggregator.js";
import { decideLabels, newEntity } from "./commands.js";
import {
  decodeEvent,
  decodeState,
  type EventMessage,
  eventRecord,
  type StateMessage,
  stateRecord,
} from "./messages.js";

/**
 * A record that core writes carries its writer's message (`eventRecord`, `stateRecord`), and readers
 * in the same process take it instead of decoding the text: so it must be exactly what decoding the
 * text gives, the same fields (none undefined where the text has none), values and key order (a
 * reader that encodes it again must write the same bytes), and it must not change afterwards.
 */

const kinds = Object.entries(dyffKinds) as [string, AnyDyffKind][];
/** Core writes object literals: plain objects, never null-prototype ones. */
const plain = { noNullPrototype: true } as const;

const resources = fc.record(
  {
    gpu: fc.integer({ min: 0, max: 16 }),
    cpu: fc.double({ min: 0, max: 64, noNaN: true, noDefaultInfinity: true }),
    memoryGiB: fc.double({ min: 0, max: 512, noNaN: true, noDefaultInfinity: true }),
  },
  { requiredKeys: [] },
);
/** A create request's spec for each kind: its required fields, and some of its optional ones. */
const specOf = (kind: string): fc.Arbitrary<unknown> => {
  const withResources = (spec: Record<string, unknown>) =>
    fc.option(resources, { nil: undefined }).map((r) => (r === undefined ? spec : { ...spec, resources: r }));
  switch (kind) {
    case "Evaluation":
      return fc
        .record({ replicas: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) })
        .chain(({ replicas }) =>
          withResources({
            inferenceSession:
              replicas === undefined ? { inferenceService: "svc1" } : { inferenceService: "svc1", replicas },
            dataset: "d1",
          }),
        );
    case "Report":
      return fc.constant({ evaluation: "e1" });
    case "Audit":
      return withResources({ inferenceService: "svc1" });
    case "Measurement":
    case "SafetyCase":
      return fc.constant({ method: "x" });
    case "InferenceSession":
      return fc.constant({ inferenceService: "svc1" });
    case "InferenceService":
      return withResources({ model: "m1" });
    default:
      return fc.constant({});
  }
};

const labelKey = fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/);
const time = fc
  .date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2027-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString());

/** An entity as the command API creates it (`newEntity`), of any kind. */
const created: fc.Arbitrary<DyffEntity> = fc
  .constantFrom(...kinds)
  .chain(([kind]) =>
    fc.record({
      kind: fc.constant(kind),
      id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
      account: fc.constantFrom("alice", "bob"),
      labels: fc.option(fc.dictionary(labelKey, fc.string({ maxLength: 10 }), { maxKeys: 3 }), {
        nil: undefined,
      }),
      spec: specOf(kind),
      at: time,
    }),
  )
  .map(({ labels, at, ...request }) => newEntity(labels === undefined ? request : { ...request, labels }, at))
  .filter((e): e is DyffEntity => !(e instanceof DecodeError));

/** The events core writes about `entity`: statuses (orchestrator, informer), commands, label patches. */
const eventsAbout = (entity: DyffEntity): fc.Arbitrary<EventMessage> => {
  const leaves = dyffKinds[entity.kind as keyof typeof dyffKinds].lifecycle.leaves;
  const by = fc.constantFrom("alice", "bob");
  return fc.oneof(
    fc.record(
      {
        type: fc.constant("Status" as const),
        status: fc.constantFrom(...leaves.map((l) => l.status)),
        reason: fc.constantFrom(null, ...leaves.map((l) => l.reason)),
        message: fc.oneof(fc.constant(null), fc.string({ maxLength: 20 })),
        author: fc.constantFrom("orchestrator" as const, "informer" as const),
        at: time,
      },
      plain,
    ),
    fc.record(
      { type: fc.constantFrom("Terminate" as const, "Delete" as const, "Uploaded" as const), by, at: time },
      plain,
    ),
    fc
      .record({
        patch: fc.dictionary(labelKey, fc.oneof(fc.constant(null), fc.string({ maxLength: 10 })), {
          maxKeys: 3,
        }),
        by,
        at: time,
      })
      .map(({ patch, by, at }) => decideLabels(entity, patch, by, at))
      .filter((m): m is EventMessage => !(m instanceof DecodeError)),
  );
};

/** An entity's Create, then events about it, as the event log would hold them. */
const history = created.chain((entity) =>
  fc
    .array(eventsAbout(entity), { maxLength: 12 })
    .map((events) => [{ type: "Create" as const, entity }, ...events] as EventMessage[]),
);

/** Frozen all the way down (a shared spec included). */
const deeplyFrozen = (v: unknown): boolean =>
  typeof v !== "object" ||
  v === null ||
  (Object.isFrozen(v) && Object.values(v).every((x) => deeplyFrozen(x)));

function expectCarriesItsDecoding<M>(
  record: ProducerRecord<M>,
  decode: (key: string, value: string) => M | DecodeError,
): void {
  const carried = carriedMessage(record);
  const decoded = decode(record.key, record.value);
  expect(decoded).not.toBeInstanceOf(DecodeError);
  expect(carried).toStrictEqual(decoded);
  // The same key order: a reader that writes the message again writes the record's own bytes.
  expect(JSON.stringify(carried)).toBe(record.value);
  expect(JSON.stringify(decoded)).toBe(record.value);
  expect(deeplyFrozen(carried)).toBe(true);
}

describe("records carry their writer's message", () => {
  it("property: every event core writes carries exactly what decoding its text gives (Creates of every kind, statuses, commands, labels)", () => {
    fc.assert(
      fc.property(history, (events) => {
        const key = (events[0] as { entity: DyffEntity }).entity.id;
        for (const event of events) expectCarriesItsDecoding(eventRecord(key, event), decodeEvent);
      }),
      { numRuns: 300 },
    );
  });

  it("property: every state the aggregator folds carries exactly what decoding its text gives, with and without `applied`", () => {
    fc.assert(
      fc.property(history, fc.boolean(), (events, positioned) => {
        let state: StateMessage | undefined;
        let offset = 0;
        for (const event of events) {
          // What the aggregator folds: the event as a reader got it (carried, so exactly decoded).
          const message = carriedMessage(
            eventRecord((events[0] as { entity: DyffEntity }).entity.id, event),
          )!;
          const fold = positioned
            ? aggregateRecord(state, { partition: 1, offset: offset++ }, message)
            : aggregate(state, message);
          if (fold.type !== "changed") continue;
          state = fold.state;
          expect(state.applied !== undefined).toBe(positioned);
          expectCarriesItsDecoding(stateRecord(state.entity.id, state), decodeState);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("carries nothing where decoding the text could not give the message back", () => {
    const entity = newEntity({ kind: "Model", id: "m1", account: "alice", document: { name: "x" } }, "t");
    if (entity instanceof DecodeError) throw entity;
    // A client's document is opaque: JSON may change it (here, an undefined member disappears).
    expect(eventRecord("m1", { type: "Create", entity }).decoded).toBeUndefined();
    expect(stateRecord("m1", { version: 1, entity }).decoded).toBeUndefined();
    // A status message whose `message` is present but undefined: its text has no such key.
    const status = {
      type: "Status",
      status: "Admitted",
      reason: null,
      message: undefined,
      author: "informer",
      at: "t",
    };
    expect(eventRecord("m1", status as unknown as EventMessage).decoded).toBeUndefined();
  });

  it("counts a carried message only on the very key and text it was encoded to", () => {
    const record = eventRecord("e1", { type: "Delete", by: "alice", at: "2026-01-01T00:00:00.000Z" });
    expect(carriedMessage(record)).toStrictEqual(decodeEvent("e1", record.value));
    expect(carriedMessage({ ...record, value: "not json" })).toBeUndefined();
    expect(carriedMessage({ ...record, value: record.value.replace("alice", "bob") })).toBeUndefined();
    expect(carriedMessage({ ...record, key: "e2" })).toBeUndefined();
    expect(carriedMessage({ key: "e1", value: record.value })).toBeUndefined();
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../lifecycle/errors.js";
import { type AnyDyffKind, type DyffEntity, dyffKinds } from "../systems/dyff/index.js";
import { fastEntity, scanCreateEntity } from "./create-fast-path.js";
import { entity, mangled } from "./fixtures.js";
import { decodeEntity, decodeEvent, encodeEvent } from "./messages.js";

/** A valid spec of each kind (the kinds whose spec needs fields; the others accept `{}`). */
const specs: Record<string, unknown> = {
  Evaluation: { inferenceSession: { inferenceService: "svc1" }, dataset: "d1" },
  Report: { evaluation: "e1" },
  Audit: { inferenceService: "svc1" },
  Measurement: { method: "x" },
  SafetyCase: { method: "x" },
  InferenceSession: { inferenceService: "svc1" },
};
const kinds = Object.entries(dyffKinds) as [string, AnyDyffKind][];

const labelKey = fc.oneof(
  fc.constantFrom("team", "a.b/c-d_e", "x".repeat(253)),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,20}$/),
);
/** Entities of every kind the kind's schema accepts: any leaf of its machine, any labels, optional times. */
const validEntity = fc
  .constantFrom(...kinds)
  .chain(([name, kind]) =>
    fc.record({
      kind: fc.constant(name),
      id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
      account: fc.string({ minLength: 1 }),
      schemaVersion: fc.constant(0),
      revision: fc.constant(1),
      creationTime: fc.string(),
      lastTransitionTime: fc.oneof(fc.constant(null), fc.string()),
      leaf: fc.constantFrom(...kind.lifecycle.leaves),
      message: fc.oneof(fc.constant(null), fc.string()),
      labels: fc.dictionary(labelKey, fc.string({ maxLength: 63 }), { maxKeys: 3 }),
      spec: fc.constant(specs[name] ?? {}),
    }),
  )
  .map(({ leaf, ...e }) => ({ ...e, status: leaf.status, reason: leaf.reason }) as Record<string, unknown>);

const anyValue = fc.oneof(
  fc.constantFrom("", "_", "a", "-bad", "Created", "Ready", "Model", "Dataset", "x".repeat(64)),
  fc.constant(null),
  fc.constant(undefined),
  fc.integer({ min: -1, max: 2 }),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.dictionary(
    fc.constantFrom("k", "-bad", "__proto__", ""),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
  ),
);
/** Every field of an entity (a fixture's keys, in the schema's order), an optional one, and one no kind has. */
const fields = [...Object.keys(entity("Model", "m1")), "document", "extra"];
/** A valid entity with one to three fields changed to anything, or removed. */
const nearEntity = fc
  .tuple(
    validEntity,
    fc.array(fc.tuple(fc.constantFrom(...fields), fc.option(anyValue, { nil: undefined }), fc.boolean()), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([e, changes]) => {
    const out: Record<string, unknown> = { ...e };
    for (const [field, value, remove] of changes) {
      if (remove) delete out[field];
      else out[field] = value;
    }
    return out;
  });

/** A valid entity whose status and reason are drawn apart (most pairs are no leaf; "_" is how `leafOf` spells null). */
const mixedLeaf = validEntity.chain((e) => {
  const leaves = (dyffKinds as Record<string, AnyDyffKind>)[String(e.kind)]!.lifecycle.leaves;
  return fc
    .tuple(
      fc.constantFrom(...leaves.map((l) => l.status)),
      fc.constantFrom<string | null>("_", null, ...leaves.flatMap((l) => (l.reason ? [l.reason] : []))),
    )
    .map(([status, reason]) => ({ ...e, status, reason }));
});

const kindOfValue = (v: Record<string, unknown>) =>
  typeof v.kind === "string" && Object.hasOwn(dyffKinds, v.kind)
    ? (dyffKinds as Record<string, AnyDyffKind>)[v.kind]
    : undefined;
/** zod's verdict: the kind's entity schema, or undefined when it refuses. */
const zod = (v: unknown, kind: AnyDyffKind) => {
  const parsed = kind.entity.safeParse(v);
  return parsed.success ? parsed.data : undefined;
};

describe("the Create event's fast path", () => {
  it("property: the hand check accepts only what the kind's zod schema accepts, and returns what zod returns, in zod's key order", () =>
    fc.assert(
      fc.property(fc.oneof(nearEntity, mixedLeaf, validEntity), fc.constantFrom(...kinds), (v, [, other]) => {
        // the entity's own kind, or (to test the kind check) any kind
        for (const kind of [kindOfValue(v) ?? other, other]) {
          const fast = fastEntity(v, kind);
          if (fast === undefined) continue;
          const slow = zod(v, kind);
          expect(fast).toStrictEqual(slow);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
        }
      }),
      { numRuns: 3000 },
    ));

  it("property: every valid entity of every kind takes the fast path, and a Create's text decodes to zod's entity", () =>
    fc.assert(
      fc.property(validEntity, (v) => {
        const kind = kindOfValue(v)!;
        const fromText = JSON.parse(JSON.stringify(v));
        expect(fastEntity(fromText, kind)).toStrictEqual(zod(fromText, kind));
        const event = decodeEvent(String(v.id), JSON.stringify({ type: "Create", entity: v }));
        expect(event).toStrictEqual({ type: "Create", entity: decodeEntity(fromText) });
      }),
      { numRuns: 500 },
    ));

  it("property: the Create text reader reads exactly the entity JSON.parse reads, key order included, or leaves the text to it", () => {
    const createText = fc
      .oneof(nearEntity, mixedLeaf, validEntity)
      .map((v) => JSON.stringify({ type: "Create", entity: v }));
    const unusual = fc.constantFrom(
      JSON.stringify({ type: "Create", entity: entity("Model", "m1") }, null, 1),
      JSON.stringify({ entity: entity("Model", "m1"), type: "Create" }),
      JSON.stringify({ type: "Create", entity: { ...entity("Model", "m1"), labels: { a: "x" } } }).replace(
        '"labels":{"a":"x"}',
        '"labels":{"a":"x","a":"y"}',
      ),
      JSON.stringify({ type: "Create", entity: entity("Model", "m1") }).replace(
        '"spec":{',
        '"spec":{},"x":{',
      ),
      JSON.stringify({ type: "Create", entity: entity("Model", "m1") }).replace('"spec":{}', '"spec": {} '),
      `${JSON.stringify({ type: "Create", entity: entity("Model", "m1") }).slice(0, -1)}]`,
      `${JSON.stringify({ type: "Create", entity: entity("Model", "m1") })} `,
    );
    fc.assert(
      fc.property(fc.oneof(createText, mangled(createText), unusual, mangled(unusual)), (text) => {
        const scanned = scanCreateEntity(text);
        if (scanned === undefined) return;
        const parsed = (JSON.parse(text) as { entity: unknown }).entity;
        expect(scanned).toStrictEqual(parsed);
        expect(JSON.stringify(scanned)).toBe(JSON.stringify(parsed));
        // And the decode through it is zod's: the entity, or zod's error.
        const key = String(scanned.id);
        const slow = decodeEntity(parsed, `event ${key}`, "entity");
        const expected = slow instanceof DecodeError ? slow : { type: "Create", entity: slow };
        expect(decodeEvent(key, text)).toStrictEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("property: every Create encodeEvent writes without an escape is read from its text", () =>
    fc.assert(
      fc.property(validEntity, (v) => {
        // As the command API writes it: the entity in its schema's key order.
        const text = encodeEvent({ type: "Create", entity: decodeEntity(v) as DyffEntity });
        fc.pre(!text.includes("\\"));
        expect(scanCreateEntity(text)).toStrictEqual(JSON.parse(text).entity);
      }),
      { numRuns: 500 },
    ));

  it("leaves a malformed entity to zod, whose error names the field, the value and what was expected", () => {
    const model = entity("Model", "m1");
    const kind = dyffKinds.Model as AnyDyffKind;
    expect(fastEntity(model, kind)).toBeDefined();
    // `leafOf` reads a null reason as "_": the fast path must not take "_" for null
    expect(fastEntity({ ...model, reason: "_" }, kind)).toBeUndefined();
    expect(fastEntity({ ...model, document: { name: "x" } }, kind)).toBeUndefined();
    expect(fastEntity({ ...model, labels: JSON.parse('{"__proto__":"x"}') }, kind)).toBeUndefined();
    const bad = decodeEvent("m1", JSON.stringify({ type: "Create", entity: { ...model, status: "Bogus" } }));
    expect(bad).toBeInstanceOf(DecodeError);
    expect((bad as DecodeError).message).toContain("entity.status");
    expect((bad as DecodeError).message).toContain("Bogus");
    const other = decodeEvent("m2", JSON.stringify({ type: "Create", entity: model }));
    expect((other as DecodeError).message).toContain('the record key "m2"');
  });
});

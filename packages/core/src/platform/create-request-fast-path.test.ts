import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRequest } from "./commands.js";
import { fastCreateRequest } from "./create-request-fast-path.js";

const labelKey = fc.oneof(
  fc.constantFrom("team", "a.b/c-d_e", "x".repeat(253), "x".repeat(254), "-bad", "__proto__", "", "a b"),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,20}$/),
);
const labelValue = fc.oneof(
  fc.string({ maxLength: 63 }),
  fc.string({ minLength: 64, maxLength: 70 }),
  fc.anything(),
);
const field = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });

/** Create requests near the valid ones: each field valid, missing, or of another value; now and then an extra key. */
const requests = fc
  .record(
    {
      kind: field(fc.oneof(fc.constantFrom("Model", "Dataset", "Nope"), fc.anything())),
      id: field(fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/), fc.string(), fc.anything())),
      account: field(fc.oneof(fc.string(), fc.anything())),
      spec: field(fc.anything()),
      labels: field(fc.oneof(fc.dictionary(labelKey, labelValue, { maxKeys: 3 }), fc.anything())),
      document: field(fc.anything()),
      extra: field(fc.anything()),
    },
    { requiredKeys: [] },
  )
  .map((r) => JSON.parse(JSON.stringify(r ?? null) ?? "null") as unknown);

describe("the create request's hand check", () => {
  it("accepts only what createRequest accepts, and returns what it returns", () => {
    fc.assert(
      fc.property(fc.oneof(requests, fc.anything()), (request) => {
        const fast = fastCreateRequest(request);
        if (fast === undefined) return;
        const zod = createRequest.safeParse(request);
        expect(zod.success).toBe(true);
        expect(fast).toStrictEqual(zod.data);
      }),
      { numRuns: 3000 },
    );
  });

  it("answers every request createRequest accepts, but for a document or a __proto__ key", () => {
    fc.assert(
      fc.property(requests, (request) => {
        const zod = createRequest.safeParse(request);
        // a `__proto__` key (JSON.parse makes it an own key) is left to zod, which skips it
        const proto = (v: unknown) => typeof v === "object" && v !== null && Object.hasOwn(v, "__proto__");
        const plain =
          typeof request === "object" &&
          request !== null &&
          !("document" in request) &&
          !proto(request) &&
          !proto((request as { labels?: unknown }).labels);
        if (zod.success && plain) expect(fastCreateRequest(request)).toStrictEqual(zod.data);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves what is not plain to zod: a class instance, a symbol key, a non-enumerable key", () => {
    class Request {
      kind = "Model";
      id = "m1";
      account = "alice";
    }
    expect(fastCreateRequest(new Request())).toBeUndefined();
    expect(
      fastCreateRequest({ kind: "Model", id: "m1", account: "alice", [Symbol("x")]: 1 }),
    ).toBeUndefined();
    const hidden = { kind: "Model", id: "m1", account: "alice" };
    Object.defineProperty(hidden, "spec", { value: { x: 1 }, enumerable: false });
    expect(fastCreateRequest(hidden)).toBeUndefined();
    expect(fastCreateRequest({ kind: "Model", id: "m1", account: "alice" })).toStrictEqual({
      kind: "Model",
      id: "m1",
      account: "alice",
      spec: {},
      labels: {},
    });
  });
});

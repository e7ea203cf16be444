import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { viewStatus } from "./view-status.js";

const parsed = (text: string) => {
  const e = JSON.parse(text) as { kind: unknown; status: unknown; reason: unknown };
  return { kind: e.kind, status: e.status, reason: e.reason };
};

/** Entity-like members: the three among others, in any order, any of them possibly missing or odd. */
const member = fc.oneof(
  fc.tuple(
    fc.constantFrom("kind", "status", "reason"),
    fc.oneof(fc.string(), fc.constant(null), fc.jsonValue()),
  ),
  fc.tuple(
    fc.oneof(fc.constantFrom("id", "account", "revision", "labels", "spec", "message"), fc.string()),
    fc.jsonValue(),
  ),
);

describe("a view document's status, read by a scan", () => {
  it("reads kind, status and reason as JSON.parse does, for any JSON object text", () => {
    fc.assert(
      fc.property(fc.array(member, { maxLength: 12 }), (members) => {
        // Duplicate names written by hand, as JSON.stringify of an object never would.
        const text = `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;
        expect(viewStatus(text)).toEqual(parsed(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads what the sink writes (JSON.stringify of an entity), escapes and nested values included", () => {
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.string(),
          id: fc.string(),
          revision: fc.nat(),
          status: fc.string(),
          reason: fc.option(fc.string()),
          message: fc.option(fc.string()),
          labels: fc.dictionary(fc.string(), fc.string()),
          spec: fc.jsonValue(),
        }),
        (entity) => {
          const text = JSON.stringify(entity);
          expect(viewStatus(text)).toEqual({
            kind: entity.kind,
            status: entity.status,
            reason: entity.reason,
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("scans a document of the simulator without parsing it", () => {
    const text =
      '{"kind":"Model","id":"m1","account":"alice","schemaVersion":0,"revision":1,"creationTime":"2026-01-01T00:00:00.000Z","status":"Admitted","reason":null,"message":null,"labels":{},"spec":{"source":""}}';
    expect(viewStatus(text)).toEqual({ kind: "Model", status: "Admitted", reason: null });
    // The scan stops at the three: a malformed tail shows that JSON.parse was not called.
    expect(viewStatus(text.slice(0, -3))).toEqual({ kind: "Model", status: "Admitted", reason: null });
  });
});

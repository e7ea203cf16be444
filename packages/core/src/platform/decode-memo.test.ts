import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../lifecycle/errors.js";
import { decodeStateShared, memoDecode } from "./decode-memo.js";
import { decodeState, encodeState } from "./messages.js";

const entity = (id: string, status = "Created") => ({
  kind: "Model",
  id,
  account: "alice",
  schemaVersion: 0,
  revision: 1,
  creationTime: "2026-01-01T00:00:00.000Z",
  lastTransitionTime: "2026-01-01T00:00:00.000Z",
  status,
  reason: null,
  message: null,
  labels: {},
  spec: { source: "", resources: { gpu: 0, cpu: 0, memoryGiB: 0 } },
});

describe("memoDecode", () => {
  it("gives what decode gives, for any sequence of records, repeated or not, and at any capacity", () => {
    const records = fc.array(
      fc.record({
        id: fc.constantFrom("m1", "m2", "m3"),
        key: fc.constantFrom("m1", "m2", "m3"),
        version: fc.integer({ min: 1, max: 3 }),
        broken: fc.boolean(),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(records, fc.integer({ min: 1, max: 4 }), (rs, capacity) => {
        const decodeOnce = memoDecode(decodeState, capacity);
        let decoded = 0;
        for (const r of rs) {
          const text = r.broken ? "{" : encodeState({ version: r.version, entity: entity(r.id) as never });
          const expected = decodeState(r.key, text);
          if (!(expected instanceof DecodeError)) decoded++;
          expect(decodeOnce(r.key, text)).toEqual(expected);
        }
        return decoded > 0 || rs.every((r) => r.broken || r.id !== r.key);
      }),
    );
  });

  it("decodes a record once: the second reader gets the same message; another key or text is decoded anew", () => {
    let calls = 0;
    const decodeOnce = memoDecode((key: string, value: string) => {
      calls++;
      return decodeState(key, value);
    });
    const text = encodeState({ version: 1, entity: entity("m1") as never });
    const first = decodeOnce("m1", text);
    expect(first).not.toBeInstanceOf(DecodeError);
    expect(decodeOnce("m1", text)).toBe(first);
    expect(calls).toBe(1);
    expect(decodeOnce("m2", text)).toBeInstanceOf(DecodeError); // the id is not the key
    expect(decodeOnce("m1", encodeState({ version: 2, entity: entity("m1", "Admitted") as never }))).not.toBe(
      first,
    );
    expect(calls).toBe(3);
    expect(decodeStateShared("m1", text)).toEqual(first);
  });
});

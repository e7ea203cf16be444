import { describe, expect, it } from "vitest";
import { DecodeError } from "../lifecycle/errors.js";
import { newEntity } from "./commands.js";
import { decodeEntity, decodeEvent, decodeState, encodeEvent, encodeState } from "./messages.js";

const at = "2026-01-01T00:00:00Z";
const model = newEntity({ kind: "Model", id: "m1", account: "alice" }, at);
if (model instanceof DecodeError) throw model;

/** The [path, expected] of each issue, or [] when `x` decoded. */
const issues = (x: unknown): [string, string][] =>
  x instanceof DecodeError ? x.issues.map((i) => [i.path, i.expected]) : [];

describe("event-log messages", () => {
  it("a Create carries the full entity, checked against its kind, and survives encode/decode", () => {
    const value = encodeEvent({ type: "Create", entity: model });
    expect(decodeEvent("m1", value)).toEqual({ type: "Create", entity: model });
  });

  it("a Create whose entity id is not the record key is refused, naming entity.id", () => {
    expect(issues(decodeEvent("m2", encodeEvent({ type: "Create", entity: model })))).toEqual([
      ["entity.id", 'the record key "m2"'],
    ]);
  });

  it("a bad entity names the field under entity (kind, spec field, status of the kind)", () => {
    const bad = (entity: object) => issues(decodeEvent("m1", JSON.stringify({ type: "Create", entity })));
    expect(bad({ ...model, kind: "Robot" })[0]).toEqual([
      "entity.kind",
      expect.stringContaining("Evaluation"),
    ]);
    expect(bad({ ...model, spec: { source: 3 } })).toEqual([["entity.spec.source", "a string"]]);
    expect(bad({ ...model, status: "Complete" })[0]?.[0]).toBe("entity.status");
  });

  it("status patches, commands and labels decode; text that is not JSON or not a message is a DecodeError", () => {
    const patch = { type: "Status", status: "Admitted", reason: "Unverified", author: "informer", at };
    expect(decodeEvent("e1", JSON.stringify(patch))).toEqual(patch);
    expect(
      decodeEvent("e1", JSON.stringify({ type: "Labels", labels: { a: null }, by: "alice", at })),
    ).toMatchObject({
      type: "Labels",
    });
    expect(issues(decodeEvent("e1", "{not json"))).toEqual([["$", "JSON text"]]);
    expect(issues(decodeEvent("e1", JSON.stringify({ type: "Launch" })))[0]?.[0]).toBe("type");
    expect(issues(decodeEvent("e1", JSON.stringify({ ...patch, author: "alice" })))[0]?.[0]).toBe("author");
  });
});

describe("state-log messages", () => {
  it("carry the entity and a positive version; the id must be the key", () => {
    const value = encodeState({ version: 3, entity: model });
    expect(decodeState("m1", value)).toEqual({ version: 3, entity: model });
    expect(issues(decodeState("x", value))).toEqual([["entity.id", 'the record key "x"']]);
    expect(issues(decodeState("m1", JSON.stringify({ version: 0, entity: model })))[0]?.[0]).toBe("version");
  });

  it("decodeEntity without a kind names the kind field", () => {
    expect(issues(decodeEntity({}))[0]?.[0]).toBe("kind");
  });
});

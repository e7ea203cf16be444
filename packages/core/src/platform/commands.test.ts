import * as Effect from "effect/Effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerMemory, MemoryBackend } from "../../../adapter-memory/src/index.js";
import { decode } from "../decode.js";
import { DecodeError } from "../lifecycle/errors.js";
import type { Verb } from "../ports/Authorizer.js";
import type { DyffEntity } from "../systems/dyff/index.js";
import {
  CommandRefused,
  createEntity,
  decideCreate,
  decideDelete,
  decideLabels,
  decideTerminate,
  decideUploaded,
  getEntity,
  newEntity,
  requestAccount,
  requestOwner,
} from "./commands.js";
import { decodeEvent } from "./messages.js";

const at = "2026-01-01T00:00:00Z";
const made = (request: object): DyffEntity => {
  const e = newEntity(request, at);
  if (e instanceof DecodeError) throw e;
  return e;
};
const evaluation = made({
  kind: "Evaluation",
  id: "e1",
  account: "alice",
  spec: { inferenceSession: { inferenceService: "svc" }, dataset: "d1" },
});
const refusal = (x: unknown) => (x instanceof CommandRefused ? x.code : x);

describe("new entities", () => {
  it("start Created with no reason, at the given time, with the spec's defaults filled in", () => {
    expect(evaluation).toMatchObject({
      status: "Created",
      reason: null,
      creationTime: at,
      lastTransitionTime: at,
      labels: {},
      spec: { inferenceSession: { replicas: 1 }, resources: { gpu: 0 } },
    });
  });

  it("a bad request names each bad field", () => {
    const bad = newEntity({ kind: "Evaluation", id: "e 1", account: "alice", spec: { dataset: 3 } }, at);
    expect(bad instanceof DecodeError && bad.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["id"]),
    );
    const spec = newEntity({ kind: "Evaluation", id: "e1", account: "alice", spec: { dataset: 3 } }, at);
    expect(spec instanceof DecodeError && spec.issues.map((i) => i.path)).toEqual([
      "spec.inferenceSession",
      "spec.dataset",
    ]);
  });
});

describe("command decisions", () => {
  it("create: refused for a taken id or a Deleted dependency; a missing dependency is fine", () => {
    expect(decideCreate(evaluation, undefined, new Map())).toEqual({ type: "Create", entity: evaluation });
    expect(refusal(decideCreate(evaluation, evaluation, new Map()))).toBe("AlreadyExists");
    const deleted = { ...made({ kind: "Dataset", id: "d1", account: "alice" }), status: "Deleted" };
    expect(refusal(decideCreate(evaluation, undefined, new Map([["d1", deleted]])))).toBe(
      "DependencyDeleted",
    );
    const bobs = made({ kind: "Dataset", id: "d1", account: "bob" });
    expect(refusal(decideCreate(evaluation, undefined, new Map([["d1", bobs]])))).toBe(
      "DependencyOfAnotherAccount",
    );
  });

  it("a create request's document (the client's own fields) is kept on the entity as sent", () => {
    const document = { name: "mnist", artifacts: [{ path: "a.parquet" }] };
    expect(made({ kind: "Dataset", id: "d1", account: "alice", document }).document).toEqual(document);
    expect("document" in made({ kind: "Dataset", id: "d1", account: "alice" })).toBe(false);
  });

  it("terminate only unfinished work; delete anything but Deleted; upload only a Created Dataset", () => {
    expect(decideTerminate(evaluation, "alice", at)).toEqual({ type: "Terminate", by: "alice", at });
    expect(refusal(decideTerminate({ ...evaluation, status: "Complete" }, "alice", at))).toBe("Terminal");
    expect(decideDelete({ ...evaluation, status: "Complete" }, "alice", at)).toMatchObject({
      type: "Delete",
    });
    expect(refusal(decideDelete({ ...evaluation, status: "Deleted" }, "alice", at))).toBe("Deleted");
    expect(refusal(decideUploaded(evaluation, "alice", at))).toBe("NotUploadable");
    const dataset = made({ kind: "Dataset", id: "d1", account: "alice" });
    expect(decideUploaded(dataset, "alice", at)).toMatchObject({ type: "Uploaded" });
    expect(refusal(decideUploaded({ ...dataset, status: "Ready" }, "alice", at))).toBe("Terminal");
  });

  it("labels: a merge patch whose result is valid; a bad key is named", () => {
    expect(decideLabels(evaluation, { team: "a", gone: null }, "alice", at)).toMatchObject({
      type: "Labels",
    });
    const bad = decideLabels(evaluation, { "-x": "v" }, "alice", at);
    expect(bad instanceof DecodeError && bad.issues[0]?.path).toBe("-x");
  });
});

describe("requestOwner", () => {
  const requests = fc.oneof(
    fc.anything(),
    fc.record(
      { account: fc.oneof(fc.string(), fc.constant(""), fc.anything()), kind: fc.string() },
      { requiredKeys: [] },
    ),
    fc.string().map((account) => Object.assign([], { account })),
  );
  it("decodes every request exactly as zod's requestAccount does, errors included", () => {
    fc.assert(
      fc.property(requests, (r) => {
        expect(requestOwner(r)).toEqual(decode(requestAccount, r, "create request"));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("commands over the memory ports", () => {
  const all: Verb[] = ["create", "get"];
  const layer = () =>
    layerMemory({
      seed: 6,
      tokens: { alice: { account: "alice", verbs: all }, bob: { account: "bob", verbs: all } },
    });

  it("checks the token before producing anything, and a refused command leaves the event log as it was", async () => {
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const backend = yield* MemoryBackend;
        const request = { kind: "Model", id: "m1", account: "alice" };
        const wrongAccount = yield* Effect.flip(createEntity("bob", request, at));
        const badRequest = yield* Effect.flip(createEntity("alice", { ...request, spec: { source: 1 } }, at));
        // authorization first: a token without the right learns nothing about the request's validity
        const badRequestWrongToken = yield* Effect.flip(
          createEntity("bob", { ...request, kind: "Robot", spec: { source: 1 } }, at),
        );
        const noAccount = yield* Effect.flip(createEntity("alice", { kind: "Model", id: "m1" }, at));
        const before = backend.events.records().length;
        yield* createEntity("alice", request, at);
        const events = backend.events.records().map((r) => decodeEvent(r.key, r.value));
        const notInView = yield* Effect.flip(getEntity("alice", "m1"));
        return { wrongAccount, badRequest, badRequestWrongToken, noAccount, before, events, notInView };
      }).pipe(Effect.provide(layer())),
    );
    expect(out.wrongAccount).toMatchObject({ _tag: "Unauthorized", verb: "create", account: "alice" });
    expect(out.badRequest).toMatchObject({ _tag: "DecodeError", issues: [{ path: "spec.source" }] });
    expect(out.badRequestWrongToken).toMatchObject({
      _tag: "Unauthorized",
      verb: "create",
      account: "alice",
    });
    expect(out.noAccount).toMatchObject({
      _tag: "DecodeError",
      issues: [{ path: "account", value: undefined, expected: "a non-empty account name" }],
    });
    expect(out.before).toBe(0);
    expect(out.events).toMatchObject([{ type: "Create", entity: { id: "m1", status: "Created" } }]);
    // the view is fed by the sink, not by commands (CQRS): until then, the object is not found
    expect(out.notInView).toMatchObject({ _tag: "CommandRefused", code: "NotFound" });
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DyffEntity } from "../systems/dyff/index.js";
import { stateOf as entity } from "./fixtures.js";
import type { StateMessage } from "./messages.js";
import {
  admissionOrder,
  dependencyStates,
  emptyResourceRequest,
  fitsQuota,
  requestOf,
} from "./scheduling.js";

const states = (...list: StateMessage[]) => new Map(list.map((s) => [s.entity.id, s]));
const evaluation = (id: string, spec: object = {}) =>
  entity("Evaluation", id, { inferenceSession: { inferenceService: "svc" }, dataset: "d1", ...spec });

describe("requests", () => {
  it("are resources times replicas, plus one admission slot", () => {
    const e = evaluation("e1", {
      inferenceSession: { inferenceService: "svc", replicas: 2 },
      resources: { gpu: 1, cpu: 4 },
    });
    expect(requestOf(e.entity)).toEqual({ gpu: 2, cpu: 8, memoryGiB: 0, slots: 1 });
    expect(requestOf(entity("Model", "m1").entity)).toEqual({ gpu: 0, cpu: 0, memoryGiB: 0, slots: 1 });
  });

  it("fit when every limited dimension stays within its quota; a missing limit is unlimited", () => {
    const one = { gpu: 1, cpu: 0.1, memoryGiB: 0, slots: 1 };
    expect(fitsQuota(emptyResourceRequest, one, { gpu: 1 })).toBe(true);
    expect(fitsQuota(one, one, { gpu: 1 })).toBe(false);
    expect(fitsQuota(one, one, { cpu: 0.2 })).toBe(true); // 0.1 + 0.1 is not > 0.2
    expect(fitsQuota(one, one, { slots: 1 })).toBe(false);
    expect(fitsQuota(one, one, {})).toBe(true);
  });
});

describe("dependency states", () => {
  it("a missing or unfinished dependency is waited for; successful ones satisfy", () => {
    const d = dependencyStates(
      states(evaluation("e1"), entity("InferenceService", "svc", {}, { status: "Admitted" })),
    );
    expect(d.get("e1")).toEqual({ type: "waiting", on: ["svc", "d1"] });
    const ready = dependencyStates(
      states(
        evaluation("e1"),
        entity("InferenceService", "svc", {}, { status: "Ready" }),
        entity("Dataset", "d1", {}, { status: "Ready" }),
      ),
    );
    expect(ready.get("e1")).toEqual({ type: "satisfied" });
  });

  it("a dependency that failed, was terminated or deleted fails every transitive dependent at once", () => {
    for (const [status, reason] of [
      ["Error", "FetchFailed"],
      ["Terminated", "TerminateCommand"],
      ["Deleted", "DeleteCommand"],
    ] as const) {
      const d = dependencyStates(
        states(
          entity("Model", "m1", {}, { status, reason }),
          entity("InferenceService", "svc", { model: "m1" }, { reason: "UnsatisfiedDependency" }),
          evaluation("e1"),
          entity("Report", "r1", { evaluation: "e1" }),
        ),
      );
      expect(d.get("svc")).toMatchObject({ type: "failed", on: "m1" });
      expect(d.get("e1")).toMatchObject({ type: "failed", on: "svc", because: `m1 is ${status}/${reason}` });
      expect(d.get("r1")).toMatchObject({ type: "failed", on: "e1" });
    }
  });

  it("finished entities have no dependency state, and a cycle waits instead of looping", () => {
    const d = dependencyStates(
      states(
        entity("Method", "a", { modules: ["b"] }),
        entity("Method", "b", { modules: ["a"] }),
        entity("Model", "m1", {}, { status: "Ready" }),
      ),
    );
    expect(d.get("m1")).toBeUndefined();
    expect(d.get("a")?.type).toBe("waiting");
  });
});

describe("dependency states of some ids", () => {
  it("walked over the unfinished ids only, in any order given, they are the full walk's states (in a cycle, id order decides)", () => {
    // a and b wait on each other; b also depends on the failed m1. Walked from a (id order), b fails
    // first and a fails through it; walked from b, a would see b still being visited and wait.
    const all = states(
      entity("Method", "a", { modules: ["b"] }),
      entity("Method", "b", { modules: ["a", "m1"] }),
      entity("Model", "m1", {}, { status: "Error", reason: "FetchFailed" }),
      entity("Model", "m2", {}, { status: "Ready" }),
    );
    const full = dependencyStates(all);
    expect(full.get("a")).toMatchObject({ type: "failed", on: "b" });
    expect(dependencyStates(all, ["b", "a"])).toEqual(full);
    const fromB = dependencyStates(all, ["b"]);
    expect(fromB.get("b")).toEqual(full.get("b"));
    expect(fromB.get("a")?.type).toBe("waiting"); // why the walk must go in id order
    expect(fromB.has("m1")).toBe(false);
  });
});

describe("admission order", () => {
  it("is creation time (as instants), then id", () => {
    const a = entity("Model", "b", {}, { creationTime: "2026-01-01T00:00:01Z" }).entity;
    const b = entity("Model", "a", {}, { creationTime: "2026-01-01T00:00:01.000+00:00" }).entity;
    const c = entity("Model", "c", {}, { creationTime: "2026-01-01T00:00:00.5Z" }).entity;
    expect([a, b, c].sort(admissionOrder).map((e) => e.id)).toEqual(["c", "a", "b"]);
  });

  // Creation times drawn from RFC 3339 instants in several spellings and from text that does not
  // parse, so that parsed and unparsed times meet in one comparison.
  const creationTime = fc.oneof(
    fc.integer({ min: 0, max: 5_000 }).map((ms) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString()),
    fc.integer({ min: 0, max: 5 }).map((s) => `2026-01-01T00:00:0${s}.000+00:00`),
    fc.constantFrom("", "yesterday", "2026-13-01", "zzz", "2026-01-01T00:00:02Z!"),
  );
  const work = fc
    .tuple(fc.constantFrom("a", "b", "c"), creationTime)
    .map(([id, time]) => entity("Model", id, {}, { creationTime: time }).entity);
  const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

  it("is a total order: antisymmetric, transitive, and unparsable times come last", () => {
    fc.assert(
      fc.property(work, work, work, (a, b, c) => {
        expect(sign(admissionOrder(a, b))).toBe(-sign(admissionOrder(b, a)) || 0);
        if (admissionOrder(a, b) <= 0 && admissionOrder(b, c) <= 0) {
          expect(admissionOrder(a, c)).toBeLessThanOrEqual(0);
        }
        const parses = (e: DyffEntity) => !Number.isNaN(Date.parse(e.creationTime));
        if (parses(a) && !parses(b)) expect(admissionOrder(a, b)).toBeLessThan(0);
      }),
      { numRuns: 2_000 },
    );
  });
});

import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runExample, statusesOf as statuses } from "./examples.test-support.js";
import type { SimulationResult } from "./run.js";

/**
 * Every scenario in examples/ runs, keeps every invariant, and its timeline follows the semantics of
 * issue 5: the status sequence of each entity as the query view saw it, and when it happened.
 */

const dir = new URL("../../../../examples/", import.meta.url);
const run = (name: string, seed?: number): SimulationResult => runExample(`${name}.yaml`, seed);

/** When (simulated seconds) `id` was first seen with `status`. */
const when = (r: SimulationResult, id: string, status: string) =>
  r.timeline.find((e) => e.id === id && (e.reason ? `${e.status}/${e.reason}` : e.status) === status)?.t;
const refusals = (r: SimulationResult) =>
  r.notes.flatMap((n) => (n.type === "command" && n.refused ? [`${n.command} ${n.id}: ${n.refused}`] : []));

const job = ["Created", "Created/UnsatisfiedDependency", "Admitted"];

describe("examples/", () => {
  it("every example decodes, runs and keeps every invariant", () => {
    const names = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(names.length).toBeGreaterThanOrEqual(7);
    for (const name of names) {
      const r = run(name.replace(/\.yaml$/, ""));
      expect(
        r.invariants.filter((i) => !i.held),
        name,
      ).toEqual([]);
    }
  });

  it("quota-wait: the second evaluation waits Created/QuotaLimit until the first gives its GPU back", () => {
    const r = run("quota-wait");
    expect(statuses(r, "e1")).toEqual(["Created", "Admitted", "Admitted/Unverified", "Complete"]);
    expect(statuses(r, "e2")).toEqual([
      "Created",
      "Created/QuotaLimit",
      "Admitted",
      "Admitted/Unverified",
      "Complete",
    ]);
    expect(when(r, "e2", "Created/QuotaLimit")).toBe(180);
    expect(when(r, "e2", "Admitted")).toBe(when(r, "e1", "Complete"));
    expect(when(r, "e1", "Complete")).toBe(120 + 600);
  });

  it("dependency-chain: each link waits for the one before, the Evaluation passes Admitted/Unverified", () => {
    const r = run("dependency-chain");
    expect(statuses(r, "m1")).toEqual(["Created", "Admitted", "Ready"]);
    expect(statuses(r, "svc1")).toEqual([...job, "Ready"]);
    expect(statuses(r, "d1")).toEqual(["Created", "Ready"]);
    expect(statuses(r, "e1")).toEqual([...job, "Admitted/Unverified", "Complete"]);
    expect(statuses(r, "r1")).toEqual([...job, "Complete"]);
    expect([
      when(r, "m1", "Ready"),
      when(r, "svc1", "Ready"),
      when(r, "e1", "Complete"),
      when(r, "r1", "Complete"),
    ]).toEqual([30, 90, 90 + 600, 90 + 600 + 120]);
    expect(when(r, "e1", "Admitted/Unverified")).toBe(90 + 540);
  });

  it("failed-dependency: a failed fetch fails every transitive dependent with FailedDependency, never admitted", () => {
    const r = run("failed-dependency");
    expect(statuses(r, "m1")).toEqual(["Created", "Admitted", "Error/FetchFailed"]);
    expect(statuses(r, "svc1")).toEqual([
      "Created",
      "Created/UnsatisfiedDependency",
      "Error/FailedDependency",
    ]);
    expect(statuses(r, "e1")).toEqual([
      "Created",
      "Created/UnsatisfiedDependency",
      "Failed/FailedDependency",
    ]);
    expect(statuses(r, "r1")).toEqual([
      "Created",
      "Created/UnsatisfiedDependency",
      "Failed/FailedDependency",
    ]);
    for (const id of ["m1", "svc1", "e1", "r1"])
      expect(r.timeline.filter((e) => e.id === id).at(-1)?.t).toBe(120);
    expect(statuses(r, "d1")).toEqual(["Created", "Ready"]);
  });

  it("terminate: running work becomes Terminated/TerminateCommand, its dependent fails, a second terminate is refused", () => {
    const r = run("terminate");
    expect(statuses(r, "e1")).toEqual([...job, "Terminated/TerminateCommand"]);
    expect(when(r, "e1", "Terminated/TerminateCommand")).toBe(600);
    expect(statuses(r, "r1")).toEqual([
      "Created",
      "Created/UnsatisfiedDependency",
      "Failed/FailedDependency",
    ]);
    expect(refusals(r)).toEqual(["terminate e1: Terminal: e1 is already Terminated"]);
  });

  it("delete: Deleted/DeleteCommand from running and from finished work; new work may not use a Deleted object", () => {
    const r = run("delete");
    expect(statuses(r, "e1")).toEqual([...job, "Deleted/DeleteCommand"]);
    expect(statuses(r, "m1")).toEqual(["Created", "Admitted", "Ready", "Deleted/DeleteCommand"]);
    expect(statuses(r, "r1")).toEqual([
      "Created",
      "Created/UnsatisfiedDependency",
      "Failed/FailedDependency",
    ]);
    expect(statuses(r, "svc1")).toEqual([...job, "Ready"]);
    expect(statuses(r, "svc2")).toEqual([]);
    expect(refusals(r)).toEqual(["create svc2: DependencyDeleted: dependency m1 is Deleted"]);
  });

  it("unauthorized: commands with a token of another account, a missing verb or an unknown token change nothing", () => {
    const r = run("unauthorized");
    expect(refusals(r)).toEqual([
      'create m2: Unauthorized: unknown token; cannot create objects of "alice"',
      'terminate e1: Unauthorized: the token grants account "bob", not "alice"',
      'label e1: Unauthorized: the token grants "alice" get; not label',
    ]);
    expect(statuses(r, "e1")).toEqual([...job, "Admitted/Unverified", "Complete"]);
    expect(statuses(r, "m2")).toEqual([]);
  });

  it("inference-fails (the issue's example): the Evaluation fails at 3m in its inference stage, the rest is Ready", () => {
    const r = run("inference-fails");
    expect(statuses(r, "e1")).toEqual([...job, "Failed/InferenceFailed"]);
    expect(when(r, "e1", "Created")).toBe(5);
    expect(when(r, "e1", "Admitted")).toBe(90);
    expect(when(r, "e1", "Failed/InferenceFailed")).toBe(180);
    expect(r.final.map((f) => `${f.id} ${f.status}`)).toEqual([
      "m1 Ready",
      "svc1 Ready",
      "d1 Ready",
      "e1 Failed",
    ]);
  });

  it("fault-heavy: faults were injected, every invariant held, and the final statuses are those of a run without faults", () => {
    const r = run("fault-heavy");
    expect(r.stats.crashes).toBeGreaterThan(5);
    expect(r.stats.redelivered).toBeGreaterThan(5);
    expect(r.held).toBe(true);
    const final = Object.fromEntries(
      r.final.map((f) => [f.id, f.reason ? `${f.status}/${f.reason}` : f.status]),
    );
    expect(final).toEqual({
      m1: "Ready",
      svc1: "Ready",
      d1: "Ready",
      e1: "Complete",
      e2: "Complete",
      e3: "Failed/VerificationFailed",
      r1: "Complete",
      m2: "Ready",
      svc2: "Ready",
      d2: "Ready",
      e4: "Complete",
      e5: "Terminated/TerminateCommand",
    });
    expect(statuses(r, "e3")).toContain("Created/QuotaLimit");
    expect(statuses(r, "e3").slice(-3)).toEqual([
      "Admitted",
      "Admitted/Unverified",
      "Failed/VerificationFailed",
    ]);
    expect(statuses(r, "e5")).toContain("Created/QuotaLimit");
  });

  it("fault-heavy: the same final statuses under other seeds too", () => {
    const base = run("fault-heavy").final;
    for (const seed of [1, 2, 3]) {
      const r = run("fault-heavy", seed);
      expect(r.held, `seed ${seed}`).toBe(true);
      expect(r.final).toEqual(base);
    }
  });
});

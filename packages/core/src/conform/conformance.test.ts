import * as Effect from "effect/Effect";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../lifecycle/errors.js";
import { Lifecycle } from "../lifecycle/lifecycle.js";
import { conform, conformAsync, conformEffect } from "./conform.js";
import { Conformance } from "./conformance.js";
import type { ConformReport, Observation } from "./types.js";

const ev = (id: string, status: string, reason: string | null, at: number | string | null): Observation => ({
  system: "dyff",
  kind: "Evaluation",
  id,
  status,
  reason,
  at,
});

const report = (obs: Observation[]) => {
  const r = conform(obs);
  if (r instanceof DecodeError) throw r;
  return r;
};
const types = (r: ConformReport) => r.violations.flatMap((v) => v.violations.map((x) => x.type));

describe("conform: each observed step judged", () => {
  it("given Created then Admitted: one legal step; the first observation at the initial status is legal", () => {
    const c = new Conformance();
    const first = c.observe(ev("e1", "Created", null, 0));
    const second = c.observe(ev("e1", "Admitted", null, 1));
    expect(first).toMatchObject({ step: "legal", index: 0, from: { status: "Created" } });
    expect(second).toMatchObject({
      step: "legal",
      index: 1,
      from: { status: "Created" },
      to: { status: "Admitted" },
    });
  });

  it("given Created then Complete: legal through the unseen Admitted, with the shortest path", () => {
    const c = new Conformance();
    c.observe(ev("e1", "Created", null, 0));
    const v = c.observe(ev("e1", "Complete", null, 5));
    expect(v).toMatchObject({ step: "unseen" });
    expect((v as { path: unknown }).path).toEqual([
      { status: "Admitted", reason: null },
      { status: "Admitted", reason: "Unverified" },
      { status: "Complete", reason: null },
    ]);
  });

  it("given the same status twice: a repeat", () => {
    const r = report([ev("e1", "Created", null, 0), ev("e1", "Created", null, 1)]);
    expect(r.ok).toBe(true);
    expect(r.totals).toMatchObject({ legal: 1, repeats: 1, violations: 0 });
  });

  it("given Admitted/Unverified then Created: no path, naming entity, from, to, time and what is allowed", () => {
    const r = report([
      ev("e1", "Admitted", "Unverified", 0),
      ev("e1", "Created", null, "2026-01-01T00:00:00Z"),
    ]);
    expect(types(r)).toEqual(["no-path"]);
    const m = r.violations[0]!.violations[0]!.message;
    expect(m).toContain("dyff/Evaluation e1");
    expect(m).toContain("no path from Admitted/Unverified to Created at 2026-01-01T00:00:00Z");
    expect(m).toContain("Complete");
  });

  it("given Complete then Admitted: a change after a terminal status; Complete then Deleted is allowed", () => {
    expect(types(report([ev("e1", "Complete", null, 0), ev("e1", "Admitted", null, 1)]))).toEqual([
      "after-terminal",
    ]);
    expect(report([ev("e1", "Complete", null, 0), ev("e1", "Deleted", "DeleteCommand", 1)]).ok).toBe(true);
  });

  it("given a reason of another status: reason-not-allowed, listing the status's reasons", () => {
    const r = report([ev("e1", "Created", "Unverified", 0)]);
    expect(types(r)).toEqual(["reason-not-allowed"]);
    expect(r.violations[0]!.violations[0]!.message).toContain("Created allows: null, QuotaLimit");
  });

  it("given a status the kind does not have: unknown-status; the next known status is judged from the initial", () => {
    const r = report([
      ev("e1", "Created", null, 0),
      ev("e1", "Exploded", null, 1),
      ev("e1", "Complete", null, 2),
    ]);
    expect(types(r)).toEqual(["unknown-status"]);
    expect(r.entities[0]).toMatchObject({ observations: 3, violations: 1, last: { status: "Complete" } });
  });

  it("given an older time after a newer one: time-backwards, even when the step itself is legal", () => {
    const r = report([ev("e1", "Created", null, 10), ev("e1", "Admitted", null, 5)]);
    expect(types(r)).toEqual(["time-backwards"]);
    expect(
      report([
        ev("e1", "Created", null, "2026-01-01T00:00:10Z"),
        ev("e1", "Admitted", null, "2026-01-01T00:00:09Z"),
      ]).ok,
    ).toBe(false);
  });

  it("given a first observation the initial status cannot reach: unreachable-first", () => {
    const lc = new Lifecycle<"A" | "B" | "Orphan", never, "go">({
      system: "toy",
      kind: "Toy",
      initial: { status: "A", reason: null },
      statuses: {
        A: {
          terminal: false,
          outcome: null,
          reasons: [],
          reasonRequired: false,
          description: "a",
          phase: "Running",
          phaseRationale: "test",
        },
        B: {
          terminal: false,
          outcome: null,
          reasons: [],
          reasonRequired: false,
          description: "b",
          phase: "Running",
          phaseRationale: "test",
        },
        Orphan: {
          terminal: false,
          outcome: null,
          reasons: [],
          reasonRequired: false,
          description: "o",
          phase: "Running",
          phaseRationale: "test",
        },
      },
      transitions: [{ event: "go", from: ["A"], to: "B", reason: null }],
      events: { go: "go" },
    });
    const r = conform(
      [
        { system: "toy", kind: "Toy", id: "t", status: "Orphan", reason: null },
        { system: "toy", kind: "Toy", id: "u", status: "B", reason: null },
      ],
      { lookup: () => lc },
    ) as ConformReport;
    expect(types(r)).toEqual(["unreachable-first"]);
    expect(r.violations[0]!.id).toBe("t");
  });

  it("given an unknown kind or a time that is not one: a DecodeError naming the field", () => {
    const bad = conform([{ ...ev("e1", "Created", null, 0), kind: "Nope", where: "line 3" }]);
    expect(bad).toBeInstanceOf(DecodeError);
    expect((bad as DecodeError).message).toContain("line 3");
    expect((bad as DecodeError).issues[0]!.path).toBe("kind");
    expect((conform([ev("e1", "Created", null, "yesterday")]) as DecodeError).issues[0]!.path).toBe("at");
  });

  it("entities are judged apart: one entity's violation names it and leaves the other clean", () => {
    const r = report([
      ev("a", "Created", null, 0),
      ev("b", "Complete", null, 0),
      ev("a", "Complete", null, 1),
      ev("b", "Created", null, 2),
    ]);
    expect(r.entities.map((e) => [e.id, e.violations])).toEqual([
      ["a", 0],
      ["b", 1],
    ]);
    expect(r.violations[0]!.violations[0]!.message).toContain("dyff/Evaluation b");
  });

  it("check judges as observe does, and builds a verdict only for unseen steps and violations", () => {
    const obs = [
      ev("e1", "Created", null, 0),
      ev("e1", "Created", null, 1),
      ev("e1", "Admitted", null, 2),
      ev("e1", "Complete", null, 3),
      ev("e1", "Created", null, 4),
    ];
    const quiet = new Conformance();
    const got = obs.map((o) => quiet.check(o));
    expect(got.slice(0, 3)).toEqual(["legal", "repeat", "legal"]);
    expect(got[3]).toMatchObject({ step: "unseen" });
    expect(got[4]).toMatchObject({ step: "violation" });
    expect(quiet.report()).toEqual(report(obs));
  });

  it("the Promise and Effect flavours give the batch report, and stream verdicts to onVerdict", async () => {
    const obs = [ev("e1", "Created", null, 0), ev("e1", "Complete", null, 1), ev("e1", "Created", null, 2)];
    async function* stream() {
      yield* obs;
    }
    const seen: string[] = [];
    const viaPromise = await conformAsync(stream(), { onVerdict: (v) => seen.push(v.step) });
    expect(viaPromise).toEqual(report(obs));
    expect(seen).toEqual(["legal", "unseen", "violation"]);
    expect(await Effect.runPromise(conformEffect(obs))).toEqual(report(obs));
    const failed = await Effect.runPromise(
      Effect.flip(conformEffect([{ ...ev("e", "Created", null, 0), system: "x" }])),
    );
    expect(failed).toBeInstanceOf(DecodeError);
    await expect(conformAsync([{ ...ev("e", "Created", null, 0), system: "x" }])).rejects.toBeInstanceOf(
      DecodeError,
    );
  });
});

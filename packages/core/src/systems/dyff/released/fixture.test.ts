import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sourceOf } from "../../../lifecycle/spec.js";
import { dyffReleased, dyffReleasedDifferences, dyffWithoutLifecycle } from "./index.js";
import { DYFF_SCHEMA, isStatusFailure, isStatusSuccess, isStatusTerminal } from "./vocabulary.js";

/** What scripts/dyff-schema/extract.py read out of the wheel. */
interface Fixture {
  readonly package: string;
  readonly version: string;
  readonly statusSets: Record<string, string[]>;
  readonly reasonSets: Record<string, string[]>;
  readonly predicates: Record<"is_status_terminal" | "is_status_success" | "is_status_failure", string[]>;
  readonly entities: string[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(
    new URL("../../../../../../scripts/dyff-schema/dyff-schema-0.46.17.json", import.meta.url),
    "utf8",
  ),
);
const kinds = dyffReleased as Record<string, (typeof dyffReleased)[keyof typeof dyffReleased]>;
/** The package's sets that hold for every kind, not one: they are checked against all kinds. */
const shared = new Set(["EntityStatus", "JobStatus", "ResourceStatus", "EntityStatusReason"]);
const documented = new Set(dyffReleasedDifferences.flatMap((d) => d.values));

const statusesOf = (kind: string) => Object.keys(kinds[kind]!.spec.statuses);
const reasonsOf = (kind: string) => Object.values(kinds[kind]!.spec.statuses).flatMap((s) => s.reasons);
const anyKind = (has: (kind: string) => readonly string[], value: string) =>
  Object.keys(kinds).some((k) => has(k).includes(value));

/** The kind a set names (`EvaluationStatusReason` -> `Evaluation`), or null for a shared set. */
const kindOf = (set: string) => (shared.has(set) ? null : set.replace(/Status(Reason)?$/, ""));

describe(`the released vocabulary against ${DYFF_SCHEMA}'s own values (scripts/dyff-schema fixture)`, () => {
  it("the fixture is the package and version the vocabulary names", () => {
    expect(`${fixture.package} ${fixture.version}`).toBe(DYFF_SCHEMA);
  });

  const cases = (sets: Record<string, string[]>, has: (kind: string) => readonly string[]) =>
    Object.entries(sets).flatMap(([set, values]) => values.map((value) => [set, value, has] as const));

  it.each([...cases(fixture.statusSets, statusesOf), ...cases(fixture.reasonSets, reasonsOf)])(
    "%s's %s is in the spec of its kind, or in the documented differences",
    (set, value, has) => {
      const kind = kindOf(set);
      const found = kind === null ? anyKind(has, value) : kind in kinds && has(kind).includes(value);
      expect(found || documented.has(value), `${set}.${value}`).toBe(true);
    },
  );

  it("every value the package adds to the seed is marked with the package as its source", () => {
    for (const [set, values] of Object.entries({ ...fixture.statusSets, ...fixture.reasonSets })) {
      const kind = kindOf(set);
      const what = set.endsWith("Reason") ? "reason" : "status";
      for (const value of values) {
        const where = kind === null ? Object.keys(kinds) : [kind];
        const sources = where
          .filter((k) => k in kinds && (what === "status" ? statusesOf(k) : reasonsOf(k)).includes(value))
          .map((k) => sourceOf(kinds[k]!.spec, what, value));
        // A value of the seed keeps "seed"; any other value has the package as its source.
        for (const s of sources) expect(["seed", DYFF_SCHEMA], `${set}.${value}`).toContain(s);
      }
    }
    expect(sourceOf(dyffReleased.Evaluation.spec, "reason", "Restarted")).toBe(DYFF_SCHEMA);
    expect(sourceOf(dyffReleased.Evaluation.spec, "reason", "InferenceFailed")).toBe("seed");
    expect(sourceOf(dyffReleased.Evaluation.spec, "status", "Schedulable")).toBe(DYFF_SCHEMA);
    expect(sourceOf(dyffReleased.Team.spec, "status", "Active")).toBe(DYFF_SCHEMA);
  });

  it("is_status_terminal, is_status_success and is_status_failure are the package's, status for status", () => {
    const all = [...new Set(Object.values(fixture.statusSets).flat())];
    for (const s of all) {
      expect(isStatusTerminal(s), s).toBe(fixture.predicates.is_status_terminal.includes(s));
      expect(isStatusSuccess(s), s).toBe(fixture.predicates.is_status_success.includes(s));
      expect(isStatusFailure(s), s).toBe(fixture.predicates.is_status_failure.includes(s));
    }
  });

  it("the machines agree with the predicates: a status is terminal, a success or a failure exactly where the package says", () => {
    for (const [kind, lc] of Object.entries(kinds))
      for (const [name, st] of Object.entries(lc.spec.statuses)) {
        expect(st.terminal, `${kind}.${name}`).toBe(isStatusTerminal(name));
        expect(st.outcome === "success", `${kind}.${name}`).toBe(isStatusSuccess(name));
        expect(st.outcome === "failure", `${kind}.${name}`).toBe(isStatusFailure(name));
      }
  });

  it("every entity kind of the package has a released lifecycle or is listed as having none", () => {
    const without = new Set(dyffWithoutLifecycle.map((k) => k.kind));
    for (const e of fixture.entities) expect(e in kinds || without.has(e), e).toBe(true);
    for (const k of without) expect(k in kinds, `${k} is listed twice`).toBe(false);
  });
});

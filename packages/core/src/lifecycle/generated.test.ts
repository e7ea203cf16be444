import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transition } from "xstate";
import { catalog } from "../catalog/catalog.js";
import { generatedStepsFiles } from "../catalog/generated-steps.js";
import { dyff } from "../systems/dyff/index.js";
import { steps } from "../systems/dyff/steps.generated.js";
import { steps as raySteps } from "../systems/ray/steps.generated.js";
import { arbitraryEvent } from "../testing/arbitraries.js";
import { type DecodeError, TransitionError } from "./errors.js";
import { type AnyLifecycle, Lifecycle } from "./lifecycle.js";
import { type LifecycleEvent, leafValue } from "./machine.js";
import type { StatusRecord } from "./record.js";

// The generated reducers (`pnpm reducers:gen`, packages/core/src/systems/*/steps.generated.ts) are
// what `step` runs for every built-in kind. They must be current, agree with xstate, and give exactly
// what the table gives: the same records and the same errors.

const regenerate = "run `pnpm reducers:gen` after changing a machine";

describe("generated reducers are current", () => {
  for (const [path, text] of Object.entries(generatedStepsFiles())) {
    it(`packages/core/src/${path} is what the machines generate (${regenerate})`, () => {
      const committed = readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
      expect(committed).toBe(text);
    });
  }

  it(`every lifecycle of the catalog steps by its generated lookup (${regenerate})`, () => {
    const stale = catalog.all().filter((lc) => !lc.generated);
    expect(stale.map((lc) => `${lc.system}/${lc.kind}`)).toEqual([]);
  });

  it("a lookup that does not know every leaf and event of a kind is not used: the kind steps by its table", () => {
    // Ray's lookup knows none of Report's statuses
    const report: AnyLifecycle = new Lifecycle(dyff.Report.spec, raySteps.Workflow);
    expect(report.generated).toBe(false);
    const created = report.initial();
    expect(report.step(created, { type: "admit" })).toMatchObject({ status: "Admitted", reason: null });
    expect(report.step(created, { type: "fail", reason: "InferenceFailed" })).toBeInstanceOf(TransitionError);
  });

  it("a lookup that puts two leaves or two events in one cell is not used", () => {
    const lookup = steps.Evaluation!;
    const merged = {
      ...lookup,
      cell: (s: string, r: string | null | undefined, t: string, g: string | null | undefined) =>
        lookup.cell(s === "Complete" ? "Admitted" : s, s === "Complete" ? null : r, t, g),
    };
    expect(new Lifecycle(dyff.Evaluation.spec, merged).generated).toBe(false);
    const events = {
      ...lookup,
      cell: (s: string, r: string | null | undefined, t: string, g: string | null | undefined) =>
        lookup.cell(s, r, t === "terminate" ? "admit" : t, g),
    };
    expect(new Lifecycle(dyff.Evaluation.spec, events).generated).toBe(false);
    expect(new Lifecycle(dyff.Evaluation.spec, lookup).generated).toBe(true);
  });
});

/** The leaf key xstate's transition() reaches, or null when it takes no transition. */
function xstateNext(lc: AnyLifecycle, record: StatusRecord, event: LifecycleEvent): string | null {
  const snapshot = lc.machine.resolveState({ value: leafValue(record.status, record.reason), context: {} });
  if (!snapshot.can(event)) return null;
  const value = transition(lc.machine, snapshot, event)[0].value as Record<string, string>;
  const status = Object.keys(value)[0]!;
  return `${status}/${value[status]}`;
}

const key = (r: StatusRecord) => `${r.status}/${r.reason ?? "_"}`;

/** Records of a kind, valid or not: its leaves, a leaf's status with a wrong or undefined reason, unknown text. */
function arbitraryRecord(lc: AnyLifecycle): fc.Arbitrary<StatusRecord> {
  const statuses = [...new Set(lc.leaves.map((l) => l.status))];
  const reasons = [...new Set(lc.leaves.map((l) => l.reason)), undefined, "NoSuchReason"];
  const rest = {
    message: fc.constantFrom(null, "m"),
    lastTransitionTime: fc.constantFrom(null, "2026-01-01T00:00:00Z"),
  };
  const leaf = fc
    .record({ ...rest, leaf: fc.constantFrom(...lc.leaves) })
    .map(({ leaf, ...r }) => ({ ...r, ...leaf }));
  const other = fc.record({
    ...rest,
    status: fc.oneof(fc.constantFrom(...statuses), fc.string({ maxLength: 8 })),
    reason: fc.oneof(fc.constantFrom(...reasons), fc.string({ maxLength: 8 })) as fc.Arbitrary<string | null>,
  });
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: other });
}

/** Events as `arbitraryEvent`, sometimes without a reason field, with a message, or with a time (valid or not). */
function arbitraryStep(lc: AnyLifecycle): fc.Arbitrary<LifecycleEvent> {
  return fc
    .tuple(
      arbitraryEvent(lc),
      fc.boolean(),
      fc.constantFrom(undefined, null, "m"),
      fc.constantFrom(undefined, "2026-01-01T00:00:05Z", "yesterday"),
    )
    .map(([e, dropReason, message, at]) => ({
      type: e.type,
      ...(dropReason && e.reason === null ? {} : { reason: e.reason }),
      ...(message === undefined ? {} : { message }),
      ...(at === undefined ? {} : { at }),
    }));
}

/** A result as data, so two can be compared: the record's fields, or the error's class and message. */
const outcome = (from: StatusRecord, r: StatusRecord | TransitionError | DecodeError) =>
  r instanceof Error
    ? { error: r.name, message: r.message, event: "event" in r ? r.event : null }
    : { record: { ...r }, same: r === from };

for (const system of catalog.systems) {
  describe(`${system.name}: generated reducers`, () => {
    for (const lc of system.lifecycles) {
      const byTable = new Lifecycle(lc.spec);

      it(`${lc.kind}: the generated step and xstate's transition() agree on every generated event sequence`, () => {
        fc.assert(
          fc.property(fc.array(arbitraryEvent(lc), { maxLength: 25 }), (events) => {
            let record = lc.initial();
            for (const event of events) {
              const expected = xstateNext(lc, record, event);
              const next = lc.step(record, event);
              expect(next instanceof TransitionError ? null : key(next as StatusRecord)).toBe(expected);
              if (!(next instanceof Error)) record = next;
            }
          }),
        );
      });

      it(`${lc.kind}: the generated step gives what the table gives on every leaf and every event, reason absent or another's`, () => {
        const reasons = [...new Set(lc.events.map((e) => e.reason))];
        for (const leaf of lc.leaves) {
          const record: StatusRecord = { ...leaf, message: null, lastTransitionTime: null };
          for (const e of lc.events) {
            for (const event of [{ type: e.type }, ...reasons.map((reason) => ({ type: e.type, reason }))]) {
              expect(outcome(record, lc.step(record, event))).toEqual(
                outcome(record, byTable.step(record, event)),
              );
            }
          }
        }
      });

      it(`${lc.kind}: the generated step gives what the table gives, records and errors, on any record and event`, () => {
        expect(byTable.generated).toBe(false);
        fc.assert(
          fc.property(
            arbitraryRecord(lc),
            arbitraryStep(lc),
            arbitraryRecord(lc),
            (record, event, target) => {
              expect(outcome(record, lc.step(record, event))).toEqual(
                outcome(record, byTable.step(record, event)),
              );
              expect(lc.leafOf(record.status, record.reason)).toBe(
                byTable.leafOf(record.status, record.reason),
              );
              const patch = { status: target.status, reason: target.reason, message: event.message ?? null };
              expect(outcome(record, lc.moveTo(record, patch))).toEqual(
                outcome(record, byTable.moveTo(record, patch)),
              );
            },
          ),
        );
      });
    }
  });
}

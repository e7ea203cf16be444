import type { DyffEntity, StateMessage, ViewDocument } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkConsistency } from "./invariants.js";
import { sameJson } from "./same-json.js";

/** A value, and one that is often the same JSON: a copy read back, reordered, or changed in one place. */
const pair = fc
  .tuple(
    fc.anything({ withNullPrototype: true, withObjectString: true, withSparseArray: true }),
    fc.nat(4),
    fc.anything(),
  )
  .map(([a, how, other]) => {
    const text = JSON.stringify(a);
    if (how === 0 || text === undefined) return [a, other] as const;
    const copy = JSON.parse(text) as unknown;
    if (how === 1) return [a, copy] as const;
    if (how === 2 && copy !== null && typeof copy === "object" && !Array.isArray(copy))
      return [a, Object.fromEntries(Object.entries(copy).reverse())] as const;
    if (how === 3 && copy !== null && typeof copy === "object")
      return [a, Object.assign(copy, { extra: other })] as const;
    return [a, a] as const;
  });

describe("sameJson", () => {
  it("sameJson(a, b) is JSON.stringify(a) === JSON.stringify(b), for any two values", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        expect(sameJson(b, a)).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
      { numRuns: 2000 },
    );
  });

  it("tells apart what a walk could miss: key order, undefined members, non-finite numbers, toJSON", () => {
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson([undefined], [null])).toBe(true);
    expect(sameJson(Number.NaN, null)).toBe(true);
    expect(sameJson(-0, 0)).toBe(true);
    expect(sameJson(new Date(0), "1970-01-01T00:00:00.000Z")).toBe(true);
    expect(sameJson({ toJSON: () => 1 }, 1)).toBe(true);
    expect(sameJson({ a: "1" }, { a: 1 })).toBe(false);
  });
});

/** The consistency check as it was first written: every entity's JSON text, compared. */
function textCheck(
  view: readonly ViewDocument[],
  compactedState: ReadonlyMap<string, StateMessage>,
  replay: ReadonlyMap<string, StateMessage>,
): string[] {
  const canonical = (version: number, entity: unknown) => JSON.stringify({ version, entity });
  const problems: string[] = [];
  const viewById = new Map(view.map((d) => [d.id, canonical(d.version, JSON.parse(d.value))] as const));
  const ids = [...new Set([...viewById.keys(), ...compactedState.keys(), ...replay.keys()])].sort();
  for (const id of ids) {
    const s = compactedState.get(id);
    const r = replay.get(id);
    const state = s && canonical(s.version, s.entity);
    const replayed = r && canonical(r.version, r.entity);
    if (viewById.get(id) !== state)
      problems.push(
        `${id}: the view holds ${viewById.get(id) ?? "nothing"}, the state log ${state ?? "nothing"}`,
      );
    if (replayed !== state)
      problems.push(`${id}: the replay gives ${replayed ?? "nothing"}, the state log ${state ?? "nothing"}`);
  }
  return problems;
}

const entity = (id: string, status: string, reason: string | null, spec: unknown): DyffEntity =>
  ({
    kind: "Evaluation",
    id,
    account: "alice",
    schemaVersion: 0,
    revision: 1,
    creationTime: "2026-01-01T00:00:00.000Z",
    lastTransitionTime: "2026-01-01T00:00:00.000Z",
    status,
    reason,
    message: null,
    labels: {},
    spec,
  }) as DyffEntity;

/** One id's three sides, each the state or a variant of it (or absent). */
const side = fc.constantFrom("same", "copy", "absent", "older", "otherStatus", "reordered", "spaced");
const drawn = fc.array(
  fc.record({
    id: fc.constantFrom("a", "b", "c", "d", "e", "f", "g"),
    status: fc.constantFrom("Created", "Admitted"),
    reason: fc.constantFrom(null, "Unverified"),
    spec: fc.jsonValue({ maxDepth: 2 }),
    view: side,
    state: fc.constantFrom("present", "absent"),
    replay: side,
  }),
  { maxLength: 7 },
);

describe("checkConsistency", () => {
  it("gives the verdict and details of comparing every entity's JSON text, on views, states and replays that agree or not, in or out of order", () => {
    fc.assert(
      fc.property(drawn, fc.boolean(), (rows, shuffle) => {
        const view: ViewDocument[] = [];
        const states = new Map<string, StateMessage>();
        const replay = new Map<string, StateMessage>();
        for (const row of rows) {
          const e = entity(row.id, row.status, row.reason, row.spec);
          const s: StateMessage = { version: 3, entity: e };
          if (row.state === "present") states.set(row.id, s);
          const variant = (how: string): StateMessage | null =>
            how === "absent"
              ? null
              : how === "older"
                ? { version: 2, entity: e }
                : how === "otherStatus"
                  ? { version: 3, entity: { ...e, status: "Complete" } }
                  : how === "reordered"
                    ? { version: 3, entity: Object.fromEntries(Object.entries(e).reverse()) as DyffEntity }
                    : how === "copy"
                      ? (JSON.parse(JSON.stringify(s)) as StateMessage)
                      : s;
          const v = variant(row.view);
          if (v && !view.some((d) => d.id === row.id))
            view.push({
              id: row.id,
              version: v.version,
              value: JSON.stringify(v.entity, null, row.view === "spaced" ? 1 : undefined),
            });
          const r = variant(row.replay);
          if (r) replay.set(row.id, r);
        }
        const ordered = shuffle ? view.reverse() : view.sort((a, b) => (a.id < b.id ? -1 : 1));
        const problems = textCheck(ordered, states, replay);
        const checked = checkConsistency(ordered, states, replay);
        expect(checked.held).toBe(problems.length === 0);
        expect(checked.detail).toBe(
          problems.length === 0
            ? null
            : problems.slice(0, 5).join("; ") + (problems.length > 5 ? "; ..." : ""),
        );
      }),
      { numRuns: 500 },
    );
  });
});

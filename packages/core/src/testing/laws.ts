import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transition } from "xstate";
import { getShortestPaths } from "xstate/graph";
import { DecodeError, TransitionError } from "../lifecycle/errors.js";
import type { Lifecycle } from "../lifecycle/lifecycle.js";
import { type LifecycleEvent, leafValue } from "../lifecycle/machine.js";
import type { StatusRecord } from "../lifecycle/record.js";
import { RFC3339_EXPECTED, trustedTime } from "../lifecycle/time.js";
import { arbitraryEvent, arbitraryEvents, arbitraryPath } from "./arbitraries.js";

const stamp = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

/** Times that are not RFC 3339: words, dates without a time or offset, impossible fields. */
const badTimes = fc.oneof(
  fc.constantFrom(
    "yesterday",
    "",
    "2026-01-01",
    "2026-01-01T00:00:00",
    "2026-01-01 00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:00.Z",
    "2026-01-01T00:00:00+0100",
    "1767225600000",
  ),
  fc.string({ maxLength: 19 }),
);

/** What a system says about its terminal statuses. */
export interface LawOptions {
  /** The statuses a terminal status may still change to (Dyff: only Deleted). Default: none. */
  readonly afterTerminal?: (status: string) => readonly string[];
  /** Statuses after which nothing may happen at all (Dyff: Deleted). */
  readonly final?: readonly string[];
}

const leafKey = (status: string, reason: string | null) => `${status}/${reason ?? "-"}`;

/** The leaf xstate's pure transition() reaches from a leaf, or null when the event is not taken. */
export function xstateNext(lc: Lifecycle, status: string, reason: string | null, event: LifecycleEvent) {
  const snapshot = lc.machine.resolveState({ value: leafValue(status, reason), context: {} });
  if (!snapshot.can(event)) return null;
  const [next] = transition(lc.machine, snapshot, event);
  const value = next.value as Record<string, string>;
  const s = Object.keys(value)[0]!;
  const r = value[s]!;
  return leafKey(s, r === "_" ? null : r);
}

/**
 * The laws every lifecycle obeys, each an `it` named by the property it states. Call it inside a
 * test file: `lifecycleLaws(dyff.Evaluation, { afterTerminal: () => ["Deleted"], final: ["Deleted"] })`.
 */
export function lifecycleLaws(lc: Lifecycle, options: LawOptions = {}): void {
  const afterTerminal = options.afterTerminal ?? (() => []);
  describe(`${lc.system}/${lc.kind} laws`, () => {
    it("the compiled table equals xstate's transition() on every leaf and every event, rejected ones included", () => {
      const probes: LifecycleEvent[] = [...lc.events, { type: "no-such-event", reason: null }];
      for (const e of lc.events) probes.push({ type: e.type, reason: "NoSuchReason" });
      for (const leaf of lc.leaves) {
        for (const event of probes) {
          const record: StatusRecord = { ...leaf, message: null, lastTransitionTime: null };
          const ours = trustedTime(lc.step(record, event));
          const expected = xstateNext(lc, leaf.status, leaf.reason, event);
          expect(ours instanceof TransitionError ? null : leafKey(ours.status, ours.reason)).toBe(expected);
        }
      }
    });

    it("the compiled table and xstate agree step by step along random event sequences", () => {
      fc.assert(
        fc.property(arbitraryEvents(lc, 20), (events) => {
          let record = lc.initial();
          for (const event of events) {
            const expected = xstateNext(lc, record.status, record.reason, event);
            const next = trustedTime(lc.step(record, event));
            expect(next instanceof TransitionError ? null : leafKey(next.status, next.reason)).toBe(expected);
            if (!(next instanceof TransitionError)) record = next;
          }
        }),
      );
    });

    it("every status and every (status, reason) pair is reachable from the initial one", () => {
      const seen = new Set([lc.leafOf(lc.spec.initial.status, lc.spec.initial.reason)!]);
      const queue = [...seen];
      while (queue.length > 0) {
        const from = queue.shift()!;
        for (let ei = 0; ei < lc.events.length; ei++) {
          const to = lc.table[from * lc.events.length + ei]!;
          if (to >= 0 && !seen.has(to)) {
            seen.add(to);
            queue.push(to);
          }
        }
      }
      expect(lc.leaves.filter((_, i) => !seen.has(i))).toEqual([]);
    });

    it("xstate/graph's shortest paths reach every leaf, and each of their steps is in the table", () => {
      const paths = getShortestPaths(lc.machine, {
        events: lc.events.map((e) => ({ type: e.type, reason: e.reason })),
      });
      const reached = new Set<string>();
      for (const path of paths) {
        let record = lc.initial();
        for (const s of path.steps) {
          if (s.event.type.startsWith("xstate.")) continue; // the path's initial step
          const next = trustedTime(lc.step(record, s.event as LifecycleEvent));
          expect(next).not.toBeInstanceOf(TransitionError);
          if (!(next instanceof TransitionError)) record = next;
        }
        reached.add(leafKey(record.status, record.reason));
      }
      expect([...reached].sort()).toEqual(lc.leaves.map((l) => leafKey(l.status, l.reason)).sort());
    });

    it("terminal statuses absorb: after one, only the statuses the source allows follow", () => {
      fc.assert(
        fc.property(arbitraryPath(lc), ({ records }) => {
          let terminal: string | null = null;
          for (const r of records) {
            if (terminal !== null && r.status !== terminal) {
              expect(afterTerminal(terminal)).toContain(r.status);
              terminal = null;
            }
            if (lc.isTerminal(r.status)) terminal = r.status;
          }
        }),
      );
    });

    if (options.final?.length) {
      it(`${options.final.join(", ")} ${options.final.length === 1 ? "is" : "are"} final: no event is accepted there`, () => {
        for (const leaf of lc.leaves.filter((l) => options.final!.includes(l.status))) {
          expect(lc.allowed(leaf.status, leaf.reason)).toEqual([]);
        }
      });
    }

    it("no reason appears outside its status and kind", () => {
      fc.assert(
        fc.property(arbitraryPath(lc), ({ records }) => {
          for (const r of records) {
            expect(lc.status(r.status).reasonRequired && r.reason === null).toBe(false);
            if (r.reason !== null) expect(lc.status(r.status).reasons).toContain(r.reason);
          }
        }),
      );
      const reasons = new Set(lc.leaves.map((l) => l.reason));
      for (const leaf of lc.leaves) {
        for (const reason of reasons) {
          const ok = lc.leafOf(leaf.status, reason) !== undefined;
          expect(
            !(
              "issues" in
              lc.decodeRecord({ status: leaf.status, reason, message: null, lastTransitionTime: null })
            ),
          ).toBe(ok);
        }
      }
    });

    it("replay equals the stepwise fold", () => {
      fc.assert(
        fc.property(arbitraryEvents(lc, 25), (events) => {
          let record = lc.initial();
          let failedAt: number | null = null;
          for (const [i, e] of events.entries()) {
            const next = trustedTime(lc.step(record, e));
            if (next instanceof TransitionError) {
              failedAt = i;
              break;
            }
            record = next;
          }
          const replayed = lc.replay(events);
          if (failedAt === null) expect(replayed).toEqual(record);
          else expect(replayed).toMatchObject({ _tag: "TransitionError", index: failedAt });
        }),
      );
    });

    it("a step that changes the record takes the event's at as lastTransitionTime, or null without one (never the old time)", () => {
      fc.assert(
        fc.property(arbitraryPath(lc, 10), fc.nat(), fc.boolean(), ({ records }, choice, stamped) => {
          const record = records.at(-1) ?? lc.initial(stamp(0));
          const allowed = lc.allowed(record.status, record.reason);
          fc.pre(allowed.length > 0);
          const d = allowed[choice % allowed.length]!;
          const time = stamp(99);
          const next = trustedTime(lc.step(record, { ...d, ...(stamped ? { at: time } : {}) }));
          if (next instanceof TransitionError) throw next;
          if (next === record) expect([next.status, next.reason]).toEqual([record.status, record.reason]);
          else expect(next.lastTransitionTime).toBe(stamped ? time : null);
          const moved = trustedTime(lc.moveTo(record, { status: next.status, reason: next.reason }));
          if (moved !== record) expect(moved).toMatchObject({ lastTransitionTime: null });
        }),
      );
    });

    it("a malformed at is a DecodeError naming the field at and the value, whatever the event", () => {
      fc.assert(
        fc.property(arbitraryPath(lc, 10), arbitraryEvent(lc), badTimes, ({ records }, event, at) => {
          const record = records.at(-1) ?? lc.initial();
          for (const result of [
            lc.step(record, { ...event, at }),
            lc.moveTo(record, { status: record.status, reason: record.reason, at }),
          ]) {
            expect(result).toBeInstanceOf(DecodeError);
            expect((result as DecodeError).issues).toEqual([
              { path: "at", value: at, expected: RFC3339_EXPECTED },
            ]);
          }
          const replayed = lc.replay([{ ...event, at }], record);
          expect(replayed).toBeInstanceOf(DecodeError);
          expect(replayed).toMatchObject({ index: 0 });
        }),
      );
    });

    it("the status record survives a JSON round trip", () => {
      fc.assert(
        fc.property(arbitraryPath(lc), ({ records }) => {
          for (const r of records) expect(lc.decodeRecord(JSON.parse(JSON.stringify(r)))).toEqual(r);
        }),
      );
    });

    it("an invalid event yields TransitionError and never any other exception", () => {
      fc.assert(
        fc.property(arbitraryPath(lc, 10), arbitraryEvent(lc), ({ records }, event) => {
          const record = records.at(-1) ?? lc.initial();
          const next = trustedTime(lc.step(record, event));
          const accepted = lc
            .allowed(record.status, record.reason)
            .some((a) => a.type === event.type && a.reason === (event.reason ?? null));
          if (accepted) expect(next).not.toBeInstanceOf(TransitionError);
          else {
            expect(next).toBeInstanceOf(TransitionError);
            const err = next as TransitionError;
            expect([err.kind, err.status, err.reason, err.event.type]).toEqual([
              lc.kind,
              record.status,
              record.reason,
              event.type,
            ]);
          }
        }),
      );
    });
  });
}

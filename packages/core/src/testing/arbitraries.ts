import fc from "fast-check";
import { type EventDescriptor, TransitionError } from "../lifecycle/errors.js";
import type { Lifecycle } from "../lifecycle/lifecycle.js";
import type { LifecycleEvent } from "../lifecycle/machine.js";
import type { StatusRecord } from "../lifecycle/record.js";
import { trustedTime } from "../lifecycle/time.js";

/** A walk through a lifecycle: the accepted events and the record after each of them. */
export interface LifecyclePath {
  readonly events: readonly LifecycleEvent[];
  readonly records: readonly StatusRecord[];
}

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

/**
 * Random walks from the initial record: at each step one of the events the table accepts there is
 * chosen (so every walk is valid), each stamped with a later time and sometimes a message.
 */
export function arbitraryPath(lc: Lifecycle, maxLength = 30): fc.Arbitrary<LifecyclePath> {
  return fc
    .array(fc.tuple(fc.nat(), fc.option(fc.string({ maxLength: 12 }), { nil: undefined })), { maxLength })
    .map((choices) => {
      let record: StatusRecord = lc.initial(at(0));
      const events: LifecycleEvent[] = [];
      const records: StatusRecord[] = [];
      for (const [i, [choice, message]] of choices.entries()) {
        const allowed = lc.allowed(record.status, record.reason);
        if (allowed.length === 0) break;
        const d = allowed[choice % allowed.length]!;
        const event: LifecycleEvent = {
          type: d.type,
          reason: d.reason,
          at: at(i + 1),
          ...(message ? { message } : {}),
        };
        const next = trustedTime(lc.step(record, event));
        if (next instanceof TransitionError)
          throw new Error(`arbitraryPath: table accepted ${d.type} but step rejected it`);
        events.push(event);
        records.push(next);
        record = next;
      }
      return { events, records };
    });
}

/**
 * Any event, valid or not: one from the lifecycle's own universe, one with a reason of another
 * event, or an unknown type with arbitrary text.
 */
export function arbitraryEvent(lc: Lifecycle): fc.Arbitrary<LifecycleEvent> {
  const known = fc.constantFrom<EventDescriptor>(...lc.events);
  const reasons = [...new Set(lc.events.map((e) => e.reason))];
  return fc.oneof(
    known.map((e) => ({ type: e.type, reason: e.reason })),
    fc.record({
      type: fc.constantFrom(...lc.events.map((e) => e.type)),
      reason: fc.constantFrom(...reasons),
    }),
    fc.record({
      type: fc.string({ maxLength: 10 }),
      reason: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
    }),
  );
}

/** Sequences of {@link arbitraryEvent}. */
export const arbitraryEvents = (lc: Lifecycle, maxLength = 30) => fc.array(arbitraryEvent(lc), { maxLength });

import type { Leaf } from "./compile.js";
import { type EventDescriptor, TransitionError } from "./errors.js";
import type { LifecycleEvent } from "./machine.js";
import { withoutStack } from "./without-stack.js";

/** How a rejected `moveTo` names itself in its TransitionError. */
export const moveEvent = (status: string, reason: string | null) => ({ type: `moveTo(${status})`, reason });

/**
 * The TransitionErrors of one lifecycle. Those a step returns as values are built without a stack
 * trace and shared: one frozen error per (leaf, event) cell the table rejects, per (leaf, target leaf)
 * pair `moveTo` cannot connect, and per leaf for the last 8 events the kind does not know (a type, or
 * a reason the type cannot carry), compared by `===`: bounded, since anyone can make up events, and a
 * string key in a Map cost such a rejection ten times more. {@link unshared} copies one for a caller
 * that may change it.
 */
export class Rejections {
  private readonly cells: (TransitionError | undefined)[];
  private readonly moves: (TransitionError | undefined)[];
  private readonly unknown: { type: string; reason: string | null; error: TransitionError }[][];

  constructor(
    private readonly system: string,
    private readonly kind: string,
    private readonly leaves: readonly Leaf[],
    private readonly events: readonly EventDescriptor[],
    /** The events accepted in each leaf, frozen: every error of a leaf shares its list. */
    private readonly allowedIn: readonly (readonly EventDescriptor[])[],
    private readonly leafOf: (status: string, reason: string | null) => number | undefined,
  ) {
    this.cells = new Array(leaves.length * events.length);
    this.moves = new Array(leaves.length * leaves.length);
    this.unknown = leaves.map(() => []);
  }

  /** The shared error of table cell `at` (leaf * events + event). */
  cell(at: number): TransitionError {
    const width = this.events.length;
    return (this.cells[at] ??= Object.freeze(
      this.make(this.leaves[Math.floor(at / width)]!, this.events[at % width]!),
    ));
  }

  /** The shared error of an event the kind does not know, in leaf `from`. */
  unknownEvent(from: number, event: LifecycleEvent): TransitionError {
    const seen = this.unknown[from]!;
    const reason = event.reason ?? null;
    for (const u of seen) if (u.type === event.type && u.reason === reason) return u.error;
    const error = Object.freeze(this.make(this.leaves[from]!, event));
    if (seen.length === 8) seen.shift();
    seen.push({ type: event.type, reason, error });
    return error;
  }

  /** The shared error of `moveTo` from leaf `from` to leaf `to`, which no event connects. */
  move(from: number, to: number): TransitionError {
    const target = this.leaves[to]!;
    return (this.moves[from * this.leaves.length + to] ??= Object.freeze(
      this.make(this.leaves[from]!, moveEvent(target.status, target.reason)),
    ));
  }

  /** A new error (not shared, no stack trace) for `event` where `record` is, with an optional detail. */
  make(record: { status: string; reason: string | null }, event: LifecycleEvent, detail?: string) {
    const from = this.leafOf(record.status, record.reason);
    return withoutStack(
      () =>
        new TransitionError(
          this.system,
          this.kind,
          record.status,
          record.reason,
          Object.freeze({ type: event.type, reason: event.reason ?? null }),
          from === undefined ? Object.freeze([]) : this.allowedIn[from]!,
          detail,
        ),
    );
  }
}

/** A shared (frozen) rejection as a fresh error the caller may change; the others are fresh already. */
export function unshared(error: TransitionError): TransitionError {
  if (!Object.isFrozen(error)) return error;
  const { system, kind, status, reason, event, allowed } = error;
  return new TransitionError(system, kind, status, reason, event, allowed);
}

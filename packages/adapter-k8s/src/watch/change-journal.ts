import { randomUUID } from "node:crypto";

/**
 * The change feed's memory: which object (kind and name) each cache event touched, in the order
 * the caches applied them, numbered by one counter across kinds. A cursor is `<journal id>:<seq>`,
 * "everything up to event `seq` seen". The journal is a ring of the newest `capacity` events; a
 * cursor from before that, from another journal or not a cursor at all is unknown, and its reader
 * gets a full listing, as a watch too far behind gets `410 Gone` and lists again.
 *
 * The id is random, not a counter: a cursor kept across a restart of the process must be unknown
 * to the new adapter, whose counter starts again at 0 and would otherwise misread it.
 *
 * @module
 */

/** An object the feed names: its state is read from the cache when the feed is read. */
export interface JournalKey {
  readonly kind: string;
  readonly name: string;
}

/** What a cursor is owed: a full listing, or the objects touched since it (each once). */
export type JournalAnswer =
  | { readonly full: true }
  | { readonly full: false; readonly changed: readonly JournalKey[] };

/** How many events the journal keeps by default: a cursor more than this many events old expires. */
export const defaultJournalCapacity = 100_000;

/**
 * The journal of one adapter instance (see the module note).
 *
 * @example
 * ```ts
 * const journal = new ChangeJournal();
 * const cursor = journal.cursor();
 * journal.record("Job", "e1-client");
 * journal.record("Job", "e1-client");
 * journal.since(cursor, new Set(["Job"])); // { full: false, changed: [{ kind: "Job", name: "e1-client" }] }
 * journal.since(null, new Set(["Job"])); // { full: true }
 * ```
 */
export class ChangeJournal {
  readonly id: string;
  readonly capacity: number;
  /** Event `seq` sits at `seq % capacity` while it is among the newest `capacity`. */
  private readonly kinds: string[] = [];
  private readonly names: string[] = [];
  /** The newest event's seq (0: none yet). */
  private newest = 0;

  constructor(options: { readonly capacity?: number; readonly id?: string } = {}) {
    const capacity = options.capacity ?? defaultJournalCapacity;
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity: expected a positive integer, got ${capacity}`);
    if (options.id?.includes(":")) throw new RangeError(`id: expected no ":", got ${options.id}`);
    this.capacity = capacity;
    this.id = options.id ?? randomUUID();
  }

  /** Records that the cache of `kind` changed object `name` (added, modified or deleted); returns its seq. */
  record(kind: string, name: string): number {
    const seq = ++this.newest;
    const at = seq % this.capacity;
    this.kinds[at] = kind;
    this.names[at] = name;
    return seq;
  }

  /** The cursor of "everything recorded so far". */
  cursor(): string {
    return `${this.id}:${this.newest}`;
  }

  /**
   * The seq `cursor` stands for, if it is this journal's, not in the future, and every event after it
   * is still kept; else undefined.
   */
  seqOf(cursor: string): number | undefined {
    const colon = cursor.lastIndexOf(":");
    if (colon < 0 || cursor.slice(0, colon) !== this.id) return undefined;
    const digits = cursor.slice(colon + 1);
    if (!/^(0|[1-9][0-9]{0,15})$/.test(digits)) return undefined;
    const seq = Number(digits);
    return seq <= this.newest && this.newest - seq <= this.capacity ? seq : undefined;
  }

  /**
   * What a reader at `cursor` (null: none) interested in `kinds` is owed: the distinct objects of
   * those kinds touched by events after it, in the order of their first such event, or `full` when
   * the cursor is unknown or expired.
   */
  since(cursor: string | null, kinds: ReadonlySet<string>): JournalAnswer {
    const from = cursor === null ? undefined : this.seqOf(cursor);
    if (from === undefined) return { full: true };
    const seen = new Set<string>();
    const changed: JournalKey[] = [];
    for (let seq = from + 1; seq <= this.newest; seq++) {
      const at = seq % this.capacity;
      const kind = this.kinds[at]!;
      if (!kinds.has(kind)) continue;
      const name = this.names[at]!;
      // Kinds are identifiers (no "/"), so kind/name is unique.
      const key = `${kind}/${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      changed.push({ kind, name });
    }
    return { full: false, changed };
  }
}

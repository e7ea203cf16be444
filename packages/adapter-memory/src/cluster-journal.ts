import type { ClusterObject } from "@phasekit/core";

/**
 * What the memory cluster remembers of its recent writes, for two readers:
 *
 * - the change feed: which object each write touched (kind and name), so `changes` answers from
 *   the writes since a cursor instead of comparing every object; the oldest half is forgotten when
 *   it grows past `feedLimit`, and a cursor from before that gets a full listing, as a watch too far
 *   behind gets `410 Gone` and lists again;
 * - lagging reads: what each write replaced, kept only for the last `staleReads` writes, so a read
 *   can be answered as the cluster was a few writes ago without keeping copies of the whole store.
 *
 * @module
 */

interface Touched {
  readonly revision: number;
  readonly kind: string;
  readonly name: string;
}

interface Replaced extends Touched {
  /** The object before the write; undefined when the write created it. */
  readonly before: ClusterObject | undefined;
}

/** The set of names kept for `kind` in `seen`, made on first use. */
function namesOf(seen: Map<string, Set<string>>, kind: string): Set<string> {
  let names = seen.get(kind);
  if (!names) seen.set(kind, (names = new Set()));
  return names;
}

/** Cursors name their cluster, so another cluster's cursor is unknown rather than misread. */
let clusters = 0;

/**
 * The journal of one memory cluster (see the module comment).
 *
 * @example
 * ```ts
 * const journal = new ClusterJournal();
 * journal.record(1, "Job", "e1-client", undefined, 0);
 * [...journal.changed(new Set(["Job"]), 0, 1)]; // [{ kind: "Job", name: "e1-client" }]
 * ```
 */
export class ClusterJournal {
  private readonly id = `memory-${++clusters}`;
  private feed: Touched[] = [];
  /** Every write up to this revision has left the feed: an older cursor gets a full listing. */
  private forgotten = 0;
  private undo: Replaced[] = [];
  /** Reads cannot go back before this write: what it and earlier writes replaced is no longer kept. */
  private floor = 0;

  constructor(private readonly feedLimit = 1 << 20) {}

  /** Records that write `revision` put or removed `kind`/`name`, replacing `before`. */
  record(revision: number, kind: string, name: string, before: ClusterObject | undefined, lag: number): void {
    this.feed.push({ revision, kind, name });
    if (this.feed.length > this.feedLimit) {
      const dropped = this.feed.splice(0, this.feed.length >> 1);
      this.forgotten = dropped.at(-1)!.revision;
    }
    if (lag > 0) this.undo.push({ revision, kind, name, before });
    else this.floor = revision;
    // Keep what writes after `revision - lag` replaced: enough to rebuild any state a read may lag to.
    let drop = 0;
    while (drop < this.undo.length && this.undo[drop]!.revision <= revision - lag) drop++;
    if (drop > 0) this.floor = Math.max(this.floor, this.undo.splice(0, drop).at(-1)!.revision);
  }

  /** The oldest write a read can be answered at. */
  reachesBackTo(): number {
    return this.floor;
  }

  /** A cursor for the state after write `revision`. */
  cursor(revision: number): string {
    return `${this.id}:${revision}`;
  }

  /** The revision a cursor stands for, if it is one of ours the feed still covers and not past `at`. */
  validCursor(cursor: string, at: number): number | undefined {
    const colon = cursor.lastIndexOf(":");
    if (cursor.slice(0, colon) !== this.id) return undefined;
    const text = cursor.slice(colon + 1);
    const revision = Number(text);
    if (!/^\d+$/.test(text) || revision < this.forgotten || revision > at) return undefined;
    return revision;
  }

  /** The objects of `kinds` touched by the writes after `since` up to `at`, each once, in write order. */
  changed(kinds: ReadonlySet<string>, since: number, at: number): Touched[] {
    const touched: Touched[] = [];
    const first = this.firstAfter(since);
    // Most looks follow a few writes: a scan finds repeats cheaper than building sets. Past that,
    // the names seen per kind (no `kind/name` string built per write).
    let seen: Map<string, Set<string>> | undefined;
    for (let i = first; i < this.feed.length; i++) {
      const t = this.feed[i]!;
      if (t.revision > at) break;
      if (!kinds.has(t.kind)) continue;
      if (seen === undefined && touched.length < 16) {
        if (!touched.some((u) => u.name === t.name && u.kind === t.kind)) touched.push(t);
        continue;
      }
      if (seen === undefined) {
        seen = new Map();
        for (const u of touched) namesOf(seen, u.kind).add(u.name);
      }
      const names = namesOf(seen, t.kind);
      if (names.has(t.name)) continue;
      names.add(t.name);
      touched.push(t);
    }
    return touched;
  }

  /** One object as it was after write `at`, given how it is now. */
  rewind(kind: string, name: string, now: ClusterObject | undefined, at: number): ClusterObject | undefined {
    let object = now;
    for (let i = this.undo.length - 1; i >= 0 && this.undo[i]!.revision > at; i--) {
      const r = this.undo[i]!;
      if (r.kind === kind && r.name === name) object = r.before;
    }
    return object;
  }

  /** The objects of a kind as they were after write `at`, given how they are now. */
  rewindKind(kind: string, now: ReadonlyMap<string, ClusterObject>, at: number): ClusterObject[] {
    const objects = new Map(now);
    for (let i = this.undo.length - 1; i >= 0 && this.undo[i]!.revision > at; i--) {
      const r = this.undo[i]!;
      if (r.kind !== kind) continue;
      if (r.before) objects.set(r.name, r.before);
      else objects.delete(r.name);
    }
    return [...objects.values()];
  }

  /** The index of the first feed entry after write `since` (binary search: revisions only grow). */
  private firstAfter(since: number): number {
    let lo = 0;
    let hi = this.feed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.feed[mid]!.revision > since) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** The fields of an entity's row in {@link Entities.rows}: numbers only. */
export const TIME = 0;
export const LEAF = 1;
export const OBSERVATIONS = 2;
export const LEGAL = 3;
export const UNSEEN = 4;
export const REPEATS = 5;
export const VIOLATIONS = 6;
/** Doubles a row: 8, one cache line. */
export const WIDTH = 8;

/**
 * The entities of one kind, by id: where each is and its counters, in one row of numbers each (no
 * object per entity, no boxed time), found by an open-addressing hash table of (hash, index). A judge
 * of a million records over 100,000 entities waits on fewer cache misses a record (the slot, the id,
 * the row) than a `Map` of entity objects did.
 *
 * Memory: one row (64 bytes), one slot pair (8-16 bytes) and the id string per entity.
 */
export class Entities {
  /** Entity `i`'s row: `rows[i * WIDTH + field]`. */
  rows = new Float64Array(WIDTH * 64);
  /** Entity `i`'s id. */
  readonly ids: string[] = [];
  /** `slots[2k]`: the hash, `slots[2k + 1]`: the entity's index + 1 (0: the slot is empty). */
  private slots = new Int32Array(2 * 128);
  private mask = 127;
  /** Where the last `find` that found nothing would insert, and its hash (see {@link Entities.add}). */
  private freeSlot = 0;
  private freeHash = 0;

  get size(): number {
    return this.ids.length;
  }

  /** The index of the entity `id`, or -1. */
  find(id: string): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const ids = this.ids;
    for (let k = h & this.mask; ; k = (k + 1) & this.mask) {
      const at = slots[2 * k + 1]!;
      if (at === 0) {
        this.freeSlot = k;
        this.freeHash = h;
        return -1;
      }
      if (slots[2 * k] === h) {
        if (ids[at - 1] === id) return at - 1;
      }
    }
  }

  /** Adds the entity `id`, right after a {@link Entities.find} of it found nothing; its index. */
  add(id: string): number {
    const index = this.ids.length;
    this.ids.push(id);
    this.slots[2 * this.freeSlot] = this.freeHash;
    this.slots[2 * this.freeSlot + 1] = index + 1;
    if (this.rows.length < (index + 1) * WIDTH) {
      const rows = new Float64Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
    }
    const r = index * WIDTH;
    this.rows[r + TIME] = Number.NaN;
    this.rows[r + LEAF] = -1;
    if (2 * this.ids.length > this.mask) this.grow();
    return index;
  }

  /** Doubles the table and places every entity again (their hashes are kept, so no id is read). */
  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array(2 * (this.mask + 1));
    for (let k = 0; k < old.length; k += 2) {
      if (old[k + 1] === 0) continue;
      let j = old[k]! & this.mask;
      while (this.slots[2 * j + 1] !== 0) j = (j + 1) & this.mask;
      this.slots[2 * j] = old[k]!;
      this.slots[2 * j + 1] = old[k + 1]!;
    }
  }
}

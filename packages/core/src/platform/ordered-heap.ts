/**
 * A binary min-heap whose items know their position, so that any item can be removed in O(log n),
 * and whose smallest items can be read in order without taking them out. The orchestrator's admission
 * queues use it: an account's waiting work is admitted from the head, and work leaves from anywhere.
 *
 * @module
 */

/** An item of an {@link OrderedHeap}: the heap keeps `slot` (its position) up to date. */
export interface HeapItem {
  slot: number;
}

/** A heap in `order`; change it only through its methods. */
export interface OrderedHeap<T extends HeapItem> {
  readonly size: () => number;
  readonly push: (item: T) => void;
  /** Removes an item that is in the heap. */
  readonly remove: (item: T) => void;
  /** Every item, in no particular order. */
  readonly items: () => readonly T[];
  /** Visits the items in order, smallest first, until `visit` returns false: O(log k) per item for the first k. */
  readonly ascending: (visit: (item: T) => boolean) => void;
}

/** Restores the heap property of `items` from position `i` up, then down; `moved` learns each new position. */
function settle<T>(
  items: T[],
  i: number,
  less: (a: T, b: T) => boolean,
  moved: (item: T, at: number) => void,
) {
  const swap = (a: number, b: number) => {
    const x = items[a]!;
    const y = items[b]!;
    items[a] = y;
    items[b] = x;
    moved(y, a);
    moved(x, b);
  };
  while (i > 0 && less(items[i]!, items[(i - 1) >> 1]!)) {
    swap(i, (i - 1) >> 1);
    i = (i - 1) >> 1;
  }
  for (;;) {
    const l = 2 * i + 1;
    let least = i;
    if (l < items.length && less(items[l]!, items[least]!)) least = l;
    if (l + 1 < items.length && less(items[l + 1]!, items[least]!)) least = l + 1;
    if (least === i) return;
    swap(i, least);
    i = least;
  }
}
const keep = () => {};

/**
 * An empty heap in `order` (negative: the first argument comes first).
 *
 * @example
 * ```ts
 * const heap = makeOrderedHeap<{ slot: number; n: number }>((a, b) => a.n - b.n);
 * heap.push({ slot: -1, n: 2 });
 * heap.push({ slot: -1, n: 1 });
 * heap.ascending((x) => (console.log(x.n), true)); // 1, 2
 * ```
 */
export function makeOrderedHeap<T extends HeapItem>(order: (a: T, b: T) => number): OrderedHeap<T> {
  const items: T[] = [];
  const less = (a: T, b: T) => order(a, b) < 0;
  const moved = (item: T, at: number) => {
    item.slot = at;
  };
  return {
    size: () => items.length,
    push: (item) => {
      item.slot = items.length;
      items.push(item);
      settle(items, item.slot, less, moved);
    },
    remove: (item) => {
      const last = items.pop()!;
      if (last === item) return;
      items[item.slot] = last;
      last.slot = item.slot;
      settle(items, last.slot, less, moved);
    },
    items: () => items,
    ascending: (visit) => {
      // best first over the heap's tree: a small heap of positions, the smallest item's children next
      if (items.length === 0) return;
      const frontier = [0];
      const before = (i: number, j: number) => less(items[i]!, items[j]!);
      while (frontier.length > 0) {
        const top = frontier[0]!;
        const last = frontier.pop()!;
        if (frontier.length > 0) {
          frontier[0] = last;
          settle(frontier, 0, before, keep);
        }
        if (!visit(items[top]!)) return;
        for (const child of [2 * top + 1, 2 * top + 2])
          if (child < items.length) {
            frontier.push(child);
            settle(frontier, frontier.length - 1, before, keep);
          }
      }
    },
  };
}

/**
 * The faults the memory backend can inject. Each one is something Kafka or Kubernetes really does,
 * made frequent and reproducible; none breaks a guarantee those systems give.
 *
 * @module
 */

/** The faults in force; change them at any time with `backend.setFaults`. */
export interface MemoryFaults {
  /**
   * Probability, per poll and partition, that a consumer rewinds into the records it was last given
   * from that partition, so they are delivered again, in order, followed by everything after them
   * (what a Kafka rebalance, a seek or a lost commit does). Already committed records may come again.
   * 0 (default) to 1.
   */
  readonly duplicate: number;
  /**
   * When true, each poll takes a random number of records from each partition and interleaves the
   * partitions at random, so records of different keys arrive in a different order on every run.
   * Records of one partition (so of one key) always keep their order.
   */
  readonly reorder: boolean;
  /**
   * How many cluster writes a read (`get`, `list`) may lag behind, as an informer's cache does.
   * A lagging read returns the cluster exactly as it was after an earlier write (never a state that
   * did not exist), reads never go back in time, and after that many lagging reads in a row the next
   * read is current (the cache catches up).
   * 0 (default): reads see every write at once.
   */
  readonly staleReads: number;
}

/** No faults: what `makeMemoryBackend` uses unless told otherwise. */
export const noFaults: MemoryFaults = { duplicate: 0, reorder: false, staleReads: 0 };

/** Checks a fault setting, naming the field, the value and what was expected. */
export function validateFaults(faults: MemoryFaults): MemoryFaults {
  const { duplicate, staleReads } = faults;
  if (!(Number.isFinite(duplicate) && duplicate >= 0 && duplicate <= 1)) {
    throw new RangeError(`faults.duplicate: got ${duplicate}, expected a probability from 0 to 1`);
  }
  if (!(Number.isInteger(staleReads) && staleReads >= 0)) {
    throw new RangeError(`faults.staleReads: got ${staleReads}, expected a whole number of writes >= 0`);
  }
  if (typeof faults.reorder !== "boolean") {
    throw new RangeError(`faults.reorder: got ${String(faults.reorder)}, expected true or false`);
  }
  return faults;
}

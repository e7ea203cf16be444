import type { GroupMember, IncomingRecord, PartitionOffset } from "../client.js";

/**
 * What every consumer-group member on `@platformatic/kafka` shares, wherever its consumer runs (on
 * this thread, `member.ts`; on the client thread, `on-thread.ts`): the records the client
 * handed out wait in a buffer that `poll` takes from, and fetching pauses while the buffer is full.
 *
 * The buffer is kept across a rebalance: a partition without any committed offset keeps its fetch
 * position, so dropping what was buffered from it would skip those records. What the buffer holds
 * from a revoked partition is still handed out (a duplicate of what the new owner reads; the
 * contract allows duplicates, never a skip). A poll never returns a partition's records out of
 * offset order: it stops early where a rewind would put an older record after a newer one.
 *
 * @module
 */
export abstract class BufferedMember implements GroupMember {
  private buffer: IncomingRecord[] = [];
  private head = 0;
  private paused = false;
  private closing = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly capacity: number) {}

  /** Stops fetching until {@link BufferedMember.resumeFetching}. */
  protected abstract pauseFetching(): void;
  protected abstract resumeFetching(): void;
  protected abstract commitOffsets(offsets: readonly PartitionOffset[]): Promise<void>;
  /** Closes the consumer: leaves the group, commits nothing. Never rejects. */
  protected abstract leave(): Promise<void>;

  private get size() {
    return this.buffer.length - this.head;
  }

  /** Takes a record the client handed out (call {@link BufferedMember.received} after a run of them). */
  protected add(record: IncomingRecord) {
    this.buffer.push(record);
  }

  /** After records were added: pauses fetching if the buffer is full, and wakes a waiting poll. */
  protected received() {
    if (!this.paused && this.size >= this.capacity) {
      this.paused = true;
      this.pauseFetching();
    }
    this.notify();
  }

  /** The consumer can no longer deliver: the next poll throws `error` (the first one given). */
  protected fail(error: Error) {
    if (this.closing) return;
    this.failure ??= error;
    this.notify();
  }

  private notify() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private resumeIfRoom() {
    if (this.paused && this.size <= this.capacity / 2 && !this.closing) {
      this.paused = false;
      this.resumeFetching();
    }
  }

  private async waitForData(waitMs: number) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, waitMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async poll(max: number, waitMs: number): Promise<IncomingRecord[]> {
    if (this.closing) throw new Error("the consumer left its group");
    if (this.size === 0 && !this.failure && waitMs > 0) await this.waitForData(waitMs);
    if (this.failure) throw this.failure;
    const out: IncomingRecord[] = [];
    // The highest offset handed out per partition (a member reads one topic): no key string per record.
    const last: number[] = [];
    while (out.length < max && this.head < this.buffer.length) {
      const r = this.buffer[this.head]!;
      const previous = last[r.partition];
      if (previous !== undefined && r.offset <= previous) break; // a rewind: the rest next poll
      last[r.partition] = r.offset;
      out.push(r);
      this.head++;
    }
    if (this.head > 4096 || this.head === this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    this.resumeIfRoom();
    return out;
  }

  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.commitOffsets(offsets);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.notify();
    await this.leave();
  }
}

import type { LogRecord, LogShape } from "@phasekit/core";
import { Effect } from "effect";

/**
 * What a driver must know to tell "the control plane is quiet" from "records are still on their way"
 * on a real broker, where an empty poll proves nothing: the end of every partition (from what was
 * appended through the port) and each group's committed offsets (from its commits). A group has
 * caught up when its commits reach every end. Redeliveries (a record given to a group again) are
 * counted on the way.
 *
 * @module
 */

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class LogTracker {
  private readonly ends = new Map<string, Map<number, number>>();
  private readonly commits = new Map<string, Map<string, number>>();
  private readonly seen = new Map<string, Set<string>>();
  appended = 0;
  redelivered = 0;

  /** Every group in `groups` (group -> topic) committed past every record appended to its topic. */
  caughtUp(groups: ReadonlyMap<string, string>): boolean {
    for (const [group, topic] of groups) {
      const committed = this.commits.get(group);
      for (const [partition, end] of this.ends.get(topic) ?? [])
        if ((committed?.get(key(topic, partition)) ?? 0) < end) return false;
    }
    return true;
  }

  /** The port, reporting to this tracker. */
  track<M>(port: LogShape<M>): LogShape<M> {
    const ends = this.ends.get(port.name) ?? new Map<number, number>();
    this.ends.set(port.name, ends);
    return {
      ...port,
      append: (records) =>
        Effect.tap(port.append(records), (positions) =>
          Effect.sync(() => {
            this.appended += positions.length;
            for (const p of positions)
              ends.set(p.partition, Math.max(ends.get(p.partition) ?? 0, p.offset + 1));
          }),
        ),
      consumer: (group) =>
        Effect.map(port.consumer(group), (consumer) => {
          const seen = this.seen.get(group) ?? new Set<string>();
          this.seen.set(group, seen);
          return {
            poll: (options) =>
              Effect.tap(consumer.poll(options), (records) =>
                Effect.sync(() => {
                  for (const r of records) {
                    const id = `${key(r.topic, r.partition)}@${r.offset}`;
                    if (seen.has(id)) this.redelivered++;
                    seen.add(id);
                  }
                }),
              ),
            commit: (records: readonly LogRecord<M>[]) =>
              Effect.tap(consumer.commit(records), () =>
                Effect.sync(() => {
                  const committed = this.commits.get(group) ?? new Map<string, number>();
                  this.commits.set(group, committed);
                  for (const r of records) {
                    const k = key(r.topic, r.partition);
                    committed.set(k, Math.max(committed.get(k) ?? 0, r.offset + 1));
                  }
                }),
              ),
          };
        }),
    };
  }
}

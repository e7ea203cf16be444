import { type Consumer, ListOffsetTimestamps } from "@platformatic/kafka";
import type { IncomingRecord } from "../client.js";
import { text } from "./group-consumer.js";

/**
 * Reading a whole topic without a consumer group: the end offset of every partition is taken first,
 * then raw Fetch requests read each partition from its log start up to that end. Nothing joins a
 * group and nothing is committed, so a replay leaves no trace on the cluster.
 *
 * @module
 */

/** Bit 5 of a record batch's attributes: a transaction control batch, not data. */
const controlBatch = 0x20;
const maxBytesPerPartition = 4 * 1024 * 1024;
/** Fetches in a row that return nothing for a partition still short of its end before giving up. */
const maxEmptyFetches = 50;

/**
 * Every record of `topic` from the start of each partition to its end as of the call, partition by
 * partition, each in offset order. Compaction may have removed records (offsets have gaps then).
 */
export async function readTopic(reader: Consumer, topic: string): Promise<IncomingRecord[]> {
  const metadata = await reader.metadata({ topics: [topic], forceUpdate: true });
  const described = metadata.topics.get(topic);
  if (!described) throw new Error(`topic ${topic} does not exist`);
  const [ends, starts] = await Promise.all(
    [ListOffsetTimestamps.LATEST, ListOffsetTimestamps.EARLIEST].map(async (timestamp) => {
      const listed = await reader.listOffsets({ topics: [topic], timestamp });
      return listed.get(topic) ?? [];
    }),
  );
  const byPartition: IncomingRecord[][] = [];
  const position = new Map<number, bigint>();
  for (let p = 0; p < described.partitionsCount; p++) {
    byPartition.push([]);
    const start = starts?.[p] ?? 0n;
    if (start < (ends?.[p] ?? 0n)) position.set(p, start);
  }
  const empty = new Map<number, number>();
  while (position.size > 0) {
    // One request per leader, with every partition it leads that is still short of its end.
    const byLeader = new Map<number, number[]>();
    for (const p of position.keys()) {
      const leader = described.partitions[p]!.leader;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    }
    for (const [node, partitions] of byLeader) {
      const response = await reader.fetch({
        node,
        maxWaitTime: 0,
        topics: [
          {
            topicId: described.id,
            partitions: partitions.map((partition) => ({
              partition,
              fetchOffset: position.get(partition)!,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
              partitionMaxBytes: maxBytesPerPartition,
            })),
          },
        ],
      });
      for (const t of response.responses) {
        for (const part of t.partitions) {
          const p = part.partitionIndex;
          const from = position.get(p);
          if (from === undefined) continue; // not asked for (a lingering fetch session entry)
          const end = ends![p]!;
          let next = from;
          for (const batch of part.records ?? []) {
            const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
            if (last + 1n > next) next = last + 1n;
            if (batch.attributes & controlBatch) continue;
            for (const r of batch.records) {
              const offset = batch.firstOffset + BigInt(r.offsetDelta);
              if (offset < from || offset >= end) continue;
              byPartition[p]!.push({
                topic,
                partition: p,
                offset: Number(offset),
                key: text(r.key),
                value: text(r.value),
              });
            }
          }
          if (next >= end) position.delete(p);
          else if (next > from) position.set(p, next);
          else {
            const misses = (empty.get(p) ?? 0) + 1;
            if (misses >= maxEmptyFetches)
              throw new Error(`${topic}[${p}]: no records at offset ${from} although the end is ${end}`);
            empty.set(p, misses);
          }
        }
      }
    }
  }
  return byPartition.flat();
}

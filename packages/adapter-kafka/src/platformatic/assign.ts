import type {
  GroupAssignment,
  GroupPartitionsAssigner,
  GroupPartitionsAssignments,
} from "@platformatic/kafka";

/**
 * The group leader's partition assignment, for members that may read different topics.
 *
 * `@platformatic/kafka`'s default (`roundrobin`) assigns only the leader's own topics, and deals
 * their partitions to every member of the group: with a member reading another topic in the group,
 * a partition goes to a member that never fetches it (never read, never committed), and the topics
 * the leader does not read go to nobody. Kafka's own `RoundRobinAssignor` deals each partition to a
 * member subscribed to its topic; this does the same, one topic at a time.
 *
 * @module
 */

/**
 * Every partition of every topic some member reads, dealt round-robin among the members reading
 * that topic (sorted by member id, so every leader deals alike). A topic's readers get counts that
 * differ by one at most; the start moves on from topic to topic, so that one-partition topics do
 * not all land on the same member. Topics without metadata are left out (the client fails the sync
 * before calling this when one is missing).
 *
 * @example
 * ```ts
 * new Consumer({ groupId, bootstrapBrokers, partitionAssigner: subscribedRoundRobin });
 * ```
 */
export const subscribedRoundRobin: GroupPartitionsAssigner = (_leader, members, _topics, metadata) => {
  const ids = [...members.keys()].sort();
  const out = new Map<string, Map<string, GroupAssignment>>(ids.map((id) => [id, new Map()]));
  const topics = [...new Set(ids.flatMap((id) => members.get(id)?.topics ?? []))].sort();
  let start = 0;
  for (const topic of topics) {
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const readers = ids.filter((id) => members.get(id)?.topics?.includes(topic));
    for (let partition = 0; partition < count; partition++) {
      const reader = out.get(readers[(start + partition) % readers.length]!)!;
      const held = reader.get(topic) ?? { topic, partitions: [] };
      held.partitions.push(partition);
      reader.set(topic, held);
    }
    start += count;
  }
  return ids.map((memberId): GroupPartitionsAssignments => ({ memberId, assignments: out.get(memberId)! }));
};

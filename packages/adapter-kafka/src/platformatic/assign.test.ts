import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from "@platformatic/kafka";
import { roundRobinAssigner } from "@platformatic/kafka";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { subscribedRoundRobin } from "./assign.js";

type Subscriptions = ReadonlyMap<string, readonly string[]>;

const membersOf = (subscriptions: Subscriptions) =>
  new Map<string, ExtendedGroupProtocolSubscription>(
    [...subscriptions].map(([memberId, topics]) => [memberId, { memberId, version: 1, topics: [...topics] }]),
  );

const metadataOf = (partitions: Readonly<Record<string, number>>) =>
  ({
    topics: new Map(Object.entries(partitions).map(([topic, n]) => [topic, { partitionsCount: n }])),
  }) as unknown as ClusterMetadata;

/** topic -> partition -> the members it was given to. */
function owners(
  assigner: typeof subscribedRoundRobin,
  subscriptions: Subscriptions,
  partitions: Record<string, number>,
) {
  const [leader] = [...subscriptions.keys()];
  const given = assigner(
    leader!,
    membersOf(subscriptions),
    new Set(subscriptions.get(leader!)),
    metadataOf(partitions),
  );
  const out = new Map<string, Map<number, string[]>>();
  for (const { memberId, assignments } of given)
    for (const { topic, partitions: ps } of assignments.values())
      for (const p of ps) {
        const byPartition = out.get(topic) ?? new Map<number, string[]>();
        byPartition.set(p, [...(byPartition.get(p) ?? []), memberId]);
        out.set(topic, byPartition);
      }
  return { given, owners: out };
}

const topicNames = ["a", "b", "c"] as const;
const anyGroup = fc.record({
  subscriptions: fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 })
    .chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc.subarray([...topicNames], { minLength: 1 }).map((topics) => [id, topics] as const),
        ),
      ),
    )
    .map((entries) => new Map<string, readonly string[]>(entries)),
  partitions: fc.record({
    a: fc.integer({ min: 1, max: 12 }),
    b: fc.integer({ min: 1, max: 12 }),
    c: fc.integer({ min: 1, max: 12 }),
  }),
});

describe("subscribedRoundRobin", () => {
  it("given two members on two topics, each topic's partitions all go to the member reading it", () => {
    const subscriptions = new Map([
      ["m-ours", ["ours"]],
      ["m-theirs", ["theirs"]],
    ]);
    const partitions = { ours: 3, theirs: 3 };
    const { owners: got } = owners(subscribedRoundRobin, subscriptions, partitions);
    expect(got.get("ours")).toEqual(new Map([0, 1, 2].map((p) => [p, ["m-ours"]])));
    expect(got.get("theirs")).toEqual(new Map([0, 1, 2].map((p) => [p, ["m-theirs"]])));
    // The client's default, for the record: the leader's topic dealt to both members (one
    // partition to a member that never fetches it), the other topic to nobody.
    const { owners: library } = owners(roundRobinAssigner, subscriptions, partitions);
    expect(library.get("ours")).toEqual(
      new Map([
        [0, ["m-ours"]],
        [1, ["m-theirs"]],
        [2, ["m-ours"]],
      ]),
    );
    expect(library.get("theirs")).toBeUndefined();
  });

  it("property: every partition of every topic a member reads is given exactly once, to a member reading that topic, and a topic's readers get counts within one of each other", () =>
    fc.assert(
      fc.property(anyGroup, ({ subscriptions, partitions }) => {
        const { given, owners: got } = owners(subscribedRoundRobin, subscriptions, partitions);
        expect(given.map((g) => g.memberId).sort()).toEqual([...subscriptions.keys()].sort());
        const read = new Set([...subscriptions.values()].flat());
        expect([...got.keys()].sort()).toEqual([...read].sort());
        for (const topic of read) {
          const byPartition = got.get(topic)!;
          expect([...byPartition.keys()].sort((x, y) => x - y)).toEqual(
            Array.from({ length: partitions[topic as keyof typeof partitions] }, (_, i) => i),
          );
          const readers = [...subscriptions].filter(([, ts]) => ts.includes(topic)).map(([id]) => id);
          const counts = new Map(readers.map((id) => [id, 0]));
          for (const ids of byPartition.values()) {
            expect(ids.length).toBe(1);
            expect(readers).toContain(ids[0]);
            counts.set(ids[0]!, counts.get(ids[0]!)! + 1);
          }
          expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
        }
      }),
    ));
});

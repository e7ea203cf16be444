import {
  DecodeError,
  decodeState,
  type EventMessage,
  encodeEvent,
  newEntity,
  type ProducerRecord,
  type StateMessage,
} from "@phasekit/core";

/**
 * A deterministic event workload for the fault tests and the benchmark: Models going through
 * Created -> Admitted -> Ready or Terminated, with label edits, and exact duplicates of some events
 * (a Create, an Admitted) as a producer retrying would send them.
 *
 * @module
 */

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

/** The events of entity `i`, in order. */
export function entityEvents(i: number): EventMessage[] {
  const id = `m-${i}`;
  const entity = newEntity({ kind: "Model", id, account: `acct-${i % 5}`, spec: {} }, at(0));
  if (entity instanceof DecodeError) throw entity;
  const admitted: EventMessage = {
    type: "Status",
    status: "Admitted",
    reason: null,
    author: "orchestrator",
    at: at(2),
  };
  const events: EventMessage[] = [
    { type: "Create", entity },
    ...(i % 4 === 0 ? [{ type: "Create", entity } as EventMessage] : []),
    { type: "Labels", labels: { round: "1" }, by: `acct-${i % 5}`, at: at(1) },
    admitted,
    ...(i % 2 === 0 ? [admitted] : []),
    i % 3 === 0
      ? { type: "Terminate", by: `acct-${i % 5}`, at: at(3) }
      : { type: "Status", status: "Ready", reason: null, author: "informer", at: at(3) },
    { type: "Labels", labels: { round: "2" }, by: `acct-${i % 5}`, at: at(4) },
  ];
  return events;
}

/**
 * The workload in rounds: round r holds the r-th event of every entity that has one, so entities
 * interleave while each entity's events stay in order.
 */
export function workloadRounds(entities: number): ProducerRecord[][] {
  const all = Array.from({ length: entities }, (_, i) => entityEvents(i));
  const rounds: ProducerRecord[][] = [];
  for (let r = 0; all.some((events) => events.length > r); r++)
    rounds.push(
      all.flatMap((events, i) => (events[r] ? [{ key: `m-${i}`, value: encodeEvent(events[r]!) }] : [])),
    );
  return rounds;
}

/** Every version of every entity on a (not yet compacted) state log, one per version, in version order. */
export function stateHistory(records: readonly ProducerRecord[]): Map<string, StateMessage[]> {
  const byId = new Map<string, Map<number, StateMessage>>();
  for (const r of records) {
    const s = decodeState(r.key, r.value);
    if (s instanceof DecodeError) throw s;
    const versions = byId.get(r.key) ?? new Map<number, StateMessage>();
    const held = versions.get(s.version);
    if (held && JSON.stringify(held) !== JSON.stringify(s))
      throw new Error(`${r.key} version ${s.version} was written twice with different content`);
    versions.set(s.version, s);
    byId.set(r.key, versions);
  }
  return new Map(
    [...byId].map(([id, versions]) => [id, [...versions.values()].sort((a, b) => a.version - b.version)]),
  );
}

/** How many times each entity entered Admitted, over its version history. */
export function admissions(history: ReadonlyMap<string, readonly StateMessage[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [id, versions] of history) {
    let n = 0;
    let previous = "";
    for (const { entity } of versions) {
      if (entity.status === "Admitted" && previous !== "Admitted") n++;
      previous = entity.status;
    }
    counts.set(id, n);
  }
  return counts;
}

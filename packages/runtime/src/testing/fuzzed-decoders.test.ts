import { layerMemory } from "@phasekit/adapter-memory";
import {
  DecodeError,
  decodeEvent,
  decodeState,
  encodeEvent,
  encodeState,
  newEntity,
  type ProducerRecord,
} from "@phasekit/core";
import { Cause, Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import { mutationOf } from "./mutations.js";
import { collectDeadLetters, type PoisonSource, runWithPoison } from "./poison.js";

// The fuzzed decoders (RELIABILITY.md): fast-check mutations of valid records (truncated, a field
// removed, a field of the wrong type, an unknown field, random text) go through the decoders, and
// through the whole control plane on the memory adapter while it runs a quota-bound workload.
// No decoder may throw; every record that does not decode is dead-lettered by each consumer that
// reads it, with an error naming the field; and the workload loses nothing to them.

const at = "2026-01-01T00:00:00Z";
const entity = newEntity({ kind: "Model", id: "m-1", account: "acct-1", spec: {} }, at);
if (entity instanceof DecodeError) throw entity;
/** Valid records of each topic, the seeds of the mutations. */
const validEvents = [
  encodeEvent({ type: "Create", entity }),
  encodeEvent({ type: "Status", status: "Admitted", reason: null, author: "orchestrator", at }),
  encodeEvent({ type: "Labels", labels: { a: "1" }, by: "acct-1", at }),
  encodeEvent({ type: "Terminate", by: "acct-1", at }),
];
const validStates = [
  encodeState({ version: 1, entity } as never),
  encodeState({ version: 2, entity: { ...entity, status: "Admitted" } } as never),
];
const eventMutation = fc.constantFrom(...validEvents).chain(mutationOf);
const stateMutation = fc.constantFrom(...validStates).chain(mutationOf);

/** Every issue of a decode error names a field (a path; `$` for the whole record) and what was expected. */
const namesTheField = (e: DecodeError) =>
  e.issues.length > 0 &&
  e.issues.every((i) => i.path.length > 0 && i.expected.length > 0 && e.message.includes(i.path));

describe("fuzzed decoders", () => {
  it("the valid seeds decode", () => {
    for (const v of validEvents) expect(decodeEvent("m-1", v)).not.toBeInstanceOf(DecodeError);
    for (const v of validStates) expect(decodeState("m-1", v)).not.toBeInstanceOf(DecodeError);
  });

  it("a mutated event or state record never makes its decoder throw, and a DecodeError names each bad field and what it expected", () => {
    fc.assert(
      fc.property(eventMutation, stateMutation, (e, s) => {
        for (const [decode, m] of [
          [decodeEvent, e],
          [decodeState, s],
        ] as const) {
          const result = decode("m-1", m.value);
          if (result instanceof DecodeError)
            expect(namesTheField(result), `${m.how}: ${result.message}`).toBe(true);
        }
      }),
    );
  });

  it("mutated records on the event and state logs, among a quota-bound workload on the memory adapter: each dead-lettered by every consumer with the field named, 0 crashes, 0 lost status changes, 0 double admissions, 0 quota breaches", async () => {
    const runs = 25;
    const samples = fc.sample(
      fc.tuple(
        fc.array(eventMutation, { minLength: 40, maxLength: 40 }),
        fc.array(stateMutation, { minLength: 40, maxLength: 40 }),
      ),
      { numRuns: runs, seed: 20261206 },
    );
    let crashes = 0;
    const failures: string[] = [];
    let injected = 0;
    let stillValid = 0;
    let unnamed = 0;
    let missingLetters = 0;
    const totals = { lost: 0, double: 0, breaches: 0, inconsistent: 0, versions: 0, entities: 0, rounds: 0 };
    for (const [eventMutations, stateMutations] of samples) {
      // Only what does not decode is poison: a mutation that is still a valid record is a real one.
      const pick =
        (ms: readonly { value: string }[], decode: typeof decodeEvent | typeof decodeState) =>
        (round: number, keys: readonly string[]): ProducerRecord[] =>
          ms.slice((round * 4) % ms.length, ((round * 4) % ms.length) + 4).flatMap((m, i) => {
            const key = keys[(round + i) % keys.length]!;
            let bad: boolean;
            try {
              bad = decode(key, m.value) instanceof DecodeError;
            } catch {
              crashes++;
              return [];
            }
            if (!bad) stillValid++;
            return bad ? [{ key, value: m.value }] : [];
          });
      const events: PoisonSource = pick(eventMutations, decodeEvent);
      const state: PoisonSource = pick(stateMutations, decodeState);
      const dead = collectDeadLetters();
      const exit = await Effect.runPromiseExit(
        Effect.scoped(runWithPoison({ entities: 24, events, state, onDeadLetter: dead.hook })).pipe(
          Effect.provide(layerMemory({ seed: 7 })),
        ),
      );
      if (exit._tag === "Failure") {
        crashes++;
        failures.push(Cause.pretty(exit.cause));
        continue;
      }
      const run = exit.value;
      injected += run.injected.events + run.injected.state;
      // Each poison record: one letter from the aggregator (events), or from the sink and the orchestrator (state).
      const expected = run.injected.events + 2 * run.injected.state;
      missingLetters += Math.max(0, expected - dead.letters.length);
      unnamed += dead.letters.filter((l) => !namesTheField(l.error)).length;
      totals.lost += run.lostStatusChanges;
      totals.double += run.doubleAdmissions;
      totals.breaches += run.quotaBreaches;
      totals.inconsistent += run.inconsistent.length;
      totals.versions += run.versions;
      totals.entities += run.entities;
      totals.rounds += run.rounds;
    }
    const name =
      "mutated records on the event and state logs, among a quota-bound workload on the memory adapter: each dead-lettered by every consumer with the field named, 0 crashes, 0 lost status changes, 0 double admissions, 0 quota breaches";
    recordReliability({
      id: "fuzzed-decoder",
      fault:
        "a fuzzed decoder: mutated records (truncated, a field removed or of the wrong type, an unknown field, random text) on the event and state logs",
      backend: "control plane on the memory adapter (aggregator, sink, orchestrator, operator, informer)",
      load: `${runs} runs of ${totals.entities / runs} Models, 3 accounts of 2 slots, a client terminating each admitted one: ${totals.versions} status versions in ${totals.rounds} rounds`,
      injected: `${injected} undecodable records (4 a round on each log; ${stillValid} mutations that still decoded were left out); ${crashes} crashes, ${missingLetters} not dead-lettered, ${unnamed} letters not naming the field`,
      lostStatusChanges: totals.lost,
      doubleAdmissions: totals.double,
      quotaBreaches: totals.breaches,
      command: "pnpm vitest run --project unit packages/runtime/src/testing/fuzzed-decoders.test.ts",
      test: `packages/runtime/src/testing/fuzzed-decoders.test.ts > fuzzed decoders > ${name}`,
    });
    expect(failures.slice(0, 1)).toEqual([]);
    expect(injected).toBeGreaterThan(runs * 10);
    expect({ crashes, missingLetters, unnamed, ...totals, versions: 0, entities: 0, rounds: 0 }).toEqual({
      crashes: 0,
      missingLetters: 0,
      unnamed: 0,
      lost: 0,
      double: 0,
      breaches: 0,
      inconsistent: 0,
      versions: 0,
      entities: 0,
      rounds: 0,
    });
  }, 300_000);
});

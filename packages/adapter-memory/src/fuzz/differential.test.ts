import { type AdmissionRecord, encodeAdmission } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finalStatuses, prepare, runToEnd } from "../simulator/run.js";
import { decodeScenario } from "../simulator/scenario.js";
import { admissionLedger, outcomeDifferences, outcomeOf } from "./differential.js";
import { scenarioArbitrary } from "./scenario.js";

const run = (generated: unknown) => {
  const scenario = decodeScenario(generated, "generated");
  if (!("resources" in scenario)) throw scenario;
  const sim = prepare(scenario, scenario.seed, scenario.faults);
  runToEnd(sim, scenario.until);
  return { final: finalStatuses(sim), timeline: sim.timeline, keyValue: sim.backend.keyValue.entries() };
};

const record: AdmissionRecord = {
  id: "e1",
  account: "alice",
  kind: "Evaluation",
  request: { gpu: 1, cpu: 0, memoryGiB: 0, slots: 1 },
  admittedAt: "1970-01-01T00:00:01.000Z",
  releasedAt: "1970-01-01T00:01:00.000Z",
  resourceDeleted: true,
};
const kv = (...records: AdmissionRecord[]) =>
  new Map(records.map((r) => [`admission/${r.id}`, { value: encodeAdmission(r), version: 1 }]));
const outcome = (...records: AdmissionRecord[]) =>
  outcomeOf({
    final: [{ id: "e1", status: "Terminated", reason: null }],
    timeline: [
      { t: 1000, id: "e1", status: "Admitted" },
      { t: 60000, id: "e1", status: "Terminated" },
    ],
    keyValue: kv(...records),
  });

describe("differential outcomes", () => {
  it("the same generated scenario run twice in memory has no difference (a run is a function of scenario and seed)", () => {
    fc.assert(
      fc.property(scenarioArbitrary({ systems: ["dyff"] }), (generated) => {
        expect(outcomeDifferences(outcomeOf(run(generated)), outcomeOf(run(generated)), ["a", "b"])).toEqual(
          [],
        );
      }),
      { numRuns: 15, seed: 20261206 },
    );
  });

  it("reads the ledger record by record and names each field that differs, with both values", () => {
    expect(admissionLedger(kv(record)).get("e1")).toEqual(record);
    const other = { ...record, account: "bob", releasedAt: null };
    expect(outcomeDifferences(outcome(record), outcome(other), ["memory", "kafka"])).toEqual([
      'e1: ledger account: memory "alice", kafka "bob"',
      'e1: ledger releasedAt: memory "1970-01-01T00:01:00.000Z", kafka null',
    ]);
    expect(outcomeDifferences(outcome(record), outcome(), ["memory", "kafka"])).toEqual([
      `e1: ledger record: memory ${JSON.stringify(record)}, kafka none`,
    ]);
  });

  it("without times, compares whether the quota was released and how often each entity was admitted", () => {
    const later = { ...record, admittedAt: "2026-01-01T00:00:00Z", releasedAt: "2026-01-01T00:00:09Z" };
    expect(outcomeDifferences(outcome(record), outcome(later), ["a", "b"], { times: false })).toEqual([]);
    expect(outcomeDifferences(outcome(record), outcome(later), ["a", "b"])).toHaveLength(2);
    const held = { ...record, releasedAt: null };
    expect(outcomeDifferences(outcome(record), outcome(held), ["a", "b"], { times: false })).toEqual([
      "e1: ledger released: a true, b false",
    ]);
  });
});

import type { ClusterObject, DyffEntity, StateMessage } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import {
  checkAdmittedOnce,
  checkConsistency,
  checkSameAsWithoutFaults,
  checkSequences,
  quotaBreaches,
} from "./invariants.js";
import { makeRecorder } from "./recorder.js";

const at = "2026-01-01T00:00:00.000Z";
const entity = (
  id: string,
  status: string,
  reason: string | null = null,
  kind = "Evaluation",
): DyffEntity => ({
  kind,
  id,
  account: "alice",
  schemaVersion: 0,
  revision: 1,
  creationTime: at,
  lastTransitionTime: at,
  status,
  reason,
  message: null,
  labels: {},
  spec: {},
});
const state = (version: number, e: DyffEntity): StateMessage => ({ version, entity: e });
const doc = (s: StateMessage) => ({ id: s.entity.id, version: s.version, value: JSON.stringify(s.entity) });
const history = (id: string, ...steps: [string, string | null][]) => {
  const recorder = makeRecorder();
  recorder.stateHistory.set(
    id,
    steps.map(([status, reason], i) => state(i + 1, entity(id, status, reason))),
  );
  return recorder;
};
const entry = (id: string, status: string, reason: string | null = null) => ({
  t: 0,
  system: "dyff",
  kind: "Evaluation",
  id,
  status,
  reason,
});

describe("invariants", () => {
  it("consistency holds when view, compacted state and replay agree, and names the id that differs", () => {
    const s = state(2, entity("e1", "Admitted"));
    const same = new Map([["e1", s]]);
    expect(checkConsistency([doc(s)], same, same).held).toBe(true);
    const stale = checkConsistency([doc(state(1, entity("e1", "Created")))], same, same);
    expect(stale.held).toBe(false);
    expect(stale.detail).toMatch(/^e1: the view holds .*"version":1.*, the state log .*"version":2/);
    const replay = checkConsistency([doc(s)], same, new Map());
    expect(replay.detail).toBe(
      `e1: the replay gives nothing, the state log ${JSON.stringify({ version: 2, entity: s.entity })}`,
    );
  });

  it("admitted once: a second entry into Admitted, or a second create on the cluster, breaks it", () => {
    expect(
      checkAdmittedOnce(history("e1", ["Created", null], ["Admitted", null], ["Admitted", "Unverified"]))
        .held,
    ).toBe(true);
    const twice = history("e1", ["Created", null], ["Admitted", null], ["Created", null], ["Admitted", null]);
    expect(checkAdmittedOnce(twice).detail).toBe("e1 entered Admitted 2 times");
    const recorder = makeRecorder();
    recorder.workflowCreates.set("Evaluation/e1", 2);
    expect(checkAdmittedOnce(recorder).detail).toBe("Evaluation/e1 was created 2 times on the cluster");
  });

  it("quota: what unfinished admitted work holds is summed per account; finished work holds nothing", () => {
    const workflow = (name: string, gpu: number): ClusterObject => ({
      kind: "Evaluation",
      name,
      labels: {},
      owner: null,
      spec: { request: { gpu, cpu: 1, memoryGiB: 0, slots: 1 } },
      conditions: [],
      resourceVersion: "1",
    });
    const entities = new Map([
      ["e1", entity("e1", "Admitted")],
      ["e2", entity("e2", "Admitted")],
      ["e3", entity("e3", "Complete")],
    ]);
    const objects = [workflow("e1", 1), workflow("e2", 1), workflow("e3", 4)];
    expect(quotaBreaches(objects, (id) => entities.get(id), { alice: { gpu: 2, slots: 2 } })).toEqual([]);
    expect(
      quotaBreaches(objects, (id) => entities.get(id), { alice: { gpu: 1, cpu: 1.5, slots: 1 } }),
    ).toEqual(["alice held gpu 2 > quota 1", "alice held cpu 2 > quota 1.5", "alice held slots 2 > quota 1"]);
  });

  it("sequences: each version is one step of the machine from the one before, and the view keeps their order", () => {
    const fine = history(
      "e1",
      ["Created", null],
      ["Created", "UnsatisfiedDependency"],
      ["Admitted", null],
      ["Admitted", "Unverified"],
      ["Complete", null],
    );
    expect(
      checkSequences(fine, [entry("e1", "Created"), entry("e1", "Admitted"), entry("e1", "Complete")]).held,
    ).toBe(true);
    const skipped = checkSequences(
      history("e1", ["Created", null], ["Admitted", null], ["Complete", null]),
      [],
    );
    expect(skipped.detail).toMatch(
      /^e1: dyff\/Evaluation: event moveTo\(Complete\) is not allowed in Admitted/,
    );
    const disordered = checkSequences(fine, [entry("e1", "Admitted"), entry("e1", "Created")]);
    expect(disordered.detail).toMatch(
      /^e1: the view showed Created\/null out of the order the state log has/,
    );
    // Problems are listed by each id's first appearance on the timeline, not by when they were seen.
    const two = history("e1", ["Created", null], ["Admitted", null]);
    two.stateHistory.set("e2", [state(1, entity("e2", "Created")), state(2, entity("e2", "Admitted"))]);
    expect(
      checkSequences(two, [
        entry("e1", "Created"),
        entry("e2", "Admitted"),
        entry("e2", "Created"),
        entry("e1", "Admitted"),
        entry("e1", "Created"),
        entry("e1", "Complete"),
      ]).detail,
    ).toBe(
      "e1: the view showed Created/null out of the order the state log has (Created/null -> Admitted/null); " +
        "e2: the view showed Created/null out of the order the state log has (Created/null -> Admitted/null)",
    );
    const gap = makeRecorder();
    gap.stateHistory.set("e1", [state(1, entity("e1", "Created")), state(3, entity("e1", "Admitted"))]);
    expect(checkSequences(gap, []).detail).toBe("e1: version 3 follows 1");
  });

  it("same as without faults: every id that ended otherwise is named, both ways", () => {
    const f = (id: string, status: string, reason: string | null = null) => ({
      system: "dyff",
      kind: "Model",
      id,
      status,
      reason,
    });
    expect(checkSameAsWithoutFaults([f("m1", "Ready")], null).held).toBe(true);
    expect(checkSameAsWithoutFaults([f("m1", "Ready")], [f("m1", "Ready")]).held).toBe(true);
    expect(
      checkSameAsWithoutFaults([f("m1", "Error", "FetchFailed")], [f("m1", "Ready"), f("m2", "Ready")])
        .detail,
    ).toBe(
      "m1 ended Error/FetchFailed with faults, Ready without; m2 ended absent with faults, Ready without",
    );
  });
});

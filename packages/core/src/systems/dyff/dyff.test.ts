import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import type { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { LifecycleEvent } from "../../lifecycle/machine.js";
import { lifecycleLaws } from "../../testing/laws.js";
import { dyff, dyffKinds } from "./index.js";

/** given: events from the initial record; when: one more event; then: the status/reason or a rejection. */
function given(lc: Lifecycle, events: LifecycleEvent[]) {
  const before = lc.replay(events);
  if (before instanceof Error) throw before;
  return {
    when: (event: LifecycleEvent) => {
      const after = lc.step(before, event);
      return {
        thenIs: (status: string, reason: string | null = null) =>
          expect(after).toMatchObject({ status, reason }),
        thenRejected: () => expect(after).toBeInstanceOf(TransitionError),
      };
    },
  };
}

const admittedEval: LifecycleEvent[] = [{ type: "admit" }];
const unverifiedEval: LifecycleEvent[] = [{ type: "admit" }, { type: "verify" }];

describe("Dyff, as the seed tells it", () => {
  it("an Evaluation passes Created -> Admitted -> Admitted/Unverified -> Complete", () => {
    given(dyff.Evaluation, unverifiedEval).when({ type: "succeed" }).thenIs("Complete");
    given(dyff.Evaluation, admittedEval).when({ type: "succeed" }).thenRejected();
  });

  it("InferenceFailed happens in the inference stage, VerificationFailed in the verification stage", () => {
    given(dyff.Evaluation, admittedEval)
      .when({ type: "fail", reason: "InferenceFailed" })
      .thenIs("Failed", "InferenceFailed");
    given(dyff.Evaluation, unverifiedEval).when({ type: "fail", reason: "InferenceFailed" }).thenRejected();
    given(dyff.Evaluation, unverifiedEval)
      .when({ type: "fail", reason: "VerificationFailed" })
      .thenIs("Failed", "VerificationFailed");
    given(dyff.Evaluation, admittedEval).when({ type: "fail", reason: "VerificationFailed" }).thenRejected();
  });

  it("work-failure reasons apply only to their kinds", () => {
    given(dyff.InferenceService, [{ type: "admit" }])
      .when({ type: "fail", reason: "BuildFailed" })
      .thenIs("Error", "BuildFailed");
    given(dyff.Model, [{ type: "admit" }])
      .when({ type: "fail", reason: "BuildFailed" })
      .thenRejected();
    given(dyff.Model, [{ type: "admit" }])
      .when({ type: "fail", reason: "FetchFailed" })
      .thenIs("Error", "FetchFailed");
    given(dyff.DataSource, [{ type: "admit" }])
      .when({ type: "fail", reason: "FetchFailed" })
      .thenIs("Error", "FetchFailed");
    given(dyff.Report, [{ type: "admit" }])
      .when({ type: "fail", reason: "RunFailed" })
      .thenIs("Failed", "RunFailed");
    given(dyff.Evaluation, admittedEval).when({ type: "fail", reason: "RunFailed" }).thenRejected();
  });

  it("Audit, Measurement, SafetyCase and InferenceSession fail their own work with WorkflowFailed, from Admitted only; no other kind has it", () => {
    const generic = ["Audit", "Measurement", "SafetyCase", "InferenceSession"];
    for (const lc of Object.values(dyff) as Lifecycle[]) {
      const failure = lc.spec.family === "job" ? "Failed" : "Error";
      const fail = { type: "fail", reason: "WorkflowFailed" };
      if (generic.includes(lc.kind)) {
        given(lc, [{ type: "admit" }])
          .when(fail)
          .thenIs(failure, "WorkflowFailed");
        given(lc, []).when(fail).thenRejected();
      } else {
        expect(lc.status(failure).reasons).not.toContain("WorkflowFailed");
      }
    }
  });

  it("failure always carries a reason", () => {
    given(dyff.Report, [{ type: "admit" }])
      .when({ type: "fail" })
      .thenRejected();
  });

  it("a Dataset never enters Admitted: it is Ready once uploaded", () => {
    given(dyff.Dataset, []).when({ type: "admit" }).thenRejected();
    given(dyff.Dataset, []).when({ type: "succeed" }).thenIs("Ready");
    expect(Object.keys(dyff.Dataset.spec.statuses)).not.toContain("Admitted");
  });

  it("waiting work shows Created/UnsatisfiedDependency, then Created/QuotaLimit, never back to no reason", () => {
    given(dyff.Evaluation, [])
      .when({ type: "wait", reason: "UnsatisfiedDependency" })
      .thenIs("Created", "UnsatisfiedDependency");
    given(dyff.Evaluation, [{ type: "wait", reason: "UnsatisfiedDependency" }])
      .when({ type: "wait", reason: "QuotaLimit" })
      .thenIs("Created", "QuotaLimit");
    given(dyff.Evaluation, [{ type: "wait", reason: "QuotaLimit" }])
      .when({ type: "wait", reason: "UnsatisfiedDependency" })
      .thenRejected();
    given(dyff.Evaluation, [{ type: "wait", reason: "QuotaLimit" }])
      .when({ type: "admit" })
      .thenIs("Admitted");
  });

  it("Terminated only from a non-terminal status, with TerminateCommand or KubernetesResourceDeleted", () => {
    given(dyff.Evaluation, [])
      .when({ type: "terminate", reason: "TerminateCommand" })
      .thenIs("Terminated", "TerminateCommand");
    given(dyff.Evaluation, admittedEval)
      .when({ type: "terminate", reason: "KubernetesResourceDeleted" })
      .thenIs("Terminated", "KubernetesResourceDeleted");
    given(dyff.Evaluation, [...unverifiedEval, { type: "succeed" }])
      .when({ type: "terminate", reason: "TerminateCommand" })
      .thenRejected();
    given(dyff.Evaluation, [])
      .when({ type: "terminate", reason: "KubernetesResourceDeleted" })
      .thenRejected();
  });

  it("Deleted from every status, with DeleteCommand, and nothing after it", () => {
    for (const lc of Object.values(dyff) as Lifecycle[]) {
      for (const leaf of lc.leaves.filter((l) => l.status !== "Deleted")) {
        expect(
          lc.step({ ...leaf, message: null, lastTransitionTime: null }, { type: "delete" }),
        ).toMatchObject({ status: "Deleted", reason: "DeleteCommand" });
      }
    }
    given(dyff.Model, [{ type: "delete" }])
      .when({ type: "delete" })
      .thenRejected();
  });

  it("job kinds succeed as Complete and fail as Failed; artifact kinds succeed as Ready and fail as Error", () => {
    for (const lc of Object.values(dyff)) {
      const statuses = Object.keys(lc.spec.statuses);
      if (lc.spec.family === "job") expect(statuses).toEqual(expect.arrayContaining(["Complete", "Failed"]));
      else expect(statuses).toEqual(expect.arrayContaining(["Ready", "Error"]));
    }
  });

  it("a duplicate status message is a no-op; a status message that skips a stage is rejected", () => {
    const created = dyff.Evaluation.initial();
    const admitted = dyff.Evaluation.moveTo(created, { status: "Admitted", at: "2026-01-01T00:00:01Z" });
    expect(admitted).toMatchObject({
      status: "Admitted",
      reason: null,
      lastTransitionTime: "2026-01-01T00:00:01Z",
    });
    expect(
      dyff.Evaluation.moveTo(admitted as never, { status: "Admitted", at: "2026-01-01T00:00:02Z" }),
    ).toBe(admitted);
    expect(dyff.Evaluation.moveTo(admitted as never, { status: "Complete" })).toBeInstanceOf(TransitionError);
  });

  it("a TransitionError names the kind, where it was, the event and what was allowed", () => {
    const report: Lifecycle = dyff.Report; // Report has no verify: on the typed lifecycle this does not compile
    const err = report.step(report.initial(), { type: "verify" });
    expect(err).toBeInstanceOf(TransitionError);
    expect(err).toMatchObject({
      kind: "Report",
      status: "Created",
      reason: null,
      event: { type: "verify", reason: null },
    });
    expect((err as TransitionError).allowed.map((a) => a.type)).toEqual(
      expect.arrayContaining(["admit", "wait", "delete"]),
    );
    expect((err as TransitionError).message).toMatch(
      /dyff\/Report: event verify is not allowed in Created; allowed here: .*admit/,
    );
  });

  it("decoding an unknown status or reason names the path, the value and the allowed values", () => {
    const bad = dyff.Evaluation.decodeRecord({
      status: "Running",
      reason: null,
      message: null,
      lastTransitionTime: null,
    });
    expect(bad).toMatchObject({ issues: [{ path: "status", value: "Running" }] });
    expect((bad as Error).message).toMatch(
      /status: got "Running", expected one of Created, Admitted, Complete, Failed, Terminated, Deleted/,
    );
    const reason = dyff.Dataset.decodeRecord({
      status: "Error",
      reason: "InferenceFailed",
      message: null,
      lastTransitionTime: null,
    });
    expect((reason as Error).message).toMatch(
      /reason: got "InferenceFailed", expected one of SchemaError, FailedDependency, AdmissionFailed \(the reasons of Error for Dataset\)/,
    );
  });

  it("entity schemas check the status and reason against their kind, and fill in the spec's defaults", () => {
    const e = {
      kind: "Evaluation",
      id: "e1",
      account: "alice",
      schemaVersion: 0,
      revision: 1,
      creationTime: "2026-01-01T00:00:00Z",
      lastTransitionTime: null,
      status: "Created",
      reason: "QuotaLimit",
      message: null,
      labels: { team: "red" },
      spec: { inferenceSession: { inferenceService: "svc1" }, dataset: "d1" },
    };
    const parsed = dyffKinds.Evaluation.entity.safeParse(e);
    expect(parsed.data?.spec).toEqual({
      inferenceSession: { inferenceService: "svc1", replicas: 1 },
      dataset: "d1",
      resources: { gpu: 0, cpu: 0, memoryGiB: 0 },
    });
    expect(dyffKinds.Evaluation.dependencies(parsed.data!.spec)).toEqual(["svc1", "d1"]);
    expect(dyffKinds.Evaluation.entity.safeParse({ ...e, status: "Ready" }).success).toBe(false);
    expect(
      dyffKinds.Evaluation.entity.safeParse({ ...e, status: "Complete", reason: "QuotaLimit" }).success,
    ).toBe(false);
  });
});

for (const lc of Object.values(dyff))
  lifecycleLaws(lc, { afterTerminal: () => ["Deleted"], final: ["Deleted"] });

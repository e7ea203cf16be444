import { describe, expect, it } from "vitest";
import { lookupIn } from "../../../catalog/catalog.js";
import { Conformance } from "../../../conform/conformance.js";
import { TransitionError } from "../../../lifecycle/errors.js";
import type { Lifecycle } from "../../../lifecycle/lifecycle.js";
import type { LifecycleEvent } from "../../../lifecycle/machine.js";
import { lifecycleLaws } from "../../../testing/laws.js";
import { dyff } from "../index.js";
import { dyffLifecycles, dyffReleased } from "./index.js";

function after(lc: Lifecycle, events: LifecycleEvent[]) {
  const r = lc.replay(events);
  if (r instanceof Error) throw r;
  return r;
}
const reach = (lc: Lifecycle, events: LifecycleEvent[]) => {
  const r = lc.replay(events);
  return r instanceof Error ? "rejected" : `${r.status}/${r.reason ?? "-"}`;
};

describe("Dyff's released vocabulary (dyff-schema 0.46.17)", () => {
  it("the seed vocabulary stays the default; the released one is chosen by name", () => {
    expect(dyffLifecycles()).toBe(dyff);
    expect(dyffLifecycles("seed")).toBe(dyff);
    expect(dyffLifecycles("released")).toBe(dyffReleased);
    expect(dyff.Evaluation.leafOf("Admitted", "Restarted")).toBeUndefined();
    expect(dyffReleased.Evaluation.leafOf("Admitted", "Restarted")).toBeDefined();
  });

  it("every history the seed allows, the released vocabulary allows too (but InferenceSession's Ready)", () => {
    for (const [kind, seedLc] of Object.entries(dyff)) {
      const rel = (dyffReleased as Record<string, Lifecycle>)[kind]!;
      seedLc.leaves.forEach((from, li) => {
        seedLc.events.forEach((ev, ei) => {
          const to = seedLc.table[li * seedLc.events.length + ei]!;
          if (to < 0 || (seedLc.leaves[to]!.status === "Ready" && kind === "InferenceSession")) return;
          if (from.status === "Ready" && kind === "InferenceSession") return;
          const r = rel.step({ ...from, message: null, lastTransitionTime: null }, ev);
          expect(r, `${kind} ${from.status}/${from.reason} ${ev.type}(${ev.reason})`).toMatchObject(
            seedLc.leaves[to]!,
          );
        });
      });
    }
  });

  it("Schedulable sits between Created and Admitted for computational kinds only", () => {
    expect(reach(dyffReleased.Evaluation, [{ type: "schedule" }, { type: "admit" }])).toBe("Admitted/-");
    expect(
      reach(dyffReleased.Evaluation, [{ type: "wait", reason: "QuotaLimit" }, { type: "schedule" }]),
    ).toBe("Schedulable/-");
    expect(reach(dyffReleased.Module, [{ type: "schedule" }])).toBe("rejected");
    expect(reach(dyffReleased.Evaluation, [{ type: "schedule" }, { type: "succeed" }])).toBe("rejected");
  });

  it("Interrupted ends running work only; Expired ends any unfinished work", () => {
    expect(reach(dyffReleased.Model, [{ type: "admit" }, { type: "interrupt" }])).toBe(
      "Terminated/Interrupted",
    );
    expect(reach(dyffReleased.Model, [{ type: "interrupt" }])).toBe("rejected");
    expect(reach(dyffReleased.Model, [{ type: "expire" }])).toBe("Terminated/Expired");
    expect(reach(dyffReleased.Module, [{ type: "expire" }])).toBe("Terminated/Expired");
    expect(reach(dyffReleased.Model, [{ type: "admit" }, { type: "succeed" }, { type: "expire" }])).toBe(
      "rejected",
    );
  });

  it("an Evaluation found Incomplete restarts inference, then verifies again or fails verification", () => {
    const incomplete: LifecycleEvent[] = [{ type: "admit" }, { type: "verify" }, { type: "incomplete" }];
    expect(reach(dyffReleased.Evaluation, incomplete)).toBe("Admitted/Incomplete");
    expect(reach(dyffReleased.Evaluation, [...incomplete, { type: "restart" }, { type: "verify" }])).toBe(
      "Admitted/Unverified",
    );
    expect(
      reach(dyffReleased.Evaluation, [...incomplete, { type: "fail", reason: "VerificationFailed" }]),
    ).toBe("Failed/VerificationFailed");
    expect(reach(dyffReleased.Evaluation, [...incomplete, { type: "succeed" }])).toBe("rejected");
    expect(
      reach(dyffReleased.Evaluation, [
        { type: "admit" },
        { type: "restart" },
        { type: "fail", reason: "InferenceFailed" },
      ]),
    ).toBe("Failed/InferenceFailed");
  });

  it("a named dependency: waiting for it, then the quota; failing when it does not exist", () => {
    expect(reach(dyffReleased.Dataset, [{ type: "wait", reason: "WaitingForDataSource" }])).toBe(
      "Created/WaitingForDataSource",
    );
    expect(
      reach(dyffReleased.Dataset, [
        { type: "wait", reason: "WaitingForDataSource" },
        { type: "wait", reason: "QuotaLimit" },
      ]),
    ).toBe("Created/QuotaLimit");
    expect(reach(dyffReleased.InferenceService, [{ type: "fail", reason: "NoSuchModel" }])).toBe(
      "Error/NoSuchModel",
    );
    expect(reach(dyffReleased.Report, [{ type: "fail", reason: "NoSuchEvaluation" }])).toBe(
      "Failed/NoSuchEvaluation",
    );
    expect(reach(dyffReleased.Report, [{ type: "wait", reason: "WaitingForModel" }])).toBe("rejected");
  });

  it("a Dataset may be ingested (Admitted, IngestFailed) or uploaded (Created -> Ready)", () => {
    expect(reach(dyffReleased.Dataset, [{ type: "admit" }, { type: "succeed" }])).toBe("Ready/-");
    expect(reach(dyffReleased.Dataset, [{ type: "succeed" }])).toBe("Ready/-");
    expect(reach(dyffReleased.Dataset, [{ type: "admit" }, { type: "fail", reason: "IngestFailed" }])).toBe(
      "Error/IngestFailed",
    );
  });

  it("an InferenceSession has no Ready: it serves Admitted until terminated or SessionExpired", () => {
    expect(dyffReleased.InferenceSession.spec.statuses).not.toHaveProperty("Ready");
    expect(reach(dyffReleased.InferenceSession, [{ type: "admit" }, { type: "succeed" }])).toBe("rejected");
    expect(reach(dyffReleased.InferenceSession, [{ type: "admit" }, { type: "expire" }])).toBe(
      "Terminated/SessionExpired",
    );
    expect(
      reach(dyffReleased.InferenceSession, [
        { type: "admit" },
        { type: "terminate", reason: "TerminateCommand" },
      ]),
    ).toBe("Terminated/TerminateCommand");
  });

  it("a Team waits for approval; an administrator may approve or deny, and change the decision", () => {
    expect(dyffReleased.Team.initial().status).toBe("WaitingForApproval");
    expect(reach(dyffReleased.Team, [{ type: "approve" }])).toBe("Active/-");
    expect(reach(dyffReleased.Team, [{ type: "deny" }, { type: "approve" }])).toBe("Active/-");
    expect(reach(dyffReleased.Team, [{ type: "approve" }, { type: "approve" }])).toBe("rejected");
  });

  it("an Account is suspended and reactivated, each with its command as the reason", () => {
    expect(reach(dyffReleased.Account, [{ type: "suspend" }])).toBe("Suspended/SuspendCommand");
    expect(reach(dyffReleased.Account, [{ type: "suspend" }, { type: "reactivate" }])).toBe(
      "Active/ReactivateCommand",
    );
    expect(reach(dyffReleased.Account, [{ type: "delete" }])).toBe("rejected");
  });

  it("a Submission ends Approved or Denied, and nothing but Deleted follows", () => {
    const approved = after(dyffReleased.Submission, [{ type: "approve" }]);
    expect(approved.status).toBe("Approved");
    expect(dyffReleased.Submission.step(approved, { type: "deny" })).toBeInstanceOf(TransitionError);
    expect(reach(dyffReleased.Submission, [{ type: "deny" }, { type: "delete" }])).toBe(
      "Deleted/DeleteCommand",
    );
  });

  it("Conformance judges against the vocabulary it is given", () => {
    const violations = (v: ReturnType<Conformance["observe"]>) => {
      if (v instanceof Error) throw v;
      return v.violations;
    };
    const obs = (status: string, reason: string | null) => ({
      system: "dyff",
      kind: "Evaluation",
      id: "e1",
      status,
      reason,
      at: null,
    });
    const seed = new Conformance();
    seed.observe(obs("Created", null));
    expect(violations(seed.observe(obs("Schedulable", null))).length).toBeGreaterThan(0);
    const released = new Conformance(lookupIn("released"));
    released.observe(obs("Created", null));
    expect(violations(released.observe(obs("Schedulable", null)))).toEqual([]);
    expect(violations(released.observe(obs("Admitted", "Restarted")))).toEqual([]);
  });
});

for (const lc of Object.values(dyffReleased) as Lifecycle[])
  lifecycleLaws(lc, {
    afterTerminal: () => ["Deleted"],
    final: lc.kind === "Account" ? [] : ["Deleted"],
  });

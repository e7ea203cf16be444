import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalog } from "../../catalog/catalog.js";
import { TransitionError } from "../../lifecycle/errors.js";
import type { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { LifecycleEvent } from "../../lifecycle/machine.js";
import { specJson } from "../../spec/json.js";
import { lifecycleLaws } from "../../testing/laws.js";
import { raySystem } from "./index.js";
import {
  deriveRayWorkflowStatus,
  type RayExecutorState,
  rayStoredWorkflowStatus,
  rayWorkflowLifecycle,
  rayWorkflowStatus,
  storableRayWorkflowStatus,
} from "./workflow.js";

const lc = rayWorkflowLifecycle as unknown as Lifecycle;

function given(events: LifecycleEvent[]) {
  const before = lc.replay(events);
  if (before instanceof Error) throw before;
  return {
    when: (event: LifecycleEvent) => {
      const after = lc.step(before, event);
      return {
        thenIs: (status: string) => expect(after).toMatchObject({ status, reason: null }),
        thenRejected: () => expect(after).toBeInstanceOf(TransitionError),
      };
    },
  };
}

const running: LifecycleEvent[] = [{ type: "submit" }];
const pending: LifecycleEvent[] = [{ type: "enqueue" }];
const failed: LifecycleEvent[] = [...running, { type: "fail" }];
const resumable: LifecycleEvent[] = [...running, { type: "systemFailure" }];

describe("Ray Workflow, as the seed and Ray's workflow_access.py tell it", () => {
  it("a submitted workflow runs when a slot is free and is queued as PENDING otherwise", () => {
    given([]).when({ type: "submit" }).thenIs("RUNNING");
    given([]).when({ type: "enqueue" }).thenIs("PENDING");
    given(pending).when({ type: "promote" }).thenIs("RUNNING");
    given(pending).when({ type: "succeed" }).thenRejected();
  });

  it("a running workflow ends SUCCESSFUL or FAILED; SUCCESSFUL and CANCELED accept nothing more", () => {
    given(running).when({ type: "succeed" }).thenIs("SUCCESSFUL");
    given(running).when({ type: "fail" }).thenIs("FAILED");
    for (const event of lc.events) {
      given([...running, { type: "succeed" }])
        .when(event)
        .thenRejected();
      given([...running, { type: "cancel" }])
        .when(event)
        .thenRejected();
    }
  });

  it("FAILED (application error) and RESUMABLE (system error) resume into RUNNING or PENDING", () => {
    for (const before of [failed, resumable]) {
      given(before).when({ type: "resume" }).thenIs("RUNNING");
      given(before).when({ type: "resumeQueued" }).thenIs("PENDING");
      given(before).when({ type: "cancel" }).thenIs("CANCELED");
      given(before).when({ type: "succeed" }).thenRejected();
    }
  });

  it("a system failure turns RUNNING or PENDING into RESUMABLE, and nothing else", () => {
    given(running).when({ type: "systemFailure" }).thenIs("RESUMABLE");
    given(pending).when({ type: "systemFailure" }).thenIs("RESUMABLE");
    given(failed).when({ type: "systemFailure" }).thenRejected();
    given([]).when({ type: "systemFailure" }).thenRejected();
  });

  it("from FAILED and RESUMABLE, only resume and resumeQueued lead to RUNNING or PENDING", () => {
    for (const status of ["FAILED", "RESUMABLE"]) {
      for (const event of lc.allowed(status, null)) {
        const next = lc.step({ status, reason: null, message: null, lastTransitionTime: null }, event);
        if (next instanceof Error) throw next;
        if (next.status === "RUNNING" || next.status === "PENDING")
          expect(["resume", "resumeQueued"]).toContain(event.type);
      }
    }
  });

  it("the only edge into RESUMABLE in the compiled table is systemFailure", () => {
    const into = lc.leaves.flatMap((from, li) =>
      lc.events.flatMap((event, ei) => {
        const to = lc.table[li * lc.events.length + ei]!;
        return to >= 0 && lc.leaves[to]!.status === "RESUMABLE" && from.status !== "RESUMABLE"
          ? [event.type]
          : [];
      }),
    );
    expect(new Set(into)).toEqual(new Set(["systemFailure"]));
  });

  it("the stored and resumable columns mark RESUMABLE as derived and FAILED/RESUMABLE as resumable", () => {
    const columns = Object.fromEntries(
      Object.entries(lc.spec.statuses).map(([name, st]) => [name, st.columns]),
    );
    expect(Object.keys(columns).filter((s) => columns[s]?.stored === false)).toEqual(["NONE", "RESUMABLE"]);
    expect(Object.keys(columns).filter((s) => columns[s]?.resumable === true)).toEqual([
      "FAILED",
      "RESUMABLE",
    ]);
    expect(rayStoredWorkflowStatus.options).toEqual(Object.keys(columns).filter((s) => columns[s]?.stored));
  });
});

describe("deriveRayWorkflowStatus: the one derivation get_status, get_metadata and list_all share", () => {
  const executors: RayExecutorState[] = ["RUNNING", "PENDING", null];

  it("a live executor wins; without one, stored RUNNING or PENDING reads RESUMABLE and the rest read as stored", () => {
    for (const stored of rayStoredWorkflowStatus.options) {
      expect(deriveRayWorkflowStatus(stored, "RUNNING")).toBe("RUNNING");
      expect(deriveRayWorkflowStatus(stored, "PENDING")).toBe("PENDING");
      expect(deriveRayWorkflowStatus(stored, null)).toBe(
        stored === "RUNNING" || stored === "PENDING" ? "RESUMABLE" : stored,
      );
    }
  });

  it("the derived status is RESUMABLE exactly when no executor is live and the stored status is non-terminating", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...rayStoredWorkflowStatus.options),
        fc.constantFrom(...executors),
        (s, e) => {
          const derived = deriveRayWorkflowStatus(s, e);
          expect(derived === "RESUMABLE").toBe(e === null && (s === "RUNNING" || s === "PENDING"));
          expect(derived).not.toBe("NONE");
        },
      ),
    );
  });

  it("NONE and RESUMABLE are not storable, and a stored RESUMABLE does not decode", () => {
    expect(storableRayWorkflowStatus("RESUMABLE")).toBeNull();
    expect(storableRayWorkflowStatus("NONE")).toBeNull();
    expect(storableRayWorkflowStatus("FAILED")).toBe("FAILED");
    expect(rayStoredWorkflowStatus.safeParse("RESUMABLE").success).toBe(false);
  });
});

describe("the ray system in the catalog", () => {
  it("registers kinds Workflow and Step, with the JSON contract every system has", () => {
    expect(catalog.systemNames).toContain("ray");
    expect(catalog.lifecycle("ray", "Workflow")).toBe(rayWorkflowLifecycle);
    const [json] = specJson([raySystem]).systems;
    expect(json?.kinds.map((k) => k.name)).toEqual(["Workflow", "Step"]);
    expect(json?.kinds[0]?.statuses.find((s) => s.name === "RESUMABLE")).toMatchObject({
      terminal: true,
      outcome: "failure",
      stored: false,
      resumable: true,
    });
    expect(json?.choices.length).toBeGreaterThan(0);
    expect(json?.differences.join(" ")).toMatch(/33633.*41980/);
  });
});

lifecycleLaws(lc, {
  afterTerminal: (s) => (s === "FAILED" || s === "RESUMABLE" ? ["RUNNING", "PENDING", "CANCELED"] : []),
  final: ["SUCCESSFUL", "CANCELED"],
});

describe("where each workflow status comes from", () => {
  it("the seed's five statuses are marked seed; NONE and PENDING come from ray 2.47.1's WorkflowStatus", () => {
    const sources = Object.fromEntries(
      rayWorkflowStatus.options.map((s) => [s, rayWorkflowLifecycle.status(s).columns?.source]),
    );
    expect(sources).toEqual({
      NONE: "ray 2.47.1",
      PENDING: "ray 2.47.1",
      RUNNING: "seed",
      SUCCESSFUL: "seed",
      FAILED: "seed",
      RESUMABLE: "seed",
      CANCELED: "seed",
    });
  });
});

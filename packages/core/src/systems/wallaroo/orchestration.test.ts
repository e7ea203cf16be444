import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError, TransitionError } from "../../lifecycle/errors.js";
import { arbitraryPath } from "../../testing/arbitraries.js";
import { lifecycleLaws } from "../../testing/laws.js";
import {
  wallarooOrchestration as lc,
  requireReadyOrchestration,
  type WallarooOrchestrationStatus,
  wallarooOrchestrationSchema,
  wallarooOrchestrationStatuses,
} from "./orchestration.js";

const ready = [{ type: "upload" }, { type: "startPackaging" }, { type: "packaged" }] as const;

describe("Wallaroo Orchestration", () => {
  it("starts uninitialized and passes pending_packaging -> packaging -> ready", () => {
    expect(lc.initial().status).toBe("uninitialized");
    const statuses: string[] = [];
    let record = lc.initial();
    for (const e of ready) {
      record = lc.stepOrThrow(record, e);
      statuses.push(record.status);
    }
    expect(statuses).toEqual(["pending_packaging", "packaging", "ready"]);
  });

  it("packaging can fail from pending_packaging or packaging, and error is final", () => {
    expect(lc.replay([{ type: "upload" }, { type: "packagingFailed" }])).toMatchObject({ status: "error" });
    expect(
      lc.replay([{ type: "upload" }, { type: "startPackaging" }, { type: "packagingFailed" }]),
    ).toMatchObject({
      status: "error",
    });
    expect(lc.allowed("error", null)).toEqual([]);
    expect(lc.allowed("ready", null)).toEqual([]);
  });

  it("packaging cannot be skipped: pending_packaging -> ready is refused", () => {
    const pending = lc.replay([{ type: "upload" }]);
    expect(lc.step(pending as never, { type: "packaged" })).toBeInstanceOf(TransitionError);
  });

  it("its statuses are the SDK's OrchestrationStatus values, with the Dashboard's Active/Inactive/Error", () => {
    expect([...wallarooOrchestrationStatuses].sort()).toEqual(
      ["error", "packaging", "pending_packaging", "ready", "uninitialized"].sort(),
    );
    expect(lc.status("ready").columns).toEqual({ dashboard: "Active", tasksAllowed: true });
    expect(lc.status("error").columns?.dashboard).toBe("Error");
    expect(lc.status("packaging").columns?.dashboard).toBe("Inactive");
  });

  it("a task can be created only from a ready orchestration, on every path through the machine", () => {
    fc.assert(
      fc.property(arbitraryPath(lc), ({ records }) => {
        for (const { status } of records) {
          const r = { status: status as WallarooOrchestrationStatus };
          const result = requireReadyOrchestration({ id: "o1", status: r.status });
          expect(result instanceof DecodeError).toBe(r.status !== "ready");
          expect(lc.status(r.status).columns?.tasksAllowed).toBe(r.status === "ready");
        }
      }),
    );
  });

  it("the not-ready error names the orchestration, its status and ready", () => {
    const err = requireReadyOrchestration({ id: "d9fa4b3b", status: "packaging" }) as DecodeError;
    expect(err.issues).toEqual([
      {
        path: "orchestration.status",
        value: "packaging",
        expected: "ready (tasks can be created only from a ready orchestration)",
      },
    ]);
    expect(err.message).toMatch(/d9fa4b3b/);
  });

  it("decodes the seed's listed orchestration and names a bad workspace id", () => {
    const row = {
      id: "d9fa4b3b-d4bf-4e45-8c1a-a4318e0869c1",
      name: null,
      fileName: "remote_inference.zip",
      sha: "d8419b".padEnd(64, "0"),
      createdAt: "2024-07-16T19:01:58Z",
      updatedAt: "2024-07-16T19:03:00Z",
      workspaceId: 28,
      workspaceName: "simpleorchestrationworkspace",
      status: "ready",
      reason: null,
      message: null,
      lastTransitionTime: "2024-07-16T19:03:00Z",
    };
    expect(wallarooOrchestrationSchema.safeParse(row).success).toBe(true);
    expect(wallarooOrchestrationSchema.safeParse({ ...row, workspaceId: "28" }).success).toBe(false);
  });
});

lifecycleLaws(lc, { final: ["ready", "error"] });

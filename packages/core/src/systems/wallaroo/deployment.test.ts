import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import { arbitraryPath } from "../../testing/arbitraries.js";
import { lifecycleLaws } from "../../testing/laws.js";
import {
  wallarooDeployment as lc,
  wallarooDeploymentReasons,
  wallarooDeploymentStatuses,
  wallarooPipelineStatusText,
} from "./deployment.js";

describe("Wallaroo Deployment", () => {
  it("its statuses are the SDK's StatusGetDeploymentResponse200Status values plus Undeployed", () => {
    expect(wallarooDeploymentStatuses.filter((s) => s !== "Undeployed").sort()).toEqual([
      "Error",
      "Running",
      "Starting",
    ]);
    expect(lc.initial().status).toBe("Undeployed");
  });

  it("given a deploy, when the first replica is ready, then it is Running", () => {
    const deployed = lc.stepOrThrow(lc.initial(), { type: "deploy" });
    expect([deployed.status, deployed.reason]).toEqual(["Starting", "Deploying"]);
    expect(lc.stepOrThrow(deployed, { type: "replicaReady" })).toMatchObject({
      status: "Running",
      reason: null,
    });
  });

  it("scales to zero when idle, wakes on a request, and is Running again once a replica is ready", () => {
    const path = lc.replay([
      { type: "deploy" },
      { type: "replicaReady" },
      { type: "scaleToZero" },
      { type: "wake" },
      { type: "replicaReady" },
    ]);
    expect(path).toMatchObject({ status: "Running" });
    const idle = lc.replay([{ type: "deploy" }, { type: "replicaReady" }, { type: "scaleToZero" }]);
    expect(idle).toMatchObject({ status: "Starting", reason: "ScaledToZero" });
    expect(lc.replay([{ type: "wake" }], idle as never)).toMatchObject({
      status: "Starting",
      reason: "WakingUp",
    });
  });

  it("a deployment that is still spooling up or serving cannot be woken (only ScaledToZero wakes)", () => {
    const deploying = lc.replay([{ type: "deploy" }]) as never;
    expect(lc.step(deploying, { type: "wake" })).toBeInstanceOf(TransitionError);
    const running = lc.replay([{ type: "deploy" }, { type: "replicaReady" }]) as never;
    expect(lc.step(running, { type: "wake" })).toBeInstanceOf(TransitionError);
  });

  it("Error carries why, recovers when a replica is ready, and can be redeployed or undeployed", () => {
    const failed = lc.replay([{ type: "deploy" }, { type: "engineFailure", reason: "Unschedulable" }]);
    expect(failed).toMatchObject({ status: "Error", reason: "Unschedulable" });
    expect(lc.step(failed as never, { type: "engineFailure" })).toBeInstanceOf(TransitionError);
    expect(lc.replay([{ type: "replicaReady" }], failed as never)).toMatchObject({ status: "Running" });
    expect(lc.replay([{ type: "deploy" }], failed as never)).toMatchObject({
      status: "Starting",
      reason: "Deploying",
    });
    expect(lc.replay([{ type: "undeploy" }], failed as never)).toMatchObject({ status: "Undeployed" });
  });

  it("undeploy is refused when nothing is deployed, and deploy when a deployment exists", () => {
    expect(lc.step(lc.initial(), { type: "undeploy" })).toBeInstanceOf(TransitionError);
    const running = lc.replay([{ type: "deploy" }, { type: "replicaReady" }]) as never;
    const refused = lc.step(running, { type: "deploy" }) as TransitionError;
    expect(refused).toBeInstanceOf(TransitionError);
    expect(refused.allowed.map((e) => e.type)).toContain("undeploy");
  });

  it("Starting and Error always say why; Running and Undeployed never carry a reason", () => {
    fc.assert(
      fc.property(arbitraryPath(lc), ({ records }) => {
        for (const r of records) {
          if (r.status === "Starting" || r.status === "Error")
            expect(wallarooDeploymentReasons).toContain(r.reason);
          else expect(r.reason).toBeNull();
        }
      }),
    );
  });

  it("pipeline.status()['status'] is the status, or the SDK's sentence when not deployed", () => {
    expect(wallarooPipelineStatusText({ status: "Undeployed" }, "ccfraud")).toBe(
      "Pipeline ccfraud is not deployed",
    );
    for (const status of ["Starting", "Running", "Error"] as const)
      expect(wallarooPipelineStatusText({ status }, "ccfraud")).toBe(status);
  });
});

lifecycleLaws(lc);

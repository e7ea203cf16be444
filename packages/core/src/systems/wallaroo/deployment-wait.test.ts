import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import { decodeWallarooDeploymentConfig, type WallarooDeploymentConfig } from "./deployment-config.js";
import {
  deployWallarooPipeline,
  failWallarooDeployment,
  undeployWallarooPipeline,
} from "./deployment-model.js";
import { type WallarooDeploymentStep, wallarooUndeployed } from "./deployment-state.js";
import { waitForWallarooDeployment, wallarooWaitPoll } from "./deployment-wait.js";

const config = (input: object = {}) => decodeWallarooDeploymentConfig(input) as WallarooDeploymentConfig;
const ok = (r: WallarooDeploymentStep | TransitionError) => {
  if (r instanceof TransitionError) throw r;
  return r.state;
};
const deployed = (spoolUpMs: number, input: object = {}) =>
  ok(deployWallarooPipeline(wallarooUndeployed(), 0, { config: config(input), spoolUpMs }));

describe("wait_for_running and wait_for_undeployed (wallaroo 2026.1.3 deployment.py)", () => {
  it("wait_for_running returns at the first whole-second poll that sees Running", () => {
    const r = waitForWallarooDeployment(deployed(12_500), 0, "running");
    expect(r.outcome).toEqual({ done: true, ok: true, at: 13_000 });
    expect(r.state.record.status).toBe("Running");
  });

  it("a deployment still Starting after the timeout (45 s by default) raises WaitForDeployError", () => {
    const r = waitForWallarooDeployment(deployed(60_000), 0, "running");
    expect(r.outcome).toMatchObject({ ok: false, at: 45_000, error: "WaitForDeployError" });
    expect((r.outcome as { message: string }).message).toMatch(/^Deployment failed. See status for details./);
    expect(waitForWallarooDeployment(deployed(60_000), 0, "running", 90).outcome).toMatchObject({
      ok: true,
      at: 60_000,
    });
  });

  it("an Unschedulable deployment gives the SDK's insufficient-resources message; minimum = maximum = 0 never runs", () => {
    const failed = ok(failWallarooDeployment(deployed(60_000, { cpus: 4 }), 1_000, "Unschedulable"));
    const r = waitForWallarooDeployment(failed, 1_000, "running");
    expect((r.outcome as { message: string }).message).toMatch(
      /^Cannot deploy pipeline due to insufficient resources. Your pipeline needs 4 units of CPU to run/,
    );
    const zero = waitForWallarooDeployment(deployed(1_000, { minimum: 0, maximum: 0 }), 0, "running");
    expect(zero.outcome).toMatchObject({ ok: false, error: "WaitForDeployError" });
  });

  it("wait_for_undeployed returns at once after undeploy; waiting for an undeployment that never comes raises WaitForError", () => {
    const gone = ok(undeployWallarooPipeline(deployed(1_000), 5_000));
    expect(waitForWallarooDeployment(gone, 5_000, "undeployed").outcome).toEqual({
      done: true,
      ok: true,
      at: 5_000,
    });
    expect(waitForWallarooDeployment(deployed(1_000), 0, "undeployed").outcome).toMatchObject({
      ok: false,
      at: 45_000,
      error: "WaitForError",
      message: "Undeployment failed. See status for details.",
    });
  });

  it("property: a wait polls at start + whole seconds, and gives up exactly when the timeout has passed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.nat(200), (timeout, k) => {
        const now = k * 1000;
        const poll = wallarooWaitPoll(
          "running",
          { status: "Starting", reason: "Deploying" },
          0,
          now,
          timeout,
        );
        if (now + 1000 < timeout * 1000) expect(poll).toEqual({ done: false, nextPollAt: now + 1000 });
        else expect(poll).toMatchObject({ done: true, ok: false, at: now + 1000 });
      }),
    );
  });
});

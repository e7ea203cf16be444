import { getRayStatus } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { RayEngine } from "./engine.js";
import { rayInvariants } from "./invariants.js";
import { type RayWorkflowSpec, raySection, rayWorkflow } from "./scenario.js";

/** Given queue limits, when workflows run and events happen, then Ray shows these statuses and metadata. */

const engine = (limits: object = {}) => new RayEngine(raySection.parse(limits));
const wf = (id: string, steps: object[], extra: object = {}): RayWorkflowSpec =>
  rayWorkflow.parse({ system: "ray", kind: "Workflow", id, steps, ...extra });
const statuses = (e: RayEngine, id: string) => e.timeline.filter((x) => x.id === id).map((x) => x.status);
const stats = (e: RayEngine, id: string, step?: string) =>
  (step === undefined ? e.metadata(id) : e.metadata(id, step)) as {
    stats: { start_time?: number; end_time?: number };
  };
const held = (e: RayEngine) => rayInvariants(e).filter((i) => !i.held);

describe("the Ray engine", () => {
  it("a step that raises fewer times than max_retries is retried within one RUNNING period and succeeds (retry_exceptions)", () => {
    const e = engine();
    e.run(wf("w", [{ name: "s", takes: "1m", raises: 2, options: { retry_exceptions: true } }]));
    e.advanceTo(3_600_000);
    expect(statuses(e, "w")).toEqual(["RUNNING", "SUCCESSFUL"]);
    expect(statuses(e, "w/s")).toEqual(["RUNNING", "SUCCESSFUL"]);
    expect(stats(e, "w", "s").stats).toEqual({ start_time: 1767225600, end_time: 1767225600 + 180 });
    expect(held(e)).toEqual([]);
  });

  it("Ray 2.x by default: an application error is not retried without retry_exceptions; 1.x retries every raise", () => {
    const two = engine();
    two.run(wf("w", [{ name: "s", takes: "1m", raises: 2 }]));
    two.advanceTo(3_600_000);
    expect(statuses(two, "w")).toEqual(["RUNNING", "FAILED"]);
    expect(two.notes.map((n) => n.text)).toContain(
      "step s raised: an application error is not retried without retry_exceptions (Ray 2.x): the workflow fails",
    );
    const one = engine({ retrySemantics: "1.x" });
    one.run(wf("w", [{ name: "s", takes: "1m", raises: 2 }]));
    one.advanceTo(3_600_000);
    expect(statuses(one, "w")).toEqual(["RUNNING", "SUCCESSFUL"]);
    expect(() => engine({ retrySemantics: "3.x" })).toThrow();
  });

  it("retries spent: the step and the workflow are FAILED, the failed step has no end_time; catch_exceptions succeeds instead", () => {
    for (const retrySemantics of ["2.x", "1.x"]) {
      const e = engine({ retrySemantics });
      const retry = (max: number) => ({ max_retries: max, retry_exceptions: true });
      e.run(wf("fails", [{ name: "s", raises: 9, options: retry(1) }]));
      e.run(wf("caught", [{ name: "s", raises: 9, options: { max_retries: 0, catch_exceptions: true } }]));
      e.run(wf("forever", [{ name: "s", raises: 9, options: retry(-1) }]));
      e.advanceTo(60_000);
      expect(statuses(e, "fails")).toEqual(["RUNNING", "FAILED"]);
      expect(stats(e, "fails", "s").stats).not.toHaveProperty("end_time");
      expect(statuses(e, "caught")).toEqual(["RUNNING", "SUCCESSFUL"]);
      // max_retries -1: 1.x retries without end; 2.x compares `retries < -1` and retries nothing.
      if (retrySemantics === "1.x") {
        expect(statuses(e, "forever")).toEqual(["RUNNING", "SUCCESSFUL"]);
        expect(stats(e, "forever").stats.end_time).toBe(1767225600 + 10);
      } else expect(statuses(e, "forever")).toEqual(["RUNNING", "FAILED"]);
    }
  });

  it("resume_all after a restart resumes the formerly running workflow first, so it takes the running slot", () => {
    const e = engine({ maxRunning: 1 });
    e.run(wf("pending-first", [{ name: "s", takes: "1m" }]));
    e.run(wf("b", [{ name: "s", takes: "1m" }]));
    e.run(wf("c", [{ name: "s", takes: "1m" }]));
    e.advanceTo(30_000);
    e.restartCluster();
    e.resume("pending-first"); // runs again; b and c stay RESUMABLE
    e.advanceTo(120_000); // pending-first done
    e.run(wf("d", [{ name: "s", takes: "10m" }]));
    e.restartCluster(); // d was running: RESUMABLE, stored RUNNING; b, c were stored PENDING
    e.resumeAll();
    expect(e.notes.at(-1)?.text).toBe("resume_all: d RUNNING, b PENDING, c PENDING");
    expect(held(e)).toEqual([]);
  });

  it("the queue: FIFO promotion when a run ends, a full queue refuses, a queued workflow is not canceled (Ray 2.47)", () => {
    const e = engine({ maxRunning: 1, maxPending: 2 });
    e.run(wf("a", [{ name: "s", takes: "1m" }]));
    e.run(wf("b", [{ name: "s", takes: "1m" }]));
    e.run(wf("c", [{ name: "s", takes: "1m" }]));
    e.run(wf("d", [{ name: "s" }]));
    expect(e.notes.map((n) => n.id)).toContain("d");
    e.cancel("b");
    expect(getRayStatus(e.state, "a")).toBe("RUNNING");
    expect(e.notes.at(-1)?.text).toMatch(/^cancel of a queued workflow does nothing/);
    e.advanceTo(60_000);
    expect(statuses(e, "b")).toEqual(["PENDING", "RUNNING"]);
    expect(statuses(e, "c")).toEqual(["PENDING"]);
    e.advanceTo(180_000);
    expect(statuses(e, "b")).toEqual(["PENDING", "RUNNING", "SUCCESSFUL"]);
    expect(statuses(e, "c")).toEqual(["PENDING", "RUNNING", "SUCCESSFUL"]);
    expect(statuses(e, "d")).toEqual([]);
    expect(held(e)).toEqual([]);
  });

  it("a cluster restart makes running and queued workflows RESUMABLE without writing it; resume reruns only unfinished steps", () => {
    const e = engine({ maxRunning: 1 });
    e.run(
      wf(
        "a",
        [
          { name: "one", takes: "1m" },
          { name: "two", takes: "1m" },
        ],
        { metadata: { k: "v" } },
      ),
    );
    e.run(wf("b", [{ name: "x" }]));
    e.advanceTo(90_000);
    e.restartCluster();
    expect([getRayStatus(e.state, "a"), getRayStatus(e.state, "b")]).toEqual(["RESUMABLE", "RESUMABLE"]);
    expect([e.state.storage.get("a")!.record.status, e.state.storage.get("b")!.record.status]).toEqual([
      "RUNNING",
      "PENDING",
    ]);
    const before = stats(e, "a").stats.start_time!;
    e.advanceTo(120_000);
    e.resume("b");
    e.resume("a");
    e.advanceTo(600_000);
    expect(statuses(e, "a/one")).toEqual(["RUNNING", "SUCCESSFUL"]);
    expect(statuses(e, "a/two")).toEqual(["RUNNING", "PENDING", "RUNNING", "SUCCESSFUL"]);
    expect(statuses(e, "a")).toEqual(["RUNNING", "RESUMABLE", "PENDING", "RUNNING", "SUCCESSFUL"]);
    // "stats will be updated whenever a workflow is resumed"
    expect(stats(e, "a").stats.start_time).toBeGreaterThan(before);
    expect(e.metadata("a")).toMatchObject({ status: "SUCCESSFUL", user_metadata: { k: "v" } });
    expect(held(e)).toEqual([]);
  });

  it("steps named alike get the ids name, name_1, name_2, and get_metadata finds each by its id", () => {
    const e = engine();
    e.run(
      wf(
        "v",
        [1, 2, 3].map((k) => ({ name: "add", metadata: { [`k${k}`]: `v${k}` } })),
      ),
    );
    e.advanceTo(60_000);
    expect(e.metadata("v", "add")).toMatchObject({ name: "add", user_metadata: { k1: "v1" } });
    expect(e.metadata("v", "add_1")).toMatchObject({ name: "add", user_metadata: { k2: "v2" } });
    expect(e.metadata("v", "add_2")).toMatchObject({ name: "add", user_metadata: { k3: "v3" } });
    expect(e.allMetadata().v?.steps).toHaveProperty("add_2");
  });

  it("resume and cancel that Ray refuses are notes and change nothing; a canceled workflow keeps no end_time", () => {
    const e = engine();
    e.run(wf("w", [{ name: "s", takes: "10m" }]));
    e.advanceTo(60_000);
    e.resume("w");
    e.cancel("w");
    e.resume("w");
    e.cancel("nope");
    expect(e.notes.map((n) => n.text.split(":")[0])).toEqual([
      "resume refused",
      "canceled",
      "resume refused",
      "cancel refused",
    ]);
    expect(statuses(e, "w")).toEqual(["RUNNING", "CANCELED"]);
    expect(stats(e, "w").stats).toEqual({ start_time: 1767225600 });
    e.advanceTo(3_600_000);
    expect(statuses(e, "w/s")).toEqual(["RUNNING", "CANCELED"]);
    expect(held(e)).toEqual([]);
  });
});

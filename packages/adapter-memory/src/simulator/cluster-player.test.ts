import type { ClusterObject } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { ClusterPlayer, failureRole } from "./cluster-player.js";
import { stepDuration } from "./requests.js";

const step = (
  workflow: string,
  kind: string,
  role: string,
  gpu = 0,
  workflowKind = "Evaluation",
): ClusterObject => ({
  kind,
  name: `${workflow}-${role}`,
  labels: {},
  owner: workflow,
  spec: { workflow: { kind: workflowKind, id: workflow }, role, resources: { gpu, cpu: 0, memoryGiB: 0 } },
  conditions: [],
  resourceVersion: "1",
});
const player = (nodes?: { gpu: number }[]) =>
  new ClusterPlayer(
    nodes?.map((n, i) => ({ name: `n${i}`, gpu: n.gpu, cpu: 64, memoryGiB: 512 })),
    (kind, _id, role) => stepDuration(kind, role, 600_000),
  );

describe("the simulated cluster", () => {
  it("an Evaluation's client starts once its server is Available, and ends after its share of takes", () => {
    const p = player();
    const objects = [step("e1", "InferenceSession", "session", 1), step("e1", "Job", "client")];
    const [server, ...none] = p.sync(0, objects);
    expect(none).toEqual([]);
    expect(server).toMatchObject({ at: 0, key: "InferenceSession/e1-session" });
    expect(p.finish(server!.key, server!.generation, "t")?.condition).toMatchObject({
      type: "Available",
      status: "True",
    });
    expect(p.sync(0, objects)).toEqual([
      { at: 540_000, key: "Job/e1-client", generation: expect.any(Number) },
    ]);
  });

  it("steps wait for a node with room, first come first served, and start when one frees", () => {
    const p = player([{ gpu: 1 }]);
    const a = step("a", "Job", "run", 1, "Report");
    const b = step("b", "Job", "run", 1, "Report");
    const [first] = p.sync(0, [a, b]);
    expect(first?.key).toBe("Job/a-run");
    expect(p.pending()).toEqual(["b-run"]);
    expect(p.finish(first!.key, first!.generation, "t")?.condition.type).toBe("Complete");
    expect(p.sync(600_000, [b])).toEqual([
      { at: 1_200_000, key: "Job/b-run", generation: expect.any(Number) },
    ]);
    expect(p.pending()).toEqual([]);
  });

  it("a step that fits no node never starts; one deleted while running frees its node", () => {
    const p = player([{ gpu: 2 }]);
    expect(p.sync(0, [step("big", "Job", "run", 3, "Report")])).toEqual([]);
    expect(p.pending()).toEqual(["big-run"]);
    const q = player([{ gpu: 1 }]);
    q.sync(0, [step("a", "Job", "run", 1, "Report")]);
    expect(q.sync(10, [step("b", "Job", "run", 1, "Report")])).toMatchObject([
      { key: "Job/b-run", at: 600_010 },
    ]);
  });

  it("a failure hits the running step now, is armed for a step not started, and is late for an ended one", () => {
    const p = player();
    const fetch = step("m1", "Job", "fetch", 0, "Model");
    const [natural] = p.sync(0, [fetch]);
    const now = p.fail(1000, "Model", "m1", "FetchFailed");
    expect(now).toMatchObject({ effect: "now", finishes: [{ at: 1000, key: "Job/m1-fetch" }] });
    expect(p.isStale(natural!.key, natural!.generation)).toBe(true);
    expect(p.finish(now.finishes[0]!.key, now.finishes[0]!.generation, "t")?.condition).toMatchObject({
      type: "Failed",
      reason: "FetchFailed",
    });
    expect(p.fail(2000, "Model", "m1", "FetchFailed").effect).toBe("late");
    expect(p.fail(0, "Evaluation", "e1", "VerificationFailed").effect).toBe("armed");
    expect(p.sync(5000, [step("e1", "Job", "verify")])).toEqual([
      { at: 5000, key: "Job/e1-verify", generation: expect.any(Number) },
    ]);
  });

  it("each work failure hits the step of its stage", () => {
    expect(failureRole("Evaluation", "InferenceFailed")).toBe("client");
    expect(failureRole("Evaluation", "VerificationFailed")).toBe("verify");
    expect(failureRole("Model", "FetchFailed")).toBe("fetch");
    expect(failureRole("InferenceService", "BuildFailed")).toBe("build");
    expect(failureRole("Report", "RunFailed")).toBe("run");
    expect(failureRole("Model", "RunFailed")).toBeUndefined();
  });
});

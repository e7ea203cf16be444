import {
  catalog,
  DecodeError,
  type EntityHistory,
  type HistoryItem,
  type HistoryStatusChange,
  historyText,
} from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { exampleFiles, runExample } from "./examples.test-support.js";
import { historyIds, historyJsonl, simulationHistory } from "./history.js";
import { createSimulator } from "./promise.js";

const history = (file: string, id: string): EntityHistory => {
  const h = simulationHistory(runExample(file), id);
  if (h instanceof DecodeError) throw h;
  return h;
};
const changes = (h: EntityHistory) => h.items.filter((i): i is HistoryStatusChange => i.type === "status");
/** Each status change as `status <- event: kind by what` of its first cause. */
const why = (h: EntityHistory) =>
  changes(h).map((c) => {
    const first = c.causes[0];
    return `${c.reason === null ? c.status : `${c.status}/${c.reason}`} <- ${c.event ?? "-"}: ${
      first ? `${first.kind} ${first.by} ${first.what}` : "?"
    }`;
  });
const refused = (items: readonly HistoryItem[]) =>
  items.flatMap((i) => (i.type === "command" && i.refused !== null ? [`${i.command} by ${i.by}`] : []));

describe("an entity's history", () => {
  it("dyff (quota-wait e2): the create by alice, the orchestrator's quota wait and admission, the informer's observations, in order", () => {
    const h = history("quota-wait.yaml", "e2");
    expect(h).toMatchObject({
      system: "dyff",
      kind: "Evaluation",
      final: { status: "Complete", phase: "Succeeded" },
    });
    expect(why(h)).toEqual([
      "Created <- -: command alice create",
      "Created/QuotaLimit <- wait: rule orchestrator waiting for the account's quota",
      "Admitted <- admit: rule orchestrator admit: its dependencies are ready and the account's quota has room",
      "Admitted/Unverified <- verify: observation informer the workflow's Kubernetes resource shows Admitted",
      "Complete <- succeed: observation informer the workflow's Kubernetes resource shows Complete",
    ]);
    expect(changes(h).map((c) => c.phase)).toEqual(["Pending", "Pending", "Running", "Running", "Succeeded"]);
  });

  it("dyff (unauthorized e1): refused commands appear with who sent them and why", () => {
    const h = history("unauthorized.yaml", "e1");
    expect(refused(h.items)).toEqual(["terminate by bob", "label by alice"]);
    const terminate = h.items.find((i) => i.type === "command" && i.command === "terminate");
    expect(terminate).toMatchObject({ refused: expect.stringMatching(/^Unauthorized: /) });
  });

  it("dyff (inference-fails e1): an injected failure is the first cause of the failure it led to", () => {
    const failed = changes(history("inference-fails.yaml", "e1")).at(-1)!;
    expect(failed).toMatchObject({
      status: "Failed",
      reason: "InferenceFailed",
      event: "fail",
      phase: "Failed",
    });
    expect(failed.causes[0]).toMatchObject({
      kind: "fault",
      by: "scenario",
      what: expect.stringMatching(/^fail InferenceFailed/),
    });
    expect(failed.causes[1]).toMatchObject({ kind: "observation", by: "informer" });
  });

  it("runai (runai-preemption b-notebook): submit, the scheduler's cycle, the kubelet, the preemption; each with the derivation rule and the allocation", () => {
    const h = history("runai-preemption.yaml", "b-notebook");
    expect(why(h)).toEqual([
      "Pending <- -: command project team-b runai submit",
      "ContainerCreating <- schedule: rule scheduler a scheduling cycle",
      "Running <- start: rule kubelet pulled",
      "Terminating <- terminate: rule scheduler a scheduling cycle",
      "Preempted <- preempt: rule kubelet stopped",
    ]);
    for (const c of changes(h)) expect(c.causes.at(-1)).toMatchObject({ kind: "rule", by: "runai" });
    const [pending, , running, , preempted] = changes(h);
    expect(pending!.facts).toMatchObject({ resourcesAllocated: false, gpus: 0 });
    expect(running!.facts).toMatchObject({ resourcesAllocated: true, gpus: expect.any(Number) });
    expect(running!.facts.gpus).toBeGreaterThan(0);
    expect(preempted!.facts).toMatchObject({ resourcesAllocated: false });
    expect(h.items.some((i) => i.type === "note" && i.text.startsWith("preempted: over quota"))).toBe(true);
  });

  it("ray (ray-resume etl): run, the step that raised, resume, the cluster restart, resume, the last step; with the workflow's stats", () => {
    const h = history("ray-resume.yaml", "etl");
    expect(why(h)).toEqual([
      "RUNNING <- -: command scenario workflow.run",
      "FAILED <- fail: rule ray step transform raised (execution 1)",
      "PENDING <- resumeQueued: command scenario workflow.resume",
      "RESUMABLE <- systemFailure: fault scenario the Ray cluster restarts",
      "RUNNING <- resume: command scenario workflow.resume",
      "SUCCESSFUL <- succeed: rule ray step load_1 returned",
    ]);
    const last = changes(h).at(-1)!;
    expect(last.facts.end_time).toEqual(expect.any(Number));
    expect(last.facts.start_time).toEqual(expect.any(Number));
    expect(changes(h)[0]!.facts.end_time).toBeNull();
  });

  it("ray (ray-resume report): a refused workflow.run is in the history of an id that never had a status", () => {
    const h = history("ray-resume.yaml", "report");
    expect(h.final).toBeNull();
    expect(refused(h.items)).toEqual(["run by null"]);
  });

  it("wallaroo (wallaroo-tasks hourly): the task's creation, Task.kill() and the kill's completion", () => {
    expect(why(history("wallaroo-tasks.yaml", "hourly"))).toEqual([
      "pending <- -: command scenario create the task (scheduled)",
      "started <- start: command scenario create the task (scheduled)",
      "pending_kill <- kill: command scenario Task.kill()",
      "killed <- confirmKill: rule wallaroo every run of the killed task has stopped",
    ]);
  });

  it("wallaroo (wallaroo-wakeup ccfraud): deploy, the autoscaler's scale to zero and wake-ups, undeploy", () => {
    const w = why(history("wallaroo-wakeup.yaml", "ccfraud"));
    expect(w.slice(0, 4)).toEqual([
      "Starting/Deploying <- -: command scenario pipeline.deploy()",
      "Running <- replicaReady: rule autoscaler ready",
      "Starting/ScaledToZero <- scaleToZero: rule autoscaler scaleToZero",
      "Starting/WakingUp <- wake: rule autoscaler wake",
    ]);
    expect(w.at(-1)).toBe("Undeployed <- undeploy: command scenario pipeline.undeploy()");
  });

  it.each(exampleFiles)(
    "%s: every entity's status changes are its timeline's, in order, each event takes `from` to it in the machine",
    (file) => {
      const result = runExample(file);
      for (const id of historyIds(result)) {
        const h = simulationHistory(result, id);
        if (h instanceof DecodeError) throw h;
        const seen = result.timeline.filter((e) => e.id === id).map((e) => [e.status, e.reason]);
        expect(changes(h).map((c) => [c.status, c.reason])).toEqual(seen);
        let from: HistoryStatusChange | null = null;
        for (const c of changes(h)) {
          expect(c.from).toEqual(from && { status: from.status, reason: from.reason, phase: from.phase });
          if (c.event !== null && from !== null) {
            const lc = catalog.lifecycle(h.system, h.kind);
            if (lc instanceof DecodeError) throw lc;
            expect(lc.events.map((e) => e.type)).toContain(c.event);
          }
          from = c;
        }
      }
    },
  );

  it("given an unknown id: a DecodeError naming the id, the nearest id and the ids of the run", () => {
    const h = simulationHistory(runExample("quota-wait.yaml"), "e3");
    expect(h).toBeInstanceOf(DecodeError);
    expect((h as DecodeError).message).toContain('got "e3"');
    expect((h as DecodeError).message).toContain("did you mean e1?");
    expect((h as DecodeError).message).toContain("m1, svc1, d1, e1, e2");
  });

  it("renders as kubectl describe-like text and as JSONL (an entity record, then one history record per item)", () => {
    const h = history("quota-wait.yaml", "e2");
    const text = historyText(h);
    expect(text).toMatch(
      /^Name: {4}e2\nSystem: {2}dyff\nKind: {4}Evaluation\nStatus: {2}Complete \(phase Succeeded\)\nEvents:\n/,
    );
    expect(text).toMatch(/Created\/QuotaLimit \[Pending\] +wait +Created +rule orchestrator: waiting/);
    const lines = historyJsonl(h)
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({
      record: "entity",
      version: 1,
      system: "dyff",
      kind: "Evaluation",
      id: "e2",
      final: h.final,
    });
    expect(lines.slice(1)).toEqual(h.items.map((i) => ({ record: "history", version: 1, id: "e2", ...i })));
  });

  it("the Promise API: sim.history(id) resolves the history, rejects an unknown id with a DecodeError", async () => {
    const sim = createSimulator({
      accounts: { alice: { tokens: ["alice-token"] } },
      resources: [{ kind: "Model", id: "m1", account: "alice", takes: "30s" }],
    });
    const h = await sim.history("m1");
    expect(h.items.map((i) => i.type)).toEqual(["command", "status", "status", "status"]);
    expect(h.final).toEqual({ status: "Ready", reason: null, phase: "Succeeded" });
    await expect(sim.history("m2")).rejects.toBeInstanceOf(DecodeError);
  });
});

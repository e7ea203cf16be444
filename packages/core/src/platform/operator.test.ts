import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { describe, expect, it } from "vitest";
import { layerMemory, MemoryBackend } from "../../../adapter-memory/src/index.js";
import { Cluster, ClusterError, type ClusterObject, type Condition } from "../ports/Cluster.js";
import { makeOperator, type OperatorAction, reconcileWorkflow, setCondition } from "./operator.js";
import { workflowCondition } from "./plans.js";
import { type StepConditionType, stepCondition, stepName, stepPhase } from "./steps.js";

const now = "2026-01-01T00:10:00Z";
const object = (
  kind: string,
  name: string,
  conditions: Condition[] = [],
  owner: string | null = null,
): ClusterObject => ({
  kind,
  name,
  labels: {},
  owner,
  spec: { request: { gpu: 1, cpu: 2, memoryGiB: 8 } },
  conditions,
  resourceVersion: "1",
});
const step = (kind: string, workflow: string, role: string, type?: StepConditionType, message = "") =>
  object(kind, `${workflow}-${role}`, type ? [stepCondition(type, type, "t", message)] : [], workflow);
const steps = (...list: ClusterObject[]) => new Map(list.map((s) => [`${s.kind}/${s.name}`, s]));
const admittedAs = (reason: string | null) => [workflowCondition("Admitted", reason, "t0")];

/** The actions, short: `create Job/e1-client`, `delete InferenceSession/e1-session`, `write Admitted/Unverified+Complete`. */
const short = (actions: readonly OperatorAction[]) =>
  actions.map((a) => {
    if (a.type === "createStep") return `create ${a.object.kind}/${a.object.name}`;
    if (a.type === "deleteStep") return `delete ${a.kind}/${a.name}`;
    return `write ${a.conditions.map((c) => (c.reason === c.type ? c.type : `${c.type}/${c.reason}`)).join("+")}`;
  });

describe("the operator reconciles a workflow from what it observes", () => {
  it("a new Evaluation gets its inference session and client job, and the Admitted condition", () => {
    const r = reconcileWorkflow(object("Evaluation", "e1"), new Map(), now);
    expect(short(r.actions)).toEqual([
      "create InferenceSession/e1-session",
      "create Job/e1-client",
      "write Admitted",
    ]);
    const create = r.actions[0]!;
    expect(create.type === "createStep" && create.object).toMatchObject({
      owner: "e1",
      spec: {
        role: "session",
        workflow: { kind: "Evaluation", id: "e1" },
        resources: { gpu: 1, cpu: 2, memoryGiB: 8 },
      },
    });
    expect(r.requeueAfter).toBeGreaterThan(0);
  });

  it("while steps run nothing changes: no action, a requeue", () => {
    const running = steps(
      step("InferenceSession", "e1", "session", "Available"),
      step("Job", "e1", "client"),
    );
    const r = reconcileWorkflow(object("Evaluation", "e1", admittedAs(null)), running, now);
    expect(r.actions).toEqual([]);
    expect(r.requeueAfter).toBeGreaterThan(0);
  });

  it("client done: the verification job starts, the session goes, the workflow is Admitted/Unverified; verification done: Complete", () => {
    const session = step("InferenceSession", "e1", "session", "Available");
    const client = step("Job", "e1", "client", "Complete");
    const r = reconcileWorkflow(object("Evaluation", "e1", admittedAs(null)), steps(session, client), now);
    expect(short(r.actions)).toEqual([
      "create Job/e1-verify",
      "delete InferenceSession/e1-session",
      "write Admitted/Unverified",
    ]);
    const verify = step("Job", "e1", "verify", "Complete");
    const done = reconcileWorkflow(
      object("Evaluation", "e1", admittedAs("Unverified")),
      steps(client, verify),
      now,
    );
    expect(short(done.actions)).toEqual(["write Admitted/Unverified+Complete"]);
    expect(done.requeueAfter).toBeUndefined();
  });

  it("an operator that looked late still writes the stages in order (Unverified, then Complete) in one write", () => {
    const all = steps(
      step("InferenceSession", "e1", "session", "Available"),
      step("Job", "e1", "client", "Complete"),
      step("Job", "e1", "verify", "Complete"),
    );
    const r = reconcileWorkflow(object("Evaluation", "e1", admittedAs(null)), all, now);
    expect(short(r.actions)).toEqual([
      "delete InferenceSession/e1-session",
      "write Admitted/Unverified+Complete",
    ]);
  });

  it("a stage the workflow records as done stays done, even when a lagging read shows its steps unfinished", () => {
    const stale = steps(step("InferenceSession", "e1", "session", "Available"), step("Job", "e1", "client"));
    const r = reconcileWorkflow(object("Evaluation", "e1", admittedAs("Unverified")), stale, now);
    expect(short(r.actions)).toEqual(["create Job/e1-verify", "delete InferenceSession/e1-session"]);
  });

  it("failures carry the stage's reason and the step's message: InferenceFailed, VerificationFailed, FetchFailed, BuildFailed, RunFailed, WorkflowFailed", () => {
    const failed = (wf: ClusterObject, ...list: ClusterObject[]) =>
      reconcileWorkflow(wf, steps(...list), now).actions.flatMap((a) =>
        a.type === "writeConditions" ? a.conditions.filter((c) => c.type !== "Admitted") : [],
      );
    const sessionFailed = reconcileWorkflow(
      object("Evaluation", "e1", admittedAs(null)),
      steps(step("InferenceSession", "e1", "session", "Failed"), step("Job", "e1", "client")),
      now,
    );
    expect(short(sessionFailed.actions)).toEqual([
      "delete Job/e1-client",
      "write Admitted+Failed/InferenceFailed",
    ]);
    expect(failed(object("Evaluation", "e1"), step("Job", "e1", "client", "Failed", "exit 1"))).toMatchObject(
      [{ type: "Failed", reason: "InferenceFailed", message: "exit 1" }],
    );
    expect(
      failed(
        object("Evaluation", "e1"),
        step("Job", "e1", "client", "Complete"),
        step("Job", "e1", "verify", "Failed"),
      ),
    ).toMatchObject([{ type: "Failed", reason: "VerificationFailed" }]);
    expect(failed(object("Model", "m1"), step("Job", "m1", "fetch", "Failed"))).toMatchObject([
      { type: "Error", reason: "FetchFailed" },
    ]);
    expect(failed(object("InferenceService", "s"), step("Job", "s", "build", "Failed"))).toMatchObject([
      { type: "Error", reason: "BuildFailed" },
    ]);
    expect(failed(object("Report", "r"), step("Job", "r", "run", "Failed"))).toMatchObject([
      { type: "Failed", reason: "RunFailed" },
    ]);
    // the seed names no reason for these kinds' own work: WorkflowFailed, so the work ends (and frees its quota)
    for (const kind of ["Audit", "Measurement", "SafetyCase"])
      expect(failed(object(kind, "a"), step("Job", "a", "run", "Failed", "exit 2"))).toMatchObject([
        { type: "Failed", reason: "WorkflowFailed", message: "exit 2" },
      ]);
    expect(
      failed(object("InferenceSession", "s1"), step("Deployment", "s1", "deployment", "Failed")),
    ).toMatchObject([{ type: "Error", reason: "WorkflowFailed" }]);
  });

  it("an InferenceSession becomes Ready when its deployment serves, and its deployment goes on serving", () => {
    const serving = steps(step("Deployment", "s1", "deployment", "Available"));
    const ready = reconcileWorkflow(object("InferenceSession", "s1", admittedAs(null)), serving, now);
    expect(short(ready.actions)).toEqual(["write Admitted+Ready"]);
    const after = object("InferenceSession", "s1", [
      ...admittedAs(null),
      workflowCondition("Ready", null, "t"),
    ]);
    expect(reconcileWorkflow(after, serving, now).actions).toEqual([]);
    // a session that failed is not serving: its deployment goes
    const failed = object("InferenceSession", "s1", [
      ...admittedAs(null),
      workflowCondition("Error", "WorkflowFailed", "t"),
    ]);
    expect(short(reconcileWorkflow(failed, serving, now).actions)).toEqual([
      "delete Deployment/s1-deployment",
    ]);
  });

  it("a finished workflow only has its still-active steps deleted", () => {
    const wf = object("Evaluation", "e1", [
      ...admittedAs(null),
      workflowCondition("Failed", "InferenceFailed", "t"),
    ]);
    const r = reconcileWorkflow(
      wf,
      steps(step("InferenceSession", "e1", "session", "Available"), step("Job", "e1", "client", "Failed")),
      now,
    );
    expect(short(r.actions)).toEqual(["delete InferenceSession/e1-session"]);
  });

  it("setCondition keeps a condition's time when nothing about it changed; stepPhase: Failed beats Complete beats Available", () => {
    const a = workflowCondition("Admitted", null, "t0");
    expect(setCondition([a], workflowCondition("Admitted", null, "t1"))).toEqual([a]);
    expect(setCondition([a], workflowCondition("Admitted", "Unverified", "t1"))[0]?.lastTransitionTime).toBe(
      "t1",
    );
    const both = object("Job", "j", [
      stepCondition("Complete", "Complete", "t"),
      stepCondition("Failed", "X", "t"),
    ]);
    expect(stepPhase(both)).toBe("failed");
    expect(stepPhase(undefined)).toBe("absent");
    expect(stepName("e1", "verify")).toBe("e1-verify");
  });
});

describe("the operator over the memory cluster", () => {
  it("a status write that meets a Conflict is decided again from a fresh read", async () => {
    let conflicts = 1;
    // the memory cluster, with one Conflict injected on the first status write of a workflow
    const flaky = Layer.effect(
      Cluster,
      Effect.gen(function* () {
        const real = (yield* MemoryBackend).cluster.port;
        return {
          ...real,
          writeConditions: (kind, name, version, conditions) =>
            kind === "Model" && conflicts-- > 0
              ? Effect.fail(
                  new ClusterError({
                    operation: "writeConditions",
                    kind,
                    name,
                    code: "Conflict",
                    message: "stale",
                  }),
                )
              : real.writeConditions(kind, name, version, conditions),
        };
      }),
    );
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const backend = yield* MemoryBackend;
        yield* backend.cluster.port.create({ kind: "Model", name: "m1", labels: {}, owner: null, spec: {} });
        const operator = yield* makeOperator().pipe(Effect.provide(flaky));
        const actions = yield* operator.runOnce(now);
        return {
          actions,
          model: backend.cluster.get("Model", "m1"),
          job: backend.cluster.get("Job", "m1-fetch"),
        };
      }).pipe(Effect.provide(layerMemory({ seed: 3 }))),
    );
    expect(conflicts).toBe(-1);
    expect(out.model?.conditions.map((c) => c.type)).toEqual(["Admitted"]);
    expect(out.job?.owner).toBe("m1");
    expect(out.actions).toBe(2); // the retry decides again: its job create meets AlreadyExists (fine), then the write
  });
});

import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { type CatalogLifecycles, catalog } from "../catalog/catalog.js";
import { dyff, type dyffKinds } from "../systems/dyff/index.js";
import { dyffReleased } from "../systems/dyff/released/index.js";
import { rayStepLifecycle } from "../systems/ray/step.js";
import { rayWorkflowLifecycle } from "../systems/ray/workflow.js";
import { runai } from "../systems/runai/index.js";
import type { RunaiEvent } from "../systems/runai/statuses.js";
import { wallarooDeployment } from "../systems/wallaroo/deployment.js";
import { wallarooOrchestration } from "../systems/wallaroo/orchestration.js";
import { wallarooTask } from "../systems/wallaroo/task.js";
import { wallarooTaskRun } from "../systems/wallaroo/task-run.js";
import type { DecodeError, TransitionError } from "./errors.js";
import type {
  AnyLifecycle,
  Lifecycle,
  LifecycleEventOf,
  LifecycleEventType,
  LifecycleReason,
  LifecycleRecord,
  LifecycleStatus,
} from "./lifecycle.js";
import type { StatusRecord } from "./record.js";

// Type tests: `pnpm typecheck` (tsc over every test file) fails when one of these types widens: an
// `expectTypeOf(...).toEqualTypeOf<...>()` stops matching, or a `@ts-expect-error` line compiles and
// becomes an unused directive (TS2578). The `it` bodies also run, so the calls below are real ones.

const at = "2026-01-01T00:00:00Z";

describe("Dyff: statuses, reasons and events are literal unions per kind", () => {
  it("a record's status is the kind's statuses, not string", () => {
    const evaluation = dyff.Evaluation.initial(at);
    expectTypeOf(evaluation.status).toEqualTypeOf<
      "Created" | "Admitted" | "Complete" | "Failed" | "Terminated" | "Deleted"
    >();
    // @ts-expect-error "Bogus" is no status of an Evaluation
    const bad: typeof evaluation.status = "Bogus";
    // @ts-expect-error Ready is an artifact's success status, not a job's
    const ready: typeof evaluation.status = "Ready";
    expect([bad, ready]).toHaveLength(2);
  });

  it("kinds without computation have no Admitted; artifact kinds end Ready or Error", () => {
    expectTypeOf<LifecycleStatus<typeof dyff.Dataset>>().toEqualTypeOf<
      "Created" | "Ready" | "Error" | "Terminated" | "Deleted"
    >();
    expectTypeOf<LifecycleEventType<typeof dyff.Dataset>>().toEqualTypeOf<
      "wait" | "succeed" | "fail" | "terminate" | "delete"
    >();
    expectTypeOf<LifecycleEventType<typeof dyff.Evaluation>>().toEqualTypeOf<
      "wait" | "admit" | "verify" | "succeed" | "fail" | "terminate" | "delete"
    >();
  });

  it("a kind's reasons are its own: Report has RunFailed, not InferenceFailed", () => {
    expectTypeOf<LifecycleReason<typeof dyff.Report>>().toEqualTypeOf<
      | "QuotaLimit"
      | "UnsatisfiedDependency"
      | "SchemaError"
      | "FailedDependency"
      | "AdmissionFailed"
      | "RunFailed"
      | "TerminateCommand"
      | "KubernetesResourceDeleted"
      | "DeleteCommand"
    >();
    expectTypeOf<LifecycleReason<typeof dyff.Dataset>>().toEqualTypeOf<
      | "QuotaLimit"
      | "UnsatisfiedDependency"
      | "SchemaError"
      | "FailedDependency"
      | "AdmissionFailed"
      | "TerminateCommand"
      | "DeleteCommand"
    >();
  });

  it("an unknown event, or a reason its event cannot carry, does not compile", () => {
    const created = dyff.Report.initial(at);
    // @ts-expect-error no event "explode"
    dyff.Report.step(created, { type: "explode" });
    // @ts-expect-error no reason "NotAReason"
    dyff.Report.step(created, { type: "fail", reason: "NotAReason" });
    // @ts-expect-error QuotaLimit is a reason of wait, not of fail
    dyff.Report.step(created, { type: "fail", reason: "QuotaLimit" });
    // @ts-expect-error admit carries no reason
    dyff.Report.step(created, { type: "admit", reason: "RunFailed" });
    // @ts-expect-error Report has no verification stage
    dyff.Report.step(created, { type: "verify" });
    // @ts-expect-error Dataset runs no computation, so it is never admitted
    dyff.Dataset.step(dyff.Dataset.initial(), { type: "admit" });
    expect(() =>
      // @ts-expect-error InferenceFailed is an Evaluation's failure, not a Report's
      dyff.Report.stepOrThrow(created, { type: "fail", reason: "InferenceFailed" }),
    ).toThrow(/not allowed/);
    // @ts-expect-error replay takes the same events
    dyff.Report.replay([{ type: "admit" }, { type: "explode" }]);
    expect(dyff.Report.step(created, { type: "fail", reason: "SchemaError", at })).toMatchObject({
      status: "Failed",
    });
  });

  it("each event is typed with its own reasons: the event type is a discriminated union", () => {
    type Fail = Extract<LifecycleEventOf<typeof dyff.Evaluation>, { type: "fail" }>;
    expectTypeOf<NonNullable<Fail["reason"]>>().toEqualTypeOf<
      "SchemaError" | "FailedDependency" | "AdmissionFailed" | "InferenceFailed" | "VerificationFailed"
    >();
    type Wait = Extract<LifecycleEventOf<typeof dyff.Evaluation>, { type: "wait" }>;
    expectTypeOf<NonNullable<Wait["reason"]>>().toEqualTypeOf<"QuotaLimit" | "UnsatisfiedDependency">();
    type Terminate = Extract<LifecycleEventOf<typeof dyff.Dataset>, { type: "terminate" }>;
    expectTypeOf<NonNullable<Terminate["reason"]>>().toEqualTypeOf<"TerminateCommand">();
  });

  it("moveTo takes the kind's statuses and reasons; allowed() takes a leaf and gives back steppable events", () => {
    const created = dyff.Evaluation.initial(at);
    // @ts-expect-error no status "Bogus"
    dyff.Evaluation.moveTo(created, { status: "Bogus" });
    // @ts-expect-error no reason "NotAReason"
    dyff.Evaluation.moveTo(created, { status: "Failed", reason: "NotAReason" });
    // @ts-expect-error Ready is no status of an Evaluation
    dyff.Evaluation.allowed("Ready", null);
    for (const event of dyff.Evaluation.allowed("Created", null)) {
      expect(dyff.Evaluation.step(created, event)).not.toBeInstanceOf(Error);
    }
  });

  it("step may return a DecodeError (a malformed `at`) beside the TransitionError", () => {
    const next = dyff.Evaluation.step(dyff.Evaluation.initial(), { type: "admit", at });
    expectTypeOf(next).toEqualTypeOf<
      LifecycleRecord<typeof dyff.Evaluation> | TransitionError | DecodeError
    >();
    expectTypeOf(dyff.Evaluation.replay([])).toEqualTypeOf<
      LifecycleRecord<typeof dyff.Evaluation> | ((TransitionError | DecodeError) & { readonly index: number })
    >();
  });

  it("a Dyff entity carries its kind's statuses and reasons", () => {
    type Evaluation = z.output<typeof dyffKinds.Evaluation.entity>;
    expectTypeOf<Evaluation["status"]>().toEqualTypeOf<LifecycleStatus<typeof dyff.Evaluation>>();
    expectTypeOf<Evaluation["reason"]>().toEqualTypeOf<LifecycleReason<typeof dyff.Evaluation> | null>();
    // @ts-expect-error "Bogus" is no status of an Evaluation entity
    const bad: Evaluation["status"] = "Bogus";
    expect(bad).toBe("Bogus");
  });
});

describe("Run:ai, Wallaroo and Ray are typed the same way", () => {
  it("Run:ai: each job kind has only its own statuses; Pending's reasons are the two the seed lists", () => {
    type Training = LifecycleStatus<typeof runai.TrainingJob>;
    // @ts-expect-error CrashLoopBackOff is an interactive job's status
    const crash: Training = "CrashLoopBackOff";
    expectTypeOf<LifecycleReason<typeof runai.InteractiveJob>>().toEqualTypeOf<
      "NotEnoughResources" | "WaitingInQueue"
    >();
    expectTypeOf<LifecycleEventType<typeof runai.TrainingJob>>().toEqualTypeOf<
      | "wait"
      | "schedule"
      | "pullFailed"
      | "pullBackOff"
      | "start"
      | "cannotRun"
      | "succeed"
      | "crash"
      | "retry"
      | "fail"
      | "terminate"
      | "requeue"
      | "delete"
      | "finishUnobserved"
    >();
    // @ts-expect-error timeOut is an interactive job's event
    runai.TrainingJob.step(runai.TrainingJob.initial(), { type: "timeOut" });
    // @ts-expect-error schedule carries no reason: only the events into Pending do
    runai.TrainingJob.step(runai.TrainingJob.initial(), { type: "schedule", reason: "WaitingInQueue" });
    expectTypeOf<LifecycleEventType<typeof runai.InteractiveJob>>().toExtend<RunaiEvent>();
    // @ts-expect-error no event "explode"
    runai.TrainingJob.step(runai.TrainingJob.initial(), { type: "explode" });
    // @ts-expect-error no reason "NotAReason"
    runai.TrainingJob.step(runai.TrainingJob.initial(), { type: "wait", reason: "NotAReason" });
    expect(crash).toBe("CrashLoopBackOff");
  });

  it("Wallaroo: orchestration, task, task run and deployment", () => {
    expectTypeOf<LifecycleStatus<typeof wallarooOrchestration>>().toEqualTypeOf<
      "uninitialized" | "pending_packaging" | "packaging" | "ready" | "error"
    >();
    expectTypeOf<LifecycleReason<typeof wallarooTaskRun>>().toEqualTypeOf<never>();
    // @ts-expect-error a task run carries no reason (a halted run is killed)
    wallarooTaskRun.step(wallarooTaskRun.initial(), { type: "halt", reason: "TaskKilled" });
    type EngineFailure = Extract<LifecycleEventOf<typeof wallarooDeployment>, { type: "engineFailure" }>;
    expectTypeOf<NonNullable<EngineFailure["reason"]>>().toEqualTypeOf<"Unschedulable" | "EngineFailed">();
    // @ts-expect-error deploy's reason is Deploying, not EngineFailed
    wallarooDeployment.step(wallarooDeployment.initial(), { type: "deploy", reason: "EngineFailed" });
    // @ts-expect-error no event "explode"
    wallarooTask.step(wallarooTask.initial(), { type: "explode" });
    // @ts-expect-error a task carries no reason
    wallarooTask.step(wallarooTask.initial(), { type: "start", reason: "TaskKilled" });
    // @ts-expect-error no status "Running" (the deployment's is, the task's is not)
    wallarooTask.moveTo(wallarooTask.initial(), { status: "Running" });
    // @ts-expect-error no event "explode"
    wallarooDeployment.step(wallarooDeployment.initial(), { type: "explode" });
  });

  it("Ray: workflow and step", () => {
    expectTypeOf<LifecycleStatus<typeof rayStepLifecycle>>().toEqualTypeOf<
      "PENDING" | "RUNNING" | "SUCCESSFUL" | "FAILED" | "CANCELED"
    >();
    // @ts-expect-error no event "explode"
    rayWorkflowLifecycle.step(rayWorkflowLifecycle.initial(), { type: "explode" });
    // @ts-expect-error no status "DONE"
    rayStepLifecycle.moveTo(rayStepLifecycle.initial(), { status: "DONE" });
  });
});

describe("the catalog narrows on literal names and stays wide on runtime strings", () => {
  it("catalog.lifecycle with literal names is that kind's typed lifecycle", () => {
    expectTypeOf(catalog.lifecycle("dyff", "Report")).toEqualTypeOf<typeof dyff.Report>();
    expectTypeOf(catalog.lifecycle("runai", "InteractiveJob")).toEqualTypeOf<typeof runai.InteractiveJob>();
    expectTypeOf(catalog.lifecycle("wallaroo", "TaskRun")).toEqualTypeOf<typeof wallarooTaskRun>();
    expectTypeOf(catalog.lifecycle("ray", "Step")).toEqualTypeOf<typeof rayStepLifecycle>();
    const report = catalog.lifecycle("dyff", "Report");
    // @ts-expect-error Report has no verify
    report.step(report.initial(), { type: "verify" });
  });

  it("with runtime strings (or an unknown kind) it is any lifecycle, or a DecodeError", () => {
    const system: string = "dyff";
    expectTypeOf(catalog.lifecycle(system, "Report")).toEqualTypeOf<AnyLifecycle | DecodeError>();
    expectTypeOf(catalog.lifecycle("dyff", "Nope")).toEqualTypeOf<AnyLifecycle | DecodeError>();
    expect(catalog.lifecycle("dyff", "Nope")).toMatchObject({ _tag: "DecodeError" });
  });

  it("the typed map is the catalog: the same kinds, and the same objects", () => {
    // Every key of CatalogLifecycles, no more (an excess key or a missing one does not compile).
    const kinds: { readonly [S in keyof CatalogLifecycles]: Record<keyof CatalogLifecycles[S], true> } = {
      dyff: Object.fromEntries(Object.keys(dyff).map((k) => [k, true])) as Record<keyof typeof dyff, true>,
      "dyff-released": Object.fromEntries(Object.keys(dyffReleased).map((k) => [k, true])) as Record<
        keyof typeof dyffReleased,
        true
      >,
      runai: { TrainingJob: true, InteractiveJob: true, DistributedJob: true, Workload: true },
      wallaroo: { Orchestration: true, Task: true, TaskRun: true, Deployment: true },
      ray: { Workflow: true, Step: true },
    };
    for (const system of catalog.systems) {
      expect(Object.keys(kinds[system.name as keyof CatalogLifecycles]).sort()).toEqual(
        system.lifecycles.map((l) => l.kind).sort(),
      );
    }
    expect(catalog.lifecycle("dyff", "Report")).toBe(dyff.Report);
    expect(catalog.lifecycle("runai", "InteractiveJob")).toBe(runai.InteractiveJob);
    expect(catalog.lifecycle("wallaroo", "Orchestration")).toBe(wallarooOrchestration);
    expect(catalog.lifecycle("wallaroo", "Task")).toBe(wallarooTask);
    expect(catalog.lifecycle("wallaroo", "TaskRun")).toBe(wallarooTaskRun);
    expect(catalog.lifecycle("wallaroo", "Deployment")).toBe(wallarooDeployment);
    expect(catalog.lifecycle("ray", "Workflow")).toBe(rayWorkflowLifecycle);
    expect(catalog.lifecycle("ray", "Step")).toBe(rayStepLifecycle);
  });

  it("every typed lifecycle is an AnyLifecycle, for code that handles any kind", () => {
    const all: AnyLifecycle[] = [dyff.Report, runai.TrainingJob, wallarooTask, rayStepLifecycle];
    const record: StatusRecord = dyff.Report.initial();
    expectTypeOf<AnyLifecycle>().toEqualTypeOf<Lifecycle>();
    // a wide lifecycle takes any event (and answers a wrong one with a TransitionError at run time)
    expect(all[0]!.step(record, { type: "explode" })).toMatchObject({ _tag: "TransitionError" });
  });
});

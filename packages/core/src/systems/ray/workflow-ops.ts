import { DecodeError, TransitionError } from "../../lifecycle/errors.js";
import { trustedTime } from "../../lifecycle/time.js";
import { advanceClock, checkId, isoTime, putWorkflow, type RayFailure, stepStoredWorkflow } from "./clock.js";
import {
  RayStepsUnfinishedError,
  RayWorkflowAlreadyExecutedError,
  RayWorkflowNotFoundError,
} from "./errors.js";
import type { RayStats, RayStoredStep, RayStoredWorkflow, RayWorkflows } from "./metadata.js";
import {
  cancelInRayQueue,
  checkRayDelete,
  loseRayExecutors,
  type RayAdmission,
  type RayQueue,
  rayExecutorOf,
  releaseFromRayQueue,
  submitToRayQueue,
} from "./queue.js";
import { rayStepLifecycle } from "./step.js";
import { type JsonObject, rayUserMetadata } from "./user-metadata.js";
import type { RayWorkflowStatus } from "./workflow.js";

/**
 * The workflow-level operations of Ray's API (`run`, `resume`, `cancel`, `delete`, a virtual
 * actor's method call), the end of a run, and a system failure. Each is pure: state and time in,
 * the next state (or the reason it was refused) out. Bad input is returned as an error, never thrown.
 *
 * @module
 */

/** The status a workflow has after `run`, `resume` or an actor call. */
export interface RayRunResult {
  readonly state: RayWorkflows;
  readonly status: RayWorkflowStatus;
}

/** After an executor ends: which pending workflow, if any, took its running slot. */
export interface RayReleaseResult {
  readonly state: RayWorkflows;
  readonly promoted: string | null;
}

/**
 * After `cancel`: `canceled` is true when this call made the workflow CANCELED; false when it was
 * already CANCELED, or is queued (PENDING), which Ray 2.47 does not cancel: `waitsFor` then names
 * the workflow whose end the caller's `workflow.cancel` waits for.
 */
export interface RayCancelResult extends RayReleaseResult {
  readonly canceled: boolean;
  readonly waitsFor: string | null;
}

const startStats = (at: number): RayStats => ({ start_time: at });

/** A new run of a workflow id: a fresh status record (NONE -> RUNNING or PENDING). */
function startRun(
  state: RayWorkflows,
  queueBefore: RayQueue,
  admitted: RayAdmission,
  id: string,
  userMetadata: JsonObject,
  at: number,
  base: Pick<RayStoredWorkflow, "steps" | "nameCounts" | "actor">,
): RayRunResult | TransitionError {
  const record = stepStoredWorkflow(
    queueBefore,
    undefined,
    admitted.placed === "RUNNING" ? "submit" : "enqueue",
    at,
  );
  if (record instanceof TransitionError) return record;
  const wf: RayStoredWorkflow = {
    id,
    record,
    user_metadata: userMetadata,
    stats: admitted.placed === "RUNNING" ? startStats(at) : {},
    ...base,
  };
  return { state: putWorkflow({ ...state, queue: admitted.queue }, wf), status: record.status };
}

/**
 * `workflow.run(..., workflow_id=, metadata=)`: a new workflow runs if a running slot is free, else
 * waits as PENDING, else the queue is full. An id that is stored already is refused unless
 * `resume: true` (then it is resumed; given metadata replaces the old, as Ray saves it first).
 *
 * @example
 * ```ts
 * const { state: next, status } = runRayWorkflow(state, { workflowId: "add_example", at: 100 }) as RayRunResult;
 * status; // "RUNNING"
 * ```
 */
export function runRayWorkflow(
  state: RayWorkflows,
  input: {
    readonly workflowId: string;
    readonly at: number;
    readonly metadata?: unknown;
    readonly resume?: boolean;
  },
): RayRunResult | RayFailure {
  const id = checkId(input.workflowId, "workflowId");
  if (id instanceof DecodeError) return id;
  const metadata = rayUserMetadata(input.metadata);
  if (metadata instanceof DecodeError) return metadata;
  if (input.resume === true) {
    const resumed = resumeRayWorkflow(state, { workflowId: id, at: input.at });
    if (resumed instanceof Error || input.metadata === undefined) return resumed;
    const wf = resumed.state.storage.get(id)!;
    return { ...resumed, state: putWorkflow(resumed.state, { ...wf, user_metadata: metadata }) };
  }
  const ticked = advanceClock(state, input.at);
  if (ticked instanceof DecodeError) return ticked;
  const admitted = submitToRayQueue(state.queue, id, state.storage.get(id)?.record.status, { resume: false });
  if (admitted instanceof Error) return admitted;
  return startRun(ticked, state.queue, admitted, id, metadata, input.at, {
    steps: new Map(),
    nameCounts: new Map(),
    actor: false,
  });
}

/**
 * A virtual actor's method call (`actor.method.options(...).run()`, Ray 1.x): the actor's workflow
 * (id = actor id) runs again, keeping its steps and name counters, so the call's steps get the next
 * ids (`add`, `add_1` ...). Submit the method's step with `submitRayStep(..., { stepType: "ACTOR_METHOD" })`.
 *
 * @example
 * ```ts
 * const call = callRayActor(state, { actorId: "vid", at: 101 }) as RayRunResult;
 * submitRayStep(call.state, { workflowId: "vid", name: "add", func: "Actor.add_v", stepType: "ACTOR_METHOD" });
 * ```
 */
export function callRayActor(
  state: RayWorkflows,
  input: { readonly actorId: string; readonly at: number; readonly metadata?: unknown },
): RayRunResult | RayFailure {
  const id = checkId(input.actorId, "actorId");
  if (id instanceof DecodeError) return id;
  const metadata = rayUserMetadata(input.metadata);
  if (metadata instanceof DecodeError) return metadata;
  const ticked = advanceClock(state, input.at);
  if (ticked instanceof DecodeError) return ticked;
  const previous = state.storage.get(id);
  if (previous && !previous.actor) return new RayWorkflowAlreadyExecutedError(id, previous.record.status);
  const admitted = submitToRayQueue(state.queue, id, undefined, { resume: false });
  if (admitted instanceof Error) return admitted;
  return startRun(ticked, state.queue, admitted, id, metadata, input.at, {
    steps: previous?.steps ?? new Map(),
    nameCounts: previous?.nameCounts ?? new Map(),
    actor: true,
  });
}

/**
 * `workflow.resume(id)`: a FAILED or RESUMABLE workflow runs again from its checkpoints (RUNNING, or
 * PENDING if every running slot is taken); its steps without output go back to PENDING; `start_time`
 * moves to now and `end_time` is cleared until the new run ends. A SUCCESSFUL workflow is left as it
 * is (Ray returns its output); a CANCELED one is not resumable.
 *
 * @example
 * ```ts
 * resumeRayWorkflow(state, { workflowId: "simple", at: 200 }); // { state, status: "RUNNING" }
 * ```
 */
export function resumeRayWorkflow(
  state: RayWorkflows,
  input: { readonly workflowId: string; readonly at: number },
): RayRunResult | RayFailure {
  const ticked = advanceClock(state, input.at);
  if (ticked instanceof DecodeError) return ticked;
  const wf = state.storage.get(input.workflowId);
  const admitted = submitToRayQueue(state.queue, input.workflowId, wf?.record.status, { resume: true });
  if (admitted instanceof Error) return admitted;
  if (!wf) return new RayWorkflowNotFoundError(input.workflowId);
  if (admitted.placed === null) return { state: ticked, status: "SUCCESSFUL" };
  const record = stepStoredWorkflow(
    state.queue,
    wf,
    admitted.placed === "RUNNING" ? "resume" : "resumeQueued",
    input.at,
  );
  if (record instanceof TransitionError) return record;
  const steps = new Map<string, RayStoredStep>();
  for (const [sid, step] of wf.steps) {
    const rerun = trustedTime(rayStepLifecycle.step(step.record, { type: "rerun", at: isoTime(input.at) }));
    steps.set(sid, rerun instanceof TransitionError ? step : { ...step, record: rerun, stats: {} });
  }
  const { end_time: _, ...kept } = wf.stats;
  const stats = admitted.placed === "RUNNING" ? startStats(input.at) : kept;
  return {
    state: putWorkflow({ ...ticked, queue: admitted.queue }, { ...wf, record, stats, steps }),
    status: record.status,
  };
}

/** The head of the queue took a running slot: PENDING -> RUNNING, and its run starts now. */
function promote(state: RayWorkflows, queueBefore: RayQueue, id: string | null, at: number): RayWorkflows {
  const wf = id === null ? undefined : state.storage.get(id);
  if (!wf) return state;
  const record = stepStoredWorkflow(queueBefore, wf, "promote", at);
  if (record instanceof TransitionError) throw record; // a queued workflow is always PENDING
  return putWorkflow(state, { ...wf, record, stats: startStats(at) });
}

/**
 * The end of a running workflow, once its steps have all finished: SUCCESSFUL or FAILED, with
 * `end_time`; its running slot goes to the head of the pending queue.
 *
 * @example
 * ```ts
 * finishRayWorkflow(state, { workflowId: "add_example", at: 101, outcome: "SUCCESSFUL" }); // { state, promoted: null }
 * ```
 */
export function finishRayWorkflow(
  state: RayWorkflows,
  input: { readonly workflowId: string; readonly at: number; readonly outcome: "SUCCESSFUL" | "FAILED" },
): RayReleaseResult | RayFailure {
  if (input.outcome !== "SUCCESSFUL" && input.outcome !== "FAILED")
    return new DecodeError("Ray workflow operation", [
      { path: "outcome", value: input.outcome, expected: "one of SUCCESSFUL, FAILED" },
    ]);
  const ticked = advanceClock(state, input.at);
  if (ticked instanceof DecodeError) return ticked;
  const wf = state.storage.get(input.workflowId);
  if (!wf) return new RayWorkflowNotFoundError(input.workflowId);
  const unfinished = [...wf.steps.values()].filter((s) => !rayStepLifecycle.isTerminal(s.record.status));
  if (unfinished.length > 0 && rayExecutorOf(state.queue, wf.id) === "RUNNING")
    return new RayStepsUnfinishedError(
      wf.id,
      unfinished.map((s) => `${s.id} (${s.record.status})`),
    );
  const record = stepStoredWorkflow(
    state.queue,
    wf,
    input.outcome === "SUCCESSFUL" ? "succeed" : "fail",
    input.at,
  );
  if (record instanceof TransitionError) return record;
  const released = releaseFromRayQueue(state.queue, wf.id);
  const ended = putWorkflow(
    { ...ticked, queue: released.queue },
    {
      ...wf,
      record,
      stats: { ...wf.stats, end_time: input.at },
    },
  );
  return { state: promote(ended, state.queue, released.promoted, input.at), promoted: released.promoted };
}

/**
 * `workflow.cancel(id)`: a running workflow's executor is cancelled (its unfinished steps with it,
 * and its running slot goes to the head of the queue); an inactive FAILED or RESUMABLE one is
 * marked CANCELED. No `end_time` is written. Canceling a CANCELED workflow changes nothing; a
 * SUCCESSFUL one cannot be canceled (the machine's TransitionError says so). A queued (PENDING)
 * workflow is not canceled, as in Ray 2.47 (see {@link cancelInRayQueue}): nothing changes, it runs
 * once promoted, and the result says `canceled: false, waitsFor: id` (Ray's `cancel` returns only
 * when that workflow has ended, and raises its error if it fails).
 *
 * @example
 * ```ts
 * cancelRayWorkflow(state, { workflowId: "simple", at: 110 }); // { state, promoted: "next-in-queue" | null, canceled: true, waitsFor: null }
 * cancelRayWorkflow(state, { workflowId: "queued", at: 110 }); // { state, promoted: null, canceled: false, waitsFor: "queued" }
 * ```
 */
export function cancelRayWorkflow(
  state: RayWorkflows,
  input: { readonly workflowId: string; readonly at: number },
): RayCancelResult | RayFailure {
  const ticked = advanceClock(state, input.at);
  if (ticked instanceof DecodeError) return ticked;
  const wf = state.storage.get(input.workflowId);
  const plan = cancelInRayQueue(state.queue, input.workflowId, wf?.record.status);
  if (plan instanceof Error) return plan;
  if (!wf) return new RayWorkflowNotFoundError(input.workflowId);
  const unchanged = { state: ticked, promoted: null, canceled: false };
  if (plan.active && plan.queued) return { ...unchanged, waitsFor: wf.id };
  if (!plan.active && wf.record.status === "CANCELED") return { ...unchanged, waitsFor: null };
  const record = stepStoredWorkflow(state.queue, wf, "cancel", input.at);
  if (record instanceof TransitionError) return record;
  const steps = new Map<string, RayStoredStep>();
  for (const [sid, step] of wf.steps) {
    const aborted = trustedTime(rayStepLifecycle.step(step.record, { type: "abort", at: isoTime(input.at) }));
    steps.set(sid, aborted instanceof TransitionError ? step : { ...step, record: aborted });
  }
  const queue = plan.active ? plan.queue : state.queue;
  const canceled = putWorkflow({ ...ticked, queue }, { ...wf, record, steps });
  const promoted = plan.active ? plan.promoted : null;
  return {
    state: promote(canceled, state.queue, promoted, input.at),
    promoted,
    canceled: true,
    waitsFor: null,
  };
}

/**
 * `workflow.delete(id)`: removes the workflow and everything stored for it, so the id may be run
 * again as a new workflow. Refused while it runs or waits (`WorkflowStillActiveError`).
 *
 * @example
 * ```ts
 * deleteRayWorkflow(state, { workflowId: "running" }); // RayWorkflowStillActiveError
 * ```
 */
export function deleteRayWorkflow(
  state: RayWorkflows,
  input: { readonly workflowId: string },
): { readonly state: RayWorkflows } | RayFailure {
  const refused = checkRayDelete(
    state.queue,
    input.workflowId,
    state.storage.get(input.workflowId)?.record.status,
  );
  if (refused) return refused;
  const storage = new Map(state.storage);
  storage.delete(input.workflowId);
  return { state: { ...state, storage } };
}

/**
 * A system failure (Ray shut down, the management actor died): every executor is lost and nothing
 * is written, so each stored RUNNING or PENDING workflow now reads as RESUMABLE.
 *
 * @example
 * ```ts
 * const { state: after, lost } = failRaySystem(state);
 * getRayStatus(after, lost[0]!); // "RESUMABLE"
 * ```
 */
export function failRaySystem(state: RayWorkflows): {
  readonly state: RayWorkflows;
  readonly lost: readonly string[];
} {
  const lost = [...state.queue.running, ...state.queue.pending];
  return { state: { ...state, queue: loseRayExecutors(state.queue) }, lost };
}

import { type LifecycleEvent, type StatusRecord, trainingJobLifecycle } from "@phasekit/core";
import type { Subject } from "./subject.js";

/** Statuses a training job can still leave (delete and finishUnobserved apply to these only). */
const active = new Set([
  "Pending",
  "ContainerCreating",
  "Running",
  "Terminating",
  "Error",
  "ErrImagePull",
  "ImagePullBackOff",
]);

/**
 * Run:ai's training job written by hand from the seed `runai-job-statuses.txt` ("Successful Flow",
 * "Error flow") and the choices of phasekit's machine: a switch on the event type. Events into
 * Pending may carry why (NotEnoughResources, WaitingInQueue); every other event carries no reason.
 */
export function trainingJobReducer(record: StatusRecord, event: LifecycleEvent): StatusRecord | null {
  const given = event.reason ?? null;
  const from = record.status;
  let status: string;
  switch (event.type) {
    case "wait":
      if (from !== "Pending") return null;
      status = "Pending";
      break;
    case "retry":
      if (from !== "Error") return null;
      status = "Pending";
      break;
    case "requeue":
      if (from !== "Terminating" && from !== "Running") return null;
      status = "Pending";
      break;
    case "schedule":
      if (from !== "Pending" && from !== "Error") return null;
      status = "ContainerCreating";
      break;
    case "pullFailed":
      if (from !== "ContainerCreating" && from !== "ImagePullBackOff") return null;
      status = "ErrImagePull";
      break;
    case "pullBackOff":
      if (from !== "ErrImagePull") return null;
      status = "ImagePullBackOff";
      break;
    case "start":
      if (from !== "ContainerCreating" && from !== "ErrImagePull" && from !== "ImagePullBackOff") return null;
      status = "Running";
      break;
    case "cannotRun":
      if (from !== "ContainerCreating" && from !== "ErrImagePull" && from !== "ImagePullBackOff") return null;
      status = "ContainerCannotRun";
      break;
    case "succeed":
      if (from !== "ContainerCreating" && from !== "Running") return null;
      status = "Succeeded";
      break;
    case "crash":
      if (from !== "ContainerCreating" && from !== "Running") return null;
      status = "Error";
      break;
    case "fail":
      if (from !== "ContainerCreating" && from !== "Running" && from !== "Error") return null;
      status = "Fail";
      break;
    case "terminate":
      if (
        from !== "Pending" &&
        from !== "ContainerCreating" &&
        from !== "Running" &&
        from !== "ErrImagePull" &&
        from !== "ImagePullBackOff"
      )
        return null;
      status = "Terminating";
      break;
    case "delete":
      if (!active.has(from)) return null;
      status = "Deleted";
      break;
    case "finishUnobserved":
      if (!active.has(from)) return null;
      status = "Unknown";
      break;
    default:
      return null;
  }
  let reason: string | null = null;
  if (given !== null) {
    if (status !== "Pending" || (given !== "NotEnoughResources" && given !== "WaitingInQueue")) return null;
    reason = given;
  }
  const message = event.message ?? null;
  if (status === from && reason === record.reason && message === record.message) return record;
  return { status, reason, message, lastTransitionTime: event.at ?? null };
}

export const runaiTrainingJob: Subject = {
  name: "runai/TrainingJob",
  lifecycle: trainingJobLifecycle,
  reduce: trainingJobReducer,
  // Mostly the successful flow; image-pull trouble, crashes with retries and preemption now and then.
  weights: {
    wait: 1,
    schedule: 4,
    start: 4,
    succeed: 3,
    crash: 0.5,
    retry: 2,
    fail: 0.3,
    pullFailed: 0.3,
    pullBackOff: 1,
    cannotRun: 0.1,
    terminate: 0.2,
    requeue: 1,
    delete: 0.1,
    finishUnobserved: 0.05,
  },
};

import { dyff, type LifecycleEvent, type StatusRecord } from "@phasekit/core";
import type { Subject } from "./subject.js";

/**
 * Dyff's Evaluation written by hand, from the seed `dyff-workflow-status.txt` and the choices in the
 * generated reference: a switch on the event type, then on the record's status and the event's reason.
 * Its records are the same `{status, reason, message, lastTransitionTime}` objects the lifecycle makes.
 */
export function evaluationReducer(record: StatusRecord, event: LifecycleEvent): StatusRecord | null {
  const given = event.reason ?? null;
  const { status: from, reason: fromReason } = record;
  let status: string;
  let reason: string | null;
  switch (event.type) {
    case "wait":
      if (from !== "Created") return null;
      if (fromReason === null && (given === "QuotaLimit" || given === "UnsatisfiedDependency"))
        reason = given;
      else if (fromReason === "UnsatisfiedDependency" && given === "QuotaLimit") reason = given;
      else return null;
      status = "Created";
      break;
    case "admit":
      if (from !== "Created" || given !== null) return null;
      status = "Admitted";
      reason = null;
      break;
    case "verify":
      if (from !== "Admitted" || fromReason !== null || (given !== null && given !== "Unverified"))
        return null;
      status = "Admitted";
      reason = "Unverified";
      break;
    case "succeed":
      if (from !== "Admitted" || fromReason !== "Unverified" || given !== null) return null;
      status = "Complete";
      reason = null;
      break;
    case "fail":
      switch (given) {
        case "SchemaError":
        case "AdmissionFailed":
          if (from !== "Created") return null;
          break;
        case "FailedDependency":
          if (from !== "Created" && from !== "Admitted") return null;
          break;
        case "InferenceFailed":
          if (from !== "Admitted" || fromReason !== null) return null;
          break;
        case "VerificationFailed":
          if (from !== "Admitted" || fromReason !== "Unverified") return null;
          break;
        default:
          return null;
      }
      status = "Failed";
      reason = given;
      break;
    case "terminate":
      if (given === "TerminateCommand") {
        if (from !== "Created" && from !== "Admitted") return null;
      } else if (given !== "KubernetesResourceDeleted" || from !== "Admitted") return null;
      status = "Terminated";
      reason = given;
      break;
    case "delete":
      if (from === "Deleted" || (given !== null && given !== "DeleteCommand")) return null;
      status = "Deleted";
      reason = "DeleteCommand";
      break;
    default:
      return null;
  }
  const message = event.message ?? null;
  if (status === from && reason === fromReason && message === record.message) return record;
  return { status, reason, message, lastTransitionTime: event.at ?? null };
}

export const dyffEvaluation: Subject = {
  name: "dyff/Evaluation",
  lifecycle: dyff.Evaluation,
  reduce: evaluationReducer,
  // Mostly forward progress; failures, terminations and early deletes are rarer, as on a real cluster.
  weights: { wait: 1, admit: 4, verify: 4, succeed: 4, fail: 0.4, terminate: 0.2, delete: 0.3 },
};

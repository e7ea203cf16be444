import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { From, LifecycleSpec, StatusSpec, TransitionSpec } from "../../lifecycle/spec.js";
import { steps } from "./steps.generated.js";

/**
 * What every Dyff kind shares (seed `dyff-workflow-status.txt`): Created, the family's success and
 * failure statuses, Terminated and Deleted; computational kinds also pass through Admitted.
 */

/** `job` kinds succeed as Complete and fail as Failed; `artifact` kinds succeed as Ready and fail as Error. */
export type DyffFamily = "job" | "artifact";

export const createdReasons = ["QuotaLimit", "UnsatisfiedDependency"] as const;
/** "Applies to: all resources." SchemaError and AdmissionFailed happen while admitting, FailedDependency at any time before the end. */
export const commonFailureReasons = ["SchemaError", "FailedDependency", "AdmissionFailed"] as const;
export const terminatedReasons = ["TerminateCommand", "KubernetesResourceDeleted"] as const;
/**
 * The failure reason of a kind's own work when the seed names none for that kind (Audit, Measurement,
 * SafetyCase, InferenceSession). Dyff's informer passes the operator's condition reason through
 * unchanged, so the real platform writes *some* reason there; phasekit names one, rather than leave
 * a failed step stuck in Admitted or misreport it as SchemaError or AdmissionFailed.
 *
 * @example
 * ```ts
 * dyff.Audit.step(admitted, { type: "fail", reason: genericWorkFailure }); // Failed/WorkflowFailed
 * ```
 */
export const genericWorkFailure = "WorkflowFailed";

export const dyffEvents = {
  wait: "The orchestrator cannot admit yet: a quota is full (QuotaLimit) or a dependency is not ready (UnsatisfiedDependency).",
  admit: "The orchestrator created the workflow's Kubernetes resource: computation has begun.",
  verify: "The inference step finished; the verification step runs (Evaluation only).",
  succeed: "The workflow reached its success status.",
  fail: "The workflow failed; the event carries the reason.",
  terminate: "A user's terminate command, or the workflow's Kubernetes resource vanished before it finished.",
  delete: "A user's delete command. Nothing is removed: the object keeps its data and becomes Deleted.",
} as const;
export type DyffEvent = keyof typeof dyffEvents;

/** How one kind differs from the family. */
export interface DyffKindOptions<
  W extends string,
  F extends DyffFamily = DyffFamily,
  C extends boolean = boolean,
  V extends boolean = boolean,
> {
  readonly kind: string;
  readonly family: F;
  /** Kinds that run computation pass through Admitted; the others go Created -> success directly. */
  readonly computes: C;
  /** Failure reasons of the kind's own work, reached from Admitted. */
  readonly workFailures: readonly W[];
  /** Evaluation: an Admitted/Unverified stage between inference and success. */
  readonly verifies?: V;
  /** Which work failure happens in which stage, for kinds with stages (Evaluation). */
  readonly failureStage?: Partial<Record<W, "inference" | "verification">>;
  readonly notes?: readonly string[];
}

export const successStatus = { job: "Complete", artifact: "Ready" } as const;
export const failureStatus = { job: "Failed", artifact: "Error" } as const;

type CreatedReason = (typeof createdReasons)[number];
type CommonFailureReason = (typeof commonFailureReasons)[number];
type TerminatedReason<C extends boolean> = C extends true
  ? (typeof terminatedReasons)[number]
  : "TerminateCommand";

/** The statuses of a Dyff kind of family `F` that computes (`C`) or not, as a literal union. */
export type DyffStatus<F extends DyffFamily = DyffFamily, C extends boolean = boolean> =
  | "Created"
  | (C extends true ? "Admitted" : never)
  | (typeof successStatus)[F]
  | (typeof failureStatus)[F]
  | "Terminated"
  | "Deleted";

/** The event types of a Dyff kind, as a literal union. */
export type DyffEventType<C extends boolean = boolean, V extends boolean = boolean> =
  | "wait"
  | (C extends true ? "admit" : never)
  | (V extends true ? "verify" : never)
  | "succeed"
  | "fail"
  | "terminate"
  | "delete";

/** The reasons each Dyff event carries, for a kind with work failures `W`. */
export type DyffEventReasons<W extends string, C extends boolean, V extends boolean> = Pick<
  {
    readonly wait: CreatedReason;
    readonly admit: never;
    readonly verify: "Unverified";
    readonly succeed: never;
    readonly fail: CommonFailureReason | W;
    readonly terminate: TerminatedReason<C>;
    readonly delete: "DeleteCommand";
  },
  DyffEventType<C, V>
>;

/** The reasons of a Dyff kind, as a literal union. */
export type DyffReason<W extends string = string, C extends boolean = boolean, V extends boolean = boolean> =
  | CreatedReason
  | (V extends true ? "Unverified" : never)
  | CommonFailureReason
  | W
  | TerminatedReason<C>
  | "DeleteCommand";

/** The typed lifecycle of a Dyff kind: literal statuses, reasons and events, each event with its reasons. */
export type DyffLifecycle<
  W extends string,
  F extends DyffFamily,
  C extends boolean,
  V extends boolean,
> = Lifecycle<DyffStatus<F, C>, DyffReason<W, C, V>, DyffEventType<C, V>, DyffEventReasons<W, C, V>>;

/**
 * Builds the spec of one Dyff kind from its options. Pass the options as literals (`computes: true`,
 * `family: "job"`): the spec's statuses, reasons and events are inferred as literal unions.
 */
export function dyffSpec<
  const W extends string,
  const F extends DyffFamily,
  const C extends boolean,
  const V extends boolean = false,
>(o: DyffKindOptions<W, F, C, V>): LifecycleSpec<DyffStatus<F, C>, DyffReason<W, C, V>, DyffEventType<C, V>> {
  const success = successStatus[o.family];
  const failure = failureStatus[o.family];
  const failures = [...commonFailureReasons, ...o.workFailures];
  const terminated = o.computes ? terminatedReasons : (["TerminateCommand"] as const);
  const statuses: Record<string, StatusSpec> = {
    Created: {
      terminal: false,
      outcome: null,
      reasons: createdReasons,
      reasonRequired: false,
      description: "The specification is in the Dyff datastore; no work has been done yet.",
      phase: "Pending",
      phaseRationale:
        "Nothing runs yet; the orchestrator has not admitted it (QuotaLimit and UnsatisfiedDependency are reasons of this one status, so the phase is the wider Pending, not Queued).",
    },
  };
  if (o.computes) {
    statuses.Admitted = {
      terminal: false,
      outcome: null,
      reasons: o.verifies ? ["Unverified"] : [],
      reasonRequired: false,
      description: o.verifies
        ? "Computation has begun; Unverified once inference is done and verification runs."
        : "Computation has begun.",
      phase: "Running",
      phaseRationale: "The workflow's Kubernetes resource exists and computes (verification included).",
    };
  }
  statuses[success] = {
    terminal: true,
    outcome: "success",
    reasons: [],
    reasonRequired: false,
    description: "The workflow completed successfully.",
    phase: "Succeeded",
    phaseRationale: "Terminal with outcome success.",
  };
  statuses[failure] = {
    terminal: true,
    outcome: "failure",
    reasons: failures,
    reasonRequired: true,
    description: "Something went wrong; the reason says what.",
    phase: "Failed",
    phaseRationale: "Terminal with outcome failure.",
  };
  statuses.Terminated = {
    terminal: true,
    outcome: "early-termination",
    reasons: terminated,
    reasonRequired: true,
    description: "Terminated before it reached a terminal status, by a user or by Dyff.",
    phase: "Stopped",
    phaseRationale: "Ended early by a terminate command or a vanished resource: neither success nor failure.",
  };
  statuses.Deleted = {
    terminal: true,
    outcome: "deleted",
    reasons: ["DeleteCommand"],
    reasonRequired: true,
    description: "Deleted: kept for its references, never used by new workflows.",
    phase: "Deleted",
    phaseRationale: "Terminal with outcome deleted; the object is kept.",
  };

  const lastStage: From<string, string> = o.verifies ? ["Admitted", "Unverified"] : "Admitted";
  const stageOf = (w: W): From<string, string>[] => {
    const stage = o.failureStage?.[w];
    if (stage === "inference") return [["Admitted", null]];
    if (stage === "verification") return [["Admitted", "Unverified"]];
    return ["Admitted"];
  };
  const t: TransitionSpec<string, string, DyffEvent>[] = [
    { event: "wait", from: [["Created", null]], to: "Created", reasons: createdReasons },
    { event: "wait", from: [["Created", "UnsatisfiedDependency"]], to: "Created", reasons: ["QuotaLimit"] },
  ];
  if (o.computes) {
    t.push({ event: "admit", from: ["Created"], to: "Admitted", reason: null });
    if (o.verifies)
      t.push({ event: "verify", from: [["Admitted", null]], to: "Admitted", reason: "Unverified" });
    t.push({ event: "succeed", from: [lastStage], to: success, reason: null });
  } else {
    t.push({ event: "succeed", from: ["Created"], to: success, reason: null });
  }
  t.push({ event: "fail", from: ["Created"], to: failure, reasons: ["SchemaError", "AdmissionFailed"] });
  t.push({
    event: "fail",
    from: o.computes ? ["Created", "Admitted"] : ["Created"],
    to: failure,
    reasons: ["FailedDependency"],
  });
  for (const w of o.workFailures) t.push({ event: "fail", from: stageOf(w), to: failure, reasons: [w] });
  t.push({
    event: "terminate",
    from: o.computes ? ["Created", "Admitted"] : ["Created"],
    to: "Terminated",
    reasons: ["TerminateCommand"],
  });
  if (o.computes)
    t.push({
      event: "terminate",
      from: ["Admitted"],
      to: "Terminated",
      reasons: ["KubernetesResourceDeleted"],
    });
  t.push({
    event: "delete",
    from: Object.keys(statuses).filter((s) => s !== "Deleted"),
    to: "Deleted",
    reason: "DeleteCommand",
  });

  const events: Record<string, string> = {};
  for (const tr of t) events[tr.event] = dyffEvents[tr.event];
  return {
    system: "dyff",
    kind: o.kind,
    family: o.family,
    initial: { status: "Created", reason: null },
    statuses,
    transitions: t,
    events: events as Record<DyffEvent, string>,
    ...(o.notes ? { notes: o.notes } : {}),
  } as LifecycleSpec as LifecycleSpec<DyffStatus<F, C>, DyffReason<W, C, V>, DyffEventType<C, V>>;
}

/** The lifecycle of one Dyff kind, typed by its literal statuses, reasons and events. */
export const dyffLifecycle = <
  const W extends string,
  const F extends DyffFamily,
  const C extends boolean,
  const V extends boolean = false,
>(
  o: DyffKindOptions<W, F, C, V>,
): DyffLifecycle<W, F, C, V> =>
  new Lifecycle<DyffStatus<F, C>, DyffReason<W, C, V>, DyffEventType<C, V>, DyffEventReasons<W, C, V>>(
    dyffSpec(o),
    steps[o.kind],
  );

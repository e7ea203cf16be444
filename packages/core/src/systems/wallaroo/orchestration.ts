import * as z from "zod";
import { DecodeError } from "../../lifecycle/errors.js";
import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import type { LifecycleSpec } from "../../lifecycle/spec.js";
import { steps } from "./steps.generated.js";

/**
 * A Wallaroo ML Workload Orchestration: an uploaded ZIP (the "recipe") that Wallaroo packages into
 * a runnable environment. Statuses are the SDK's `OrchestrationStatus` values
 * (`wallaroo_ml_ops_api_client/models/orchestration_status.py`); tasks can be created only from a
 * `ready` orchestration.
 */

export const wallarooOrchestrationStatuses = [
  "uninitialized",
  "pending_packaging",
  "packaging",
  "ready",
  "error",
] as const;
export type WallarooOrchestrationStatus = (typeof wallarooOrchestrationStatuses)[number];

export const wallarooOrchestrationEvents = {
  upload: "The ZIP was uploaded and accepted; packaging is queued.",
  startPackaging: "Wallaroo began building the orchestration's environment (requirements installed).",
  packaged: "Packaging finished: the orchestration is ready for tasks.",
  packagingFailed: "Packaging failed (for example a requirement that cannot be installed).",
} as const;
export type WallarooOrchestrationEvent = keyof typeof wallarooOrchestrationEvents;

const spec: LifecycleSpec<WallarooOrchestrationStatus, never, WallarooOrchestrationEvent> = {
  system: "wallaroo",
  kind: "Orchestration",
  initial: { status: "uninitialized", reason: null },
  statuses: {
    uninitialized: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "The SDK's initial value: the orchestration record exists, its upload is not complete.",
      phase: "Pending",
      phaseRationale: "Known, nothing done with it yet.",
      columns: { dashboard: "Inactive", tasksAllowed: false },
    },
    pending_packaging: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "Uploaded, but packaging has not started yet.",
      phase: "Pending",
      phaseRationale: "Waiting for packaging to begin; no capacity wait is known.",
      columns: { dashboard: "Inactive", tasksAllowed: false },
    },
    packaging: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "Wallaroo is packaging the orchestration.",
      phase: "Starting",
      phaseRationale: "Its environment is being prepared before any task may use it.",
      columns: { dashboard: "Inactive", tasksAllowed: false },
    },
    ready: {
      terminal: true,
      outcome: "success",
      reasons: [],
      reasonRequired: false,
      description: "Ready for use: tasks can be created from it.",
      phase: "Succeeded",
      phaseRationale: "Terminal with outcome success: packaging is the orchestration's whole lifecycle.",
      columns: { dashboard: "Active", tasksAllowed: true },
    },
    error: {
      terminal: true,
      outcome: "failure",
      reasons: [],
      reasonRequired: false,
      description: "Packaging failed; the orchestration cannot be used.",
      phase: "Failed",
      phaseRationale: "Terminal with outcome failure.",
      columns: { dashboard: "Error", tasksAllowed: false },
    },
  },
  transitions: [
    { event: "upload", from: ["uninitialized"], to: "pending_packaging", reason: null },
    { event: "startPackaging", from: ["pending_packaging"], to: "packaging", reason: null },
    { event: "packaged", from: ["packaging"], to: "ready", reason: null },
    { event: "packagingFailed", from: ["pending_packaging", "packaging"], to: "error", reason: null },
  ],
  events: wallarooOrchestrationEvents,
  notes: [
    "The `dashboard` column is the Status the Wallaroo Dashboard shows (Active, Inactive or Error).",
    "A ZIP that breaks the package rules (no main.py, several requirements.txt) is refused at upload: it never becomes an orchestration (see `checkWallarooPackage`).",
  ],
};

/**
 * The Orchestration lifecycle: `uninitialized -> pending_packaging -> packaging -> ready | error`.
 *
 * @example
 * ```ts
 * const o = wallarooOrchestration.replay([{ type: "upload" }, { type: "startPackaging" }, { type: "packaged" }]);
 * // { status: "ready", ... }
 * ```
 */
export const wallarooOrchestration = new Lifecycle(spec, steps.Orchestration);

/** An orchestration as the SDK lists it, with its status record. */
export interface WallarooOrchestration extends StatusRecord<WallarooOrchestrationStatus, never> {
  /** UUID. */
  readonly id: string;
  /** `null` when none was given (the SDK shows `None`). */
  readonly name: string | null;
  /** The uploaded file's name, or `null` when bytes were uploaded without one (shown as `-`). */
  readonly fileName: string | null;
  /** sha256 of the uploaded ZIP, hex. */
  readonly sha: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly workspaceId: number;
  readonly workspaceName: string;
}

/** The zod schema of {@link WallarooOrchestration}, for decoding untrusted JSON. */
export const wallarooOrchestrationSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().nullable(),
    fileName: z.string().nullable(),
    sha: z.string().regex(/^[0-9a-f]{64}$/, "a sha256 in lower-case hex"),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    workspaceId: z.number().int(),
    workspaceName: z.string(),
    status: z.enum(wallarooOrchestrationStatuses),
    reason: z.null(),
    message: z.string().nullable(),
    lastTransitionTime: z.string().nullable(),
  })
  .strict();

/**
 * Checks that a task may be created from an orchestration: only a `ready` one qualifies. Returns
 * the orchestration, or a {@link DecodeError} naming its id, its status and what was expected.
 *
 * @example
 * ```ts
 * const ok = requireReadyOrchestration(orchestration);
 * if (ok instanceof DecodeError) console.error(ok.message);
 * // wallaroo task from orchestration 0b1c...: 1 problem
 * //   orchestration.status: got "packaging", expected ready (tasks can be created only from a ready orchestration)
 * ```
 */
export function requireReadyOrchestration(
  orchestration: Pick<WallarooOrchestration, "id" | "status">,
): typeof orchestration | DecodeError {
  if (orchestration.status === "ready") return orchestration;
  return new DecodeError(`wallaroo task from orchestration ${orchestration.id}`, [
    {
      path: "orchestration.status",
      value: orchestration.status,
      expected: "ready (tasks can be created only from a ready orchestration)",
    },
  ]);
}

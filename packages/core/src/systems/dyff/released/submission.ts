import { Lifecycle } from "../../../lifecycle/lifecycle.js";
import type { LifecycleSpec } from "../../../lifecycle/spec.js";
import { dyffEvents } from "../family.js";
import { steps } from "../steps.generated.js";
import { deleted, events } from "./shared.js";
import { DYFF_SCHEMA } from "./vocabulary.js";

/** Submission: the package's shared statuses Approved (success) and Denied (failure). */
export const submissionSpec: LifecycleSpec = {
  system: "dyff",
  kind: "Submission",
  family: "challenge",
  source: DYFF_SCHEMA,
  initial: { status: "Created", reason: null },
  statuses: {
    Created: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "A team asks that its entry be assessed.",
      phase: "Pending",
      phaseRationale: "Known, waiting for an administrator's decision.",
    },
    Approved: {
      terminal: true,
      outcome: "success",
      reasons: [],
      reasonRequired: false,
      description: "Accepted as an official entry (is_status_success).",
      phase: "Succeeded",
      phaseRationale: "Terminal with outcome success.",
    },
    Denied: {
      terminal: true,
      outcome: "failure",
      reasons: [],
      reasonRequired: false,
      description: "Refused, e.g. over the challenge's submission limit (is_status_failure).",
      phase: "Failed",
      phaseRationale: "Terminal with outcome failure.",
    },
    Deleted: deleted,
  },
  transitions: [
    { event: "approve", from: ["Created"], to: "Approved", reason: null },
    { event: "deny", from: ["Created"], to: "Denied", reason: null },
    { event: "delete", from: ["Created", "Approved", "Denied"], to: "Deleted", reason: "DeleteCommand" },
  ],
  events: { ...events("approve", "deny"), delete: dyffEvents.delete },
};

/** The Submission lifecycle of the released vocabulary. */
export const submissionLifecycle = new Lifecycle(submissionSpec, steps.Submission);

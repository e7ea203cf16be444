import { Lifecycle } from "../../../lifecycle/lifecycle.js";
import type { LifecycleSpec } from "../../../lifecycle/spec.js";
import { dyffEvents } from "../family.js";
import { steps } from "../steps.generated.js";
import { deleted, events } from "./shared.js";
import { DYFF_SCHEMA } from "./vocabulary.js";

/** Team: `TeamStatus` of the package; a challenge administrator approves or denies its entry. */
export const teamSpec: LifecycleSpec = {
  system: "dyff",
  kind: "Team",
  family: "challenge",
  source: DYFF_SCHEMA,
  initial: { status: "WaitingForApproval", reason: null },
  statuses: {
    WaitingForApproval: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "A new Team waits for a challenge administrator to approve or deny its entry.",
      phase: "Pending",
      phaseRationale: "Known, and waiting for an administrator's decision; it takes no part yet.",
    },
    Active: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "Approved: only Active teams may submit to the challenge.",
      phase: "Running",
      phaseRationale: "The team takes part in the challenge: it may submit.",
    },
    EntryDenied: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "Denied entry to the challenge.",
      phase: "Pending",
      phaseRationale:
        "Not terminal (is_status_terminal): it takes no part unless an administrator approves it later, as before a decision.",
    },
    Deleted: deleted,
  },
  transitions: [
    { event: "approve", from: ["WaitingForApproval", "EntryDenied"], to: "Active", reason: null },
    { event: "deny", from: ["WaitingForApproval", "Active"], to: "EntryDenied", reason: null },
    {
      event: "delete",
      from: ["WaitingForApproval", "Active", "EntryDenied"],
      to: "Deleted",
      reason: "DeleteCommand",
    },
  ],
  events: { ...events("approve", "deny"), delete: dyffEvents.delete },
  notes: [
    "Active and EntryDenied are not terminal (the package's is_status_terminal lists neither), and dyff-client's approve_team and deny_team state no precondition: an administrator may change the decision either way.",
  ],
};

/** The Team lifecycle of the released vocabulary. */
export const teamLifecycle = new Lifecycle(teamSpec, steps.Team);

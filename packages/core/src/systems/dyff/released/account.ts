import { Lifecycle } from "../../../lifecycle/lifecycle.js";
import type { LifecycleSpec } from "../../../lifecycle/spec.js";
import { steps } from "../steps.generated.js";
import { events } from "./shared.js";
import { DYFF_SCHEMA } from "./vocabulary.js";

/** Account: `AccountStatus` and `AccountStatusReason` of the package; not a DyffEntity, never Deleted. */
export const accountSpec: LifecycleSpec = {
  system: "dyff",
  kind: "Account",
  family: "account",
  source: DYFF_SCHEMA,
  initial: { status: "Active", reason: null },
  statuses: {
    Active: {
      terminal: false,
      outcome: null,
      reasons: ["ReactivateCommand"],
      reasonRequired: false,
      description: "The account may act (the default of accounts that predate the status field).",
      phase: "Running",
      phaseRationale: "The account is in use: it may act.",
    },
    Suspended: {
      terminal: false,
      outcome: null,
      reasons: ["SuspendCommand"],
      reasonRequired: true,
      description: "Suspended by an administrator.",
      phase: "Degraded",
      phaseRationale: "Not over, not usable: an administrator may reactivate it.",
    },
  },
  transitions: [
    { event: "suspend", from: ["Active"], to: "Suspended", reason: "SuspendCommand" },
    { event: "reactivate", from: ["Suspended"], to: "Active", reason: "ReactivateCommand" },
  ],
  events: events("suspend", "reactivate"),
};

/** The Account lifecycle of the released vocabulary. */
export const accountLifecycle = new Lifecycle(accountSpec, steps.Account);

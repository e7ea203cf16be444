import type { StatusSpec } from "../../../lifecycle/spec.js";
import { releasedEvents } from "./vocabulary.js";

/** What the package-only kinds share: Deleted (a DyffEntity's), and their events' descriptions. */

export const deleted: StatusSpec = {
  terminal: true,
  outcome: "deleted",
  reasons: ["DeleteCommand"],
  reasonRequired: true,
  description: "Deleted: kept for its references, never used by new workflows.",
  phase: "Deleted",
  phaseRationale: "Terminal with outcome deleted; the object is kept.",
};

/** The descriptions of some released events, for a kind's spec. */
export const events = <E extends keyof typeof releasedEvents>(...names: E[]) =>
  Object.fromEntries(names.map((n) => [n, releasedEvents[n] as string])) as Record<E, string>;

import type { HistoryCause } from "@phasekit/core";
import type { RayWorkflowSpec } from "./scenario.js";

/** What the Ray engine does, in agenda order. */
export type RayAction =
  | { readonly type: "run"; readonly spec: RayWorkflowSpec }
  | { readonly type: "resume"; readonly id: string }
  | { readonly type: "resumeAll"; readonly includeFailed: boolean }
  | { readonly type: "cancel"; readonly id: string }
  | { readonly type: "restartCluster" }
  | { readonly type: "executed"; readonly id: string; readonly gen: number };

/** The cause of the changes an action makes, and the workflow it concerns (`-`: every workflow). */
export function rayActingOf(action: RayAction): { readonly id: string; cause: HistoryCause } {
  switch (action.type) {
    case "run":
      return { id: action.spec.id, cause: { kind: "command", by: "scenario", what: "workflow.run" } };
    case "resume":
      return { id: action.id, cause: { kind: "command", by: "scenario", what: "workflow.resume" } };
    case "resumeAll":
      return { id: "-", cause: { kind: "command", by: "scenario", what: "workflow.resume_all" } };
    case "cancel":
      return { id: action.id, cause: { kind: "command", by: "scenario", what: "workflow.cancel" } };
    case "restartCluster":
      return { id: "-", cause: { kind: "fault", by: "scenario", what: "the Ray cluster restarts" } };
    case "executed":
      return { id: action.id, cause: { kind: "rule", by: "ray", what: "a step execution ended" } };
  }
}

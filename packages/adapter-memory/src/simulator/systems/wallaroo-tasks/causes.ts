import type { HistoryCause } from "@phasekit/core";
import type { WallarooOrchestrationSpec, WallarooTaskSpec } from "./scenario.js";

/** What the tasks engine does, in agenda order. */
export type TasksAction =
  | { readonly type: "upload"; readonly spec: WallarooOrchestrationSpec }
  | { readonly type: "packaging"; readonly id: string }
  | { readonly type: "packaged"; readonly id: string }
  | { readonly type: "create"; readonly spec: WallarooTaskSpec }
  | {
      readonly type: "plan";
      readonly task: string;
      readonly confirmKill: boolean;
      /** Set when the plan confirms the experimental pause or resume rather than a kill. */
      readonly confirms?: "pause" | "resume";
    }
  | {
      readonly type: "finish";
      readonly task: string;
      readonly run: string;
      readonly outcome: "success" | "failure";
    }
  | { readonly type: "kill" | "pause" | "resume"; readonly task: string; readonly takesMs: number };
type Action = TasksAction;

/** The cause of the changes an action of the tasks engine makes. */
export function taskActingOf(action: Action): HistoryCause {
  switch (action.type) {
    case "upload":
      return { kind: "command", by: "scenario", what: "upload the orchestration" };
    case "packaging":
      return { kind: "rule", by: "wallaroo", what: "packaging starts" };
    case "packaged":
      return { kind: "rule", by: "wallaroo", what: "packaging ends" };
    case "create":
      return { kind: "command", by: "scenario", what: `create the task (${action.spec.type})` };
    case "finish":
      return { kind: "rule", by: "wallaroo", what: `run ${action.run} ends: ${action.outcome}` };
    case "kill":
      return { kind: "command", by: "scenario", what: "Task.kill()" };
    case "pause":
      return { kind: "command", by: "scenario", what: "Task._pause() (experimental)" };
    case "resume":
      return { kind: "command", by: "scenario", what: "Task._resume() (experimental)" };
    case "plan":
      if (action.confirms !== undefined)
        return { kind: "rule", by: "wallaroo", what: `the platform confirms the ${action.confirms}` };
      return action.confirmKill
        ? { kind: "rule", by: "wallaroo", what: "every run of the killed task has stopped" }
        : { kind: "rule", by: "wallaroo", what: "the task's schedule is due" };
  }
}

import type { HistoryCause } from "@phasekit/core";
import type { TasksAction as Action } from "./engine.js";

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
      return action.confirmKill
        ? { kind: "rule", by: "wallaroo", what: "every run of the killed task has stopped" }
        : { kind: "rule", by: "wallaroo", what: "the task's schedule is due" };
  }
}

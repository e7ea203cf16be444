import { describe, expect, it } from "vitest";
import { historyLines } from "./history.js";

describe("an entity's history on the page", () => {
  it("one line per status change, command and note, in order: what happened (from -> to, phase, event, message, facts) and why", () => {
    const created = { status: "Created", reason: null, phase: "Pending" };
    const lines = historyLines({
      items: [
        { type: "command", t: 0, command: "create", by: "alice", refused: null },
        {
          type: "status",
          t: 0,
          ...created,
          from: null,
          event: null,
          causes: [{ kind: "command", by: "alice", what: "create" }],
          message: null,
          facts: {},
        },
        {
          type: "status",
          t: 60,
          status: "Admitted",
          reason: null,
          phase: "Running",
          from: created,
          event: "admit",
          causes: [{ kind: "rule", by: "orchestrator", what: "quota free" }],
          message: "admitted",
          facts: { gpu: 2 },
        },
        {
          type: "command",
          t: 90,
          command: "terminate",
          by: "bob",
          refused: "Unauthorized: bob is not alice",
        },
        {
          type: "note",
          t: 120,
          cause: { kind: "fault", by: null, what: "crash" },
          text: "the operator crashed",
        },
      ],
    });
    expect(lines).toEqual([
      { t: 0, what: "create accepted", cause: "command by alice" },
      { t: 0, what: "created as Created (Pending)", cause: "command by alice: create" },
      {
        t: 60,
        what: "Created → Admitted (Running) by admit — admitted — gpu=2",
        cause: "rule by orchestrator: quota free",
      },
      { t: 90, what: "terminate refused: Unauthorized: bob is not alice", cause: "command by bob" },
      { t: 120, what: "the operator crashed", cause: "fault: crash" },
    ]);
  });
});

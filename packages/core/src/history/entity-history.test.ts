import { describe, expect, it } from "vitest";
import { entityHistory } from "./entity-history.js";
import { historyText } from "./history-text.js";

describe("entityHistory", () => {
  it("given a Ray workflow's changes: each gets its phase, where it came from and the machine event between", () => {
    const h = entityHistory({
      system: "ray",
      kind: "Workflow",
      id: "w",
      items: [
        { type: "status", t: 0, status: "PENDING", reason: null },
        { type: "command", t: 30, command: "workflow.cancel", by: "bob", refused: "Unauthorized: not bob's" },
        {
          type: "status",
          t: 60,
          status: "RUNNING",
          reason: null,
          causes: [{ kind: "rule", by: "ray", what: "a running slot freed" }],
        },
        { type: "status", t: 90, status: "FAILED", reason: null },
      ],
    });
    expect(h.final).toEqual({ status: "FAILED", reason: null, phase: "Failed" });
    const [pending, refused, running, failed] = h.items;
    expect(pending).toMatchObject({
      phase: "Queued",
      from: null,
      event: null,
      causes: [],
      facts: {},
      message: null,
    });
    expect(refused).toMatchObject({ type: "command", refused: "Unauthorized: not bob's" });
    expect(running).toMatchObject({
      phase: "Running",
      event: "promote",
      from: { status: "PENDING", reason: null, phase: "Queued" },
    });
    expect(failed).toMatchObject({ event: "fail", from: { status: "RUNNING" } });
  });

  it("given a jump no single event makes, or Run:ai's displayed Init:1/2: event null, the phase still found", () => {
    const h = entityHistory({
      system: "runai",
      kind: "DistributedJob",
      id: "d",
      items: [
        { type: "status", t: 0, status: "Pending", reason: null },
        { type: "status", t: 1, status: "Init:0/2", reason: null },
        { type: "status", t: 2, status: "Succeeded", reason: null },
      ],
    });
    expect(h.items.map((i) => (i.type === "status" ? [i.phase, i.event] : null))).toEqual([
      ["Queued", null],
      ["Starting", "initialize"],
      ["Succeeded", null],
    ]);
  });

  it("historyText: a header, then one row per item with its type, what, event, from and why", () => {
    const text = historyText(
      entityHistory({
        system: "dyff",
        kind: "Model",
        id: "m1",
        items: [
          { type: "command", t: 0, command: "create", by: "alice", refused: null },
          {
            type: "status",
            t: 0,
            status: "Created",
            reason: null,
            causes: [{ kind: "command", by: "alice", what: "create" }],
          },
          { type: "status", t: 90, status: "Admitted", reason: null, facts: { gpus: 1 } },
          { type: "command", t: 120, command: "terminate", by: "bob", refused: "Unauthorized: no" },
        ],
      }),
    );
    expect(text).toBe(
      [
        "Name:    m1",
        "System:  dyff",
        "Kind:    Model",
        "Status:  Admitted (phase Running)",
        "Events:",
        "  TIME   TYPE     WHAT                EVENT  FROM     WHY",
        "  0s     Command  create              -      -        by alice",
        "  0s     Status   Created [Pending]   -      -        command alice: create",
        "  1m30s  Status   Admitted [Running]  admit  Created  gpus=1",
        "  2m     Refused  terminate           -      -        by bob: Unauthorized: no",
        "",
      ].join("\n"),
    );
  });
});

import { describe, expect, it } from "vitest";
import { renderReliability } from "./doc.js";
import type { ReliabilityFigure } from "./record.js";

const figure = (id: string): ReliabilityFigure => ({
  id,
  fault: `fault of ${id}`,
  backend: "b",
  load: "l",
  injected: "i",
  lostStatusChanges: 0,
  doubleAdmissions: null,
  quotaBreaches: 0,
  command: `cmd ${id}`,
  test: "t",
});

describe("RELIABILITY.md", () => {
  it("claims no figure that no test wrote: without figures every fault is listed as not measured, and no row is", () => {
    const doc = renderReliability(new Map());
    const rows = doc
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| fault") && !l.startsWith("| backends"));
    expect(rows).toEqual([]);
    for (const fault of [
      "SIGKILL",
      "broker restart",
      "API server restart",
      "poison message",
      "fuzzed decoder",
      "differential",
    ])
      expect(doc.split("## Not measured here")[1]).toContain(fault);
  });

  it("gives each figure written its row, with its counts and command, and lists it no longer as missing", () => {
    const doc = renderReliability(new Map([["kafka-poison-events", figure("kafka-poison-events")]]));
    expect(doc).toContain(
      "| fault of kafka-poison-events | b | l | i | 0 | not counted | 0 | `cmd kafka-poison-events` |",
    );
    const missing = doc.split("## Not measured here")[1]!;
    expect(missing).not.toContain("the events topic");
    expect(missing).toContain("the state topic");
  });
});

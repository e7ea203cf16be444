import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DecodeError, type EventMessage, type LogRecord } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { dyffCauses } from "./dyff-causes.js";
import { parseScenario } from "./load.js";
import { prepare, runToEnd } from "./run.js";

const examples = fileURLToPath(new URL("../../../../examples/", import.meta.url));

describe("dyffCauses", () => {
  it("finds each state's event by position whether the log lists its partitions one after the other or mixed", () => {
    const scenario = parseScenario(readFileSync(`${examples}fault-heavy.yaml`, "utf8"), "fault-heavy.yaml");
    if (scenario instanceof DecodeError) throw scenario;
    const sim = prepare(scenario, scenario.seed, scenario.faults);
    runToEnd(sim, scenario.until);
    const records = sim.backend.events.records();
    expect(new Set(records.map((r) => r.partition)).size).toBeGreaterThan(1);
    // By offset, then partition: no partition is one run any more, so positions are looked up by map.
    const mixed: LogRecord<EventMessage>[] = [...records].sort(
      (a, b) => a.offset - b.offset || a.partition - b.partition,
    );
    const causes = (rs: readonly LogRecord<EventMessage>[]) =>
      JSON.stringify([...dyffCauses(sim.timeline, sim.notes, sim.recorder.stateHistory, rs).values()]);
    const byRuns = causes(records);
    expect(byRuns).toBe(causes(mixed));
    expect(byRuns).toContain('"kind":"rule"');
    expect(byRuns).toContain('"kind":"command"');
    // Without the log nothing is found: the causes above came from its records.
    expect(causes([])).not.toContain('"kind":"command"');
  });
});

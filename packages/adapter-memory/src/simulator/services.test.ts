import { readdirSync, readFileSync } from "node:fs";
import { DecodeError } from "@phasekit/core";
import { afterEach, describe, expect, it } from "vitest";
import { parseScenario } from "./load.js";
import { runScenario } from "./run.js";
import { idleSkipping } from "./services.js";

const dir = new URL("../../../../examples/", import.meta.url);

/** A run as text: timeline, journal, notes, final statuses, invariants and stats (rounds included). */
const runText = (yaml: string, name: string, seed: number): string => {
  const scenario = parseScenario(yaml, name);
  if (scenario instanceof DecodeError) throw scenario;
  const { systems: _systems, ...result } = runScenario(scenario, { seed });
  return JSON.stringify(result);
};

describe("skipping idle services", () => {
  afterEach(() => {
    idleSkipping.enabled = true;
  });

  it("every example, under three seeds, runs to the same result byte for byte whether idle services are skipped or run", () => {
    const names = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(names.length).toBeGreaterThanOrEqual(7);
    for (const name of names) {
      const yaml = readFileSync(new URL(name, dir), "utf8");
      for (const seed of [1, 2, 3]) {
        idleSkipping.enabled = false;
        const every = runText(yaml, name, seed);
        idleSkipping.enabled = true;
        expect(runText(yaml, name, seed), `${name} seed ${seed}`).toBe(every);
      }
    }
  });
});

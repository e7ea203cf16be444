import { readFileSync } from "node:fs";
import { DecodeError } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fuzzSystems, type GeneratedScenario, scenarioArbitrary } from "../fuzz/scenario.js";
import { type Actor, type Emitted, Loop } from "./loop.js";
import { runScenario, type SimulationResult } from "./run.js";
import { decodeScenario } from "./scenario.js";

type Item = Record<string, unknown>;
const systemOf = (item: Item) => (typeof item.system === "string" ? item.system : "dyff");

/** The part of a scenario that belongs to `system`: its resources, events and sections, nothing else. */
function only(scenario: Item, system: string): Item {
  const mine = (list: unknown) => ((list ?? []) as Item[]).filter((i) => systemOf(i) === system);
  const { accounts, cluster, faults, runai, ray, resources, events, ...rest } = scenario;
  return {
    ...rest,
    ...(system === "dyff" && { accounts, cluster, faults }),
    ...(system === "runai" && runai !== undefined && { runai }),
    ...(system === "ray" && ray !== undefined && { ray }),
    resources: mine(resources),
    events: mine(events),
  };
}

function run(input: Item | GeneratedScenario): SimulationResult {
  const decoded = decodeScenario(input, "test scenario");
  if (decoded instanceof DecodeError) throw decoded;
  return runScenario(decoded);
}

/** The system an item of the journal belongs to (Dyff's notes name none). */
const streamOf = (e: SimulationResult["journal"][number]) =>
  "type" in e ? (e.type === "system" ? e.system : "dyff") : e.system;

const inTimeOrder = (stream: readonly { t: number }[]) =>
  stream.every((e, i) => i === 0 || stream[i - 1]!.t <= e.t);

/** Checks the mixed run against each system's run of its own part. */
function expectInterleaved(scenario: Item) {
  const mixed = run(scenario);
  expect(inTimeOrder(mixed.journal)).toBe(true);
  expect(inTimeOrder(mixed.timeline)).toBe(true);
  for (const system of fuzzSystems) {
    const alone = run(only(scenario, system));
    expect(mixed.timeline.filter((e) => e.system === system)).toEqual(alone.timeline);
    expect(mixed.final.filter((f) => f.system === system)).toEqual(alone.final);
    // Its notes too (commands, faults, an engine's events): the whole of its stream, in its order.
    expect(mixed.journal.filter((e) => streamOf(e) === system)).toEqual(alone.journal);
  }
  return mixed;
}

describe("the one loop", () => {
  it("a mixed-system scenario's timeline is in non-decreasing time order and equals (per system) the single-system run's timeline when systems do not interact", () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        expectInterleaved(scenario as unknown as Item);
      }),
      { numRuns: 12, seed: 23 },
    );
  });

  it("without until, a mixed scenario interleaves the examples' systems and each stops as it would alone", () => {
    const read = (name: string) =>
      parse(readFileSync(new URL(`../../../../examples/${name}.yaml`, import.meta.url), "utf8")) as Item;
    const parts = ["delete", "ray-resume", "runai-outage", "wallaroo-wakeup"].map(read);
    const list = (key: string) => parts.flatMap((p) => (p[key] ?? []) as Item[]);
    const scenario: Item = {
      ...Object.assign({}, ...parts),
      seed: 5,
      resources: list("resources"),
      events: list("events"),
    };
    delete scenario.until;
    const mixed = expectInterleaved(scenario);
    expect(run(scenario).journal, "the same seed gives the same stream").toEqual(mixed.journal);
    const systems = new Set(mixed.journal.map((e) => ("system" in e ? e.system : "dyff")));
    expect([...systems].sort()).toEqual(["dyff", "ray", "runai", "wallaroo"]);
    // Interleaved for real: the stream goes from one system to another and back.
    const switches = mixed.timeline.filter((e, i) => i > 0 && mixed.timeline[i - 1]!.system !== e.system);
    expect(switches.length).toBeGreaterThan(3);
  });

  it("actors due at one instant act in the order they joined, and the clock stops at the last instant", () => {
    const log: string[] = [];
    const actor = (system: string, times: number[]): Actor => {
      let emitted: Emitted[] = [];
      return {
        system,
        nextEvent: () => times[0],
        nextDue: () => times[0],
        advanceTo: (at) => {
          while (times[0] !== undefined && times[0] <= at) {
            const t = times.shift()!;
            log.push(`${system}@${t}`);
            emitted.push({ t: t / 1000, system, kind: "K", id: system, status: "S", reason: null });
          }
        },
        drain: () => {
          const out = emitted;
          emitted = [];
          return out;
        },
      };
    };
    const loop = new Loop(1);
    loop.add(actor("a", [0, 2000, 5000]));
    loop.add(actor("b", [0, 1000, 5000]));
    loop.run(undefined);
    expect(log).toEqual(["a@0", "b@0", "b@1000", "a@2000", "a@5000", "b@5000"]);
    expect(loop.journal.map((e) => `${"system" in e ? e.system : ""}@${e.t}`)).toEqual([
      "a@0",
      "b@0",
      "b@1",
      "a@2",
      "a@5",
      "b@5",
    ]);
    expect(loop.now).toBe(5000);
  });

  it("an item stamped ahead of its actor's clock goes at its instant, and an engine's status changes come before its notes there", () => {
    const scripted = (system: string, script: Record<number, Emitted[]>): Actor => {
      const times = Object.keys(script).map(Number);
      let out: Emitted[] = [];
      return {
        system,
        nextEvent: () => times[0],
        nextDue: () => times[0],
        advanceTo: (at) => {
          while (times[0] !== undefined && times[0] <= at) out.push(...script[times.shift()!]!);
        },
        drain: () => {
          const drained = out;
          out = [];
          return drained;
        },
        tier: (e) => ("type" in e ? 1 : 0),
      };
    };
    const entry = (system: string, t: number): Emitted => ({
      t,
      system,
      kind: "K",
      id: system,
      status: "S",
      reason: null,
    });
    const loop = new Loop(1);
    // w knows at 44 s that its wait ends at 45 s (as the Wallaroo deployment engine's polls do).
    loop.add(
      scripted("w", {
        44000: [{ t: 45, type: "system", system: "w", id: "w", text: "the wait ends" }],
        45000: [entry("w", 45)],
      }),
    );
    loop.add(scripted("x", { 44500: [entry("x", 44.5)], 45000: [entry("x", 45)] }));
    loop.run(60_000);
    expect(
      loop.journal.map((e) => `${"type" in e ? "note" : "status"} ${"system" in e ? e.system : ""}@${e.t}`),
    ).toEqual(["status x@44.5", "status w@45", "note w@45", "status x@45"]);
    expect(loop.now).toBe(60_000);
  });
});

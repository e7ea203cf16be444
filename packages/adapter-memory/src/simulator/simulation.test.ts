import type { Verb } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { Simulation } from "./simulation.js";
import { type SimulationSetup, simulatedTime } from "./simulation-setup.js";

const all: Verb[] = ["create", "terminate", "delete", "label", "get"];
const setup = (faults: Partial<SimulationSetup["faults"]> = {}, seed = 1): SimulationSetup => ({
  seed,
  accounts: { alice: { quota: {}, tokens: [{ token: "t", verbs: all }] } },
  faults: { duplicate: 0, crashBeforeCommit: 0, reorder: false, informerLag: 0, staleReads: 0, ...faults },
});
const statuses = (sim: Simulation, id: string) =>
  sim.timeline
    .filter((e) => e.id === id)
    .map((e) => `${e.t}s ${e.reason ? `${e.status}/${e.reason}` : e.status}`);

describe("the simulation engine", () => {
  it("steps: a command settles at once, work ends after its takes in simulated time", () => {
    const sim = new Simulation(setup());
    sim.create({ kind: "Model", id: "m1", account: "alice", needs: {}, takes: 30_000 }, "t");
    expect(statuses(sim, "m1")).toEqual(["0s Created", "0s Admitted"]);
    sim.advanceTo(29_999);
    expect(statuses(sim, "m1")).toHaveLength(2);
    sim.advanceTo(3_600_000);
    expect(statuses(sim, "m1")).toEqual(["0s Created", "0s Admitted", "30s Ready"]);
    expect(sim.now).toBe(3_600_000);
    expect(simulatedTime(30_000)).toBe("2026-01-01T00:00:30.000Z");
  });

  it("an informer lag delays what the platform learns to the informer's next look", () => {
    const sim = new Simulation(setup({ informerLag: 20_000 }));
    sim.create({ kind: "Model", id: "m1", account: "alice", needs: {}, takes: 30_000 }, "t");
    sim.advanceTo(3_600_000);
    expect(statuses(sim, "m1")).toEqual(["0s Created", "0s Admitted", "40s Ready"]);
  });

  it("crashes before commit are restarted and change nothing that settles", () => {
    const clean = new Simulation(setup());
    const crashy = new Simulation(
      setup({ crashBeforeCommit: 0.3, duplicate: 0.3, reorder: true, staleReads: 2 }, 5),
    );
    for (const sim of [clean, crashy]) {
      sim.create({ kind: "Model", id: "m1", account: "alice", needs: {}, takes: 30_000 }, "t");
      sim.create(
        { kind: "InferenceService", id: "s1", account: "alice", needs: { Model: "m1" }, takes: 60_000 },
        "t",
      );
      sim.advanceTo(3_600_000);
    }
    expect(crashy.stats.crashes).toBeGreaterThan(0);
    expect(crashy.notes.some((n) => n.type === "crash")).toBe(true);
    expect(crashy.errors).toEqual([]);
    expect(statuses(crashy, "s1")).toEqual(statuses(clean, "s1"));
  });

  it("the same setup and commands give the same journal, entry for entry", () => {
    const journal = () => {
      const sim = new Simulation(setup({ crashBeforeCommit: 0.2, duplicate: 0.5, reorder: true }, 9));
      sim.create({ kind: "Model", id: "m1", account: "alice", needs: {}, takes: 30_000 }, "t");
      sim.terminate("m1", "t");
      sim.advanceTo(60_000);
      return JSON.stringify(sim.journal);
    };
    expect(journal()).toBe(journal());
  });

  it("a failure is reported now, armed or too late, and a refused command says why", () => {
    const sim = new Simulation(setup());
    sim.fail("nothing", "FetchFailed");
    sim.create({ kind: "Model", id: "m1", account: "alice", needs: {}, takes: 30_000 }, "t");
    sim.advanceTo(10_000);
    sim.fail("m1", "FetchFailed");
    sim.advanceTo(20_000);
    sim.fail("m1", "FetchFailed");
    sim.terminate("m1", "wrong-token");
    expect(
      sim.notes.map((n) => (n.type === "fail" ? n.effect : n.type === "command" ? n.refused : n.type)),
    ).toEqual([
      "late",
      null,
      "now",
      "late",
      'Unauthorized: unknown token; cannot terminate objects of "alice"',
    ]);
    expect(statuses(sim, "m1").at(-1)).toBe("10s Error/FetchFailed");
  });
});

import { readFileSync } from "node:fs";
import { parseScenario, runScenario } from "@phasekit/adapter-memory";
import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { runScenarioOn } from "./run-scenario.js";
import { openSimulation, SimulationBackendError } from "./simulation.js";

// The runtime runs the simulator's one loop over a backend, asynchronously. On the memory backend
// it must be the same run as the synchronous simulator's: the same status changes at the same
// times, the same notes, the same invariants, whatever driver runs the steps.

const examples = [
  "quota-wait",
  "dependency-chain",
  "failed-dependency",
  "terminate",
  "delete",
  "inference-fails",
];
const root = new URL("../../../examples/", import.meta.url);
const load = (name: string) => {
  const scenario = parseScenario(readFileSync(new URL(`${name}.yaml`, root), "utf8"), `${name}.yaml`);
  if (scenario instanceof DecodeError) throw scenario;
  return scenario;
};
const changes = (timeline: readonly { t: number; id: string; status: string; reason: string | null }[]) =>
  timeline.map((e) => `${e.t} ${e.id} ${e.status} ${e.reason ?? ""}`);

describe("the simulation loop over a backend", () => {
  for (const name of examples)
    it(`${name}: driven asynchronously on the memory backend, the same timeline, notes and final statuses as the synchronous simulator`, async () => {
      const scenario = { ...load(name), faults: { ...load(name).faults, crashBeforeCommit: 0 } };
      const sync = runScenario(scenario);
      const async = await runScenarioOn(scenario, {});
      expect(changes(async.timeline)).toEqual(changes(sync.timeline));
      expect(async.notes.map((n) => JSON.stringify(n))).toEqual(sync.notes.map((n) => JSON.stringify(n)));
      expect(async.final).toEqual(sync.final);
      expect(async.held).toBe(true);
    });

  it("refuses a cluster or a view elsewhere, naming the part and why", async () => {
    const setup = {
      seed: 1,
      accounts: {},
      faults: { duplicate: 0, crashBeforeCommit: 0, reorder: false, informerLag: 0, staleReads: 0 },
    };
    const cluster = { layer: undefined as never, where: "API server https://k:6443" };
    await expect(openSimulation(setup, { cluster })).rejects.toThrow(SimulationBackendError);
    await expect(openSimulation(setup, { cluster })).rejects.toThrow(
      "cluster: got API server https://k:6443, expected the simulator's own",
    );
  });

  it("the README's example: a Model created through the async driver is Created, Admitted, Ready", async () => {
    const setup = {
      seed: 1,
      accounts: { alice: { quota: {}, tokens: [{ token: "t", verbs: ["create" as const] }] } },
      faults: { duplicate: 0, crashBeforeCommit: 0, reorder: false, informerLag: 0, staleReads: 0 },
    };
    const { simulation, close } = await openSimulation(setup, {});
    await simulation.run({
      type: "create",
      resource: { kind: "Model", id: "m1", account: "alice", needs: {}, takes: 30_000 },
      token: "t",
    });
    await simulation.advanceTo(60_000);
    expect(simulation.simulation.timeline.map((e) => e.status)).toEqual(["Created", "Admitted", "Ready"]);
    await close();
  });
});

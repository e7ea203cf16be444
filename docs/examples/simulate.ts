import { createSimulator, type SimulationResult } from "@phasekit/adapter-memory";

/**
 * The Promise API of the simulator, runnable: `pnpm tsx --conditions=@phasekit/source docs/examples/simulate.ts`.
 * Two evaluations share alice's only GPU; the second waits for the first. Duplicate deliveries and
 * reordering are injected, and every invariant must still hold.
 */
export async function quotaWait(): Promise<SimulationResult> {
  const sim = createSimulator({
    seed: 7,
    accounts: { alice: { quota: { gpu: 1 }, tokens: ["alice-token"] } },
    resources: [
      { kind: "Model", id: "m1", account: "alice", takes: "30s" },
      { kind: "InferenceService", id: "svc1", account: "alice", needs: ["m1"], takes: "1m" },
      { kind: "Dataset", id: "d1", account: "alice" },
      { kind: "Evaluation", id: "e1", account: "alice", needs: ["svc1", "d1"], gpu: 1, takes: "10m" },
      { kind: "Evaluation", id: "e2", account: "alice", needs: ["svc1", "d1"], gpu: 1, takes: "10m" },
    ],
    faults: { duplicate: 0.2, reorder: true },
    until: "1h",
  });
  return sim.run();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await quotaWait();
  for (const e of result.timeline)
    console.log(`${e.t}s ${e.kind} ${e.id} ${e.status}${e.reason ? `/${e.reason}` : ""}`);
  for (const i of result.invariants) console.log(`${i.held ? "held" : "BROKEN"}: ${i.name}`);
  process.exitCode = result.held ? 0 : 1;
}

import { DecodeError } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runSystems } from "../run.js";
import { decodeWallarooDeployments } from "./decode.js";
import type { WallarooDeploymentsScenario } from "./scenario.js";

const h = 3600;
/** The seed's deployment: 4 cpus, 3Gi, autoscale 0-5 at 75% CPU; replicas spool up in 45 s. */
const seedDeployment = {
  system: "wallaroo",
  kind: "Deployment",
  id: "ccfraud",
  spoolUp: "45s",
  config: { cpus: 4, memory: "3Gi", minimum: 0, maximum: 5, autoscaleCpuUtilization: 75 },
};

function part(input: { resources?: unknown[]; events?: unknown[] }): WallarooDeploymentsScenario {
  const decoded = decodeWallarooDeployments(input, "test");
  if (decoded instanceof DecodeError) throw decoded;
  return decoded;
}

/** The deployments alone on the simulation loop, to `until` or until they have settled. */
function runDeployments(wallaroo: WallarooDeploymentsScenario, seed: number, until?: number) {
  const r = runSystems({ runai: null, ray: null, wallaroo }, seed, until);
  return { ...r, engine: r.wallaroo! };
}

const statusesOf = (r: ReturnType<typeof runDeployments>, id: string) =>
  r.timeline.filter((e) => e.id === id).map((e) => `${e.t}s ${e.status}${e.reason ? `/${e.reason}` : ""}`);

describe("Wallaroo deployment engine", () => {
  it("deploy waits for Running as pipeline.deploy() does (wait_for_running, 45 s by default), and undeploy for the end", () => {
    const waits = (deployment: object, events: unknown[] = []) =>
      runDeployments(part({ resources: [deployment], events }), 1)
        .notes.filter((n) => n.text.startsWith("wait_for_"))
        .map((n) => `${n.t}s ${n.text}`);
    const quick = { ...seedDeployment, spoolUp: "30s" };
    expect(waits(quick, [{ at: "5m", system: "wallaroo", undeploy: "ccfraud" }])).toEqual([
      "30s wait_for_running: Running after 30s",
      "300s wait_for_undeployed: undeployed after 0s",
    ]);
    // The SDK's last poll is at 44 s: a replica ready at 45 s is too late for the default timeout.
    expect(waits(seedDeployment)).toEqual([
      "45s wait_for_running: WaitForDeployError after 45s: Deployment failed. See status for details.",
    ]);
    expect(waits({ ...seedDeployment, spoolUp: "50s" })).toEqual([
      "45s wait_for_running: WaitForDeployError after 45s: Deployment failed. See status for details.",
    ]);
    expect(waits({ ...seedDeployment, spoolUp: "50s", requestTimeout: "2m" })).toEqual([
      "50s wait_for_running: Running after 50s",
    ]);
    expect(waits({ ...seedDeployment, waitForStatus: false })).toEqual([]);
    expect(waits({ ...seedDeployment, config: { minimum: 0, maximum: 0 } })[0]).toMatch(
      /^45s wait_for_running: WaitForDeployError/,
    );
  });

  it("the seed's wake-up loop, as a Run Once task against a deployment scaled to zero, succeeds", () => {
    const scenario = part({
      resources: [seedDeployment],
      events: [{ at: "2h", system: "wallaroo", wakeUp: "ccfraud" }],
    });
    const r = runDeployments(scenario, 1);
    expect(statusesOf(r, "ccfraud")).toEqual([
      "0s Starting/Deploying",
      "45s Running",
      `${h}s Starting/ScaledToZero`,
      `${2 * h}s Starting/WakingUp`,
      `${2 * h + 45}s Running`,
      // The 60 idle minutes count from the task's last inferences.
      `${3 * h + 50}s Starting/ScaledToZero`,
    ]);
    // Two wake-up attempts time out (15 s each, then 10 s of sleep); the third poll sees Running.
    expect(statusesOf(r, "ccfraud-wakeup-1")).toEqual([`${2 * h}s running`, `${2 * h + 50}s success`]);
    const inferences = r.notes
      .filter((n) => n.text.startsWith("inference ccfraud-wakeup-1"))
      .map((n) => `${n.t}s ${n.text}`);
    expect(inferences).toEqual([
      `${2 * h + 15}s inference ccfraud-wakeup-1/infer-1 failed: InferenceTimeout after 15s`,
      `${2 * h + 40}s inference ccfraud-wakeup-1/infer-2 failed: InferenceTimeout after 15s`,
      `${2 * h + 50}s inference ccfraud-wakeup-1/infer-3 served after 0s`,
      `${2 * h + 50}s inference ccfraud-wakeup-1/infer-4 served after 0s`,
    ]);
    expect(r.invariants.every((i) => i.held)).toBe(true);
  });

  it("runs deterministically: the same scenario and seed give the same timeline and notes", () => {
    const scenario = part({
      resources: [{ ...seedDeployment, spoolUpJitter: "30s" }],
      events: [
        { at: "2h", system: "wallaroo", wakeUp: "ccfraud" },
        { at: "3h", system: "wallaroo", load: "ccfraud", rate: 200 },
        { at: "4h", system: "wallaroo", load: "ccfraud", rate: 0 },
      ],
    });
    const a = runDeployments(scenario, 42);
    const b = runDeployments(scenario, 42);
    expect([b.timeline, b.notes]).toEqual([a.timeline, a.notes]);
  });

  it("load drives replicas up to the maximum and back; idle scales to zero", () => {
    const scenario = part({
      resources: [seedDeployment],
      events: [
        { at: "10m", system: "wallaroo", load: "ccfraud", rate: 200, cpuPerRequest: 0.1 },
        { at: "1h", system: "wallaroo", load: "ccfraud", rate: 0 },
      ],
    });
    const r = runDeployments(scenario, 1);
    const counts = r.engine.log.flatMap((l) => (l.change.type === "replicas" ? [l.change.replicas] : []));
    expect(Math.max(...counts)).toBe(5);
    expect(counts.at(-1)).toBe(0);
    expect(statusesOf(r, "ccfraud").at(-1)).toBe(`${2 * h}s Starting/ScaledToZero`);
  });

  it("a wake-up task with a timeout is timed_out while the pipeline is not deployed", () => {
    const scenario = part({
      resources: [seedDeployment],
      events: [
        { at: "1m", system: "wallaroo", undeploy: "ccfraud" },
        { at: "2m", system: "wallaroo", wakeUp: "ccfraud", task: "wake", taskTimeout: "5m" },
      ],
    });
    const r = runDeployments(scenario, 1);
    expect(statusesOf(r, "wake")).toEqual(["120s running", "420s timed_out"]);
    expect(
      r.notes.some((n) => n.text === 'pipeline.status()["status"] is Pipeline ccfraud is not deployed'),
    ).toBe(true);
  });

  it("refused commands are notes, not crashes (undeploy twice)", () => {
    const r = runDeployments(
      part({
        resources: [seedDeployment],
        events: [
          { at: "1m", system: "wallaroo", undeploy: "ccfraud" },
          { at: "2m", system: "wallaroo", undeploy: "ccfraud" },
        ],
      }),
      1,
    );
    expect(r.notes.filter((n) => n.text.startsWith("undeploy refused"))).toHaveLength(1);
  });

  it("names every bad field at its path in the file", () => {
    const decoded = decodeWallarooDeployments({
      resources: [
        { system: "dyff", kind: "Model", id: "m" },
        { ...seedDeployment, config: { memory: "3GB", minimum: 6, maximum: 5 }, spoolUp: "soon" },
      ],
      events: [
        { at: "1m", system: "wallaroo", infer: "nope" },
        { at: "1m", system: "wallaroo", load: "ccfraud" },
        { at: "1m", system: "wallaroo", undeploy: "ccfraud", deploy: "ccfraud" },
        { at: "1m", system: "wallaroo", fail: "ccfraud", rate: 3 },
      ],
    }) as DecodeError;
    expect(decoded.issues.map((i) => i.path)).toEqual([
      "resources[1].config.memory",
      "resources[1].config.minimum",
      "resources[1].spoolUp",
      "events[0].infer",
      "events[1].rate",
      "events[2]",
      "events[3].rate",
    ]);
  });
});

const event = fc.oneof(
  fc.record({ kind: fc.constant("load" as const), rate: fc.constantFrom(0, 0, 10, 100, 400) }),
  fc.record({ kind: fc.constant("infer" as const), timeout: fc.integer({ min: 1, max: 90 }) }),
  fc.record({ kind: fc.constant("wakeUp" as const) }),
  fc.record({
    kind: fc.constantFrom("fail" as const, "recover" as const, "undeploy" as const, "deploy" as const),
  }),
);

const scenarios = fc.record({
  minimum: fc.nat(2),
  spread: fc.nat(4),
  spoolUp: fc.integer({ min: 1, max: 300 }),
  jitter: fc.nat(60),
  idle: fc.integer({ min: 60, max: 7200 }),
  events: fc.array(fc.tuple(fc.nat(4 * h), event), { maxLength: 25 }),
  disruptions: fc.boolean(),
});

describe("Wallaroo deployment engine properties", () => {
  it("no inference is served at zero replicas, every request made while Running is served, and wake-up tasks succeed while the deployment stays up", () => {
    fc.assert(
      fc.property(scenarios, fc.nat(), (s, seed) => {
        const events = s.events
          .filter(([, e]) => s.disruptions || !["fail", "recover", "undeploy", "deploy"].includes(e.kind))
          .map(([at, e]) => {
            const base = { at, system: "wallaroo" };
            if (e.kind === "load") return { ...base, load: "p", rate: e.rate };
            if (e.kind === "infer") return { ...base, infer: "p", timeout: e.timeout };
            return { ...base, [e.kind]: "p" };
          });
        const scenario = part({
          resources: [
            {
              system: "wallaroo",
              kind: "Deployment",
              id: "p",
              spoolUp: s.spoolUp,
              spoolUpJitter: s.jitter,
              config: {
                minimum: s.minimum,
                maximum: Math.max(1, s.minimum + s.spread),
                idlePeriodSeconds: s.idle,
              },
            },
          ],
          events,
        });
        const r = runDeployments(scenario, seed, 8 * h * 1000);
        for (const i of r.invariants) expect(i.detail).toBeNull();
        if (!s.disruptions)
          for (const [, record] of r.engine.tasks.records()) expect(record.status).toBe("success");
      }),
      { numRuns: 150 },
    );
  });
});

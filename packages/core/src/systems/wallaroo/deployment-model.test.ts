import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import { decodeWallarooDeploymentConfig, type WallarooDeploymentConfig } from "./deployment-config.js";
import {
  advanceWallarooDeployment,
  deployWallarooPipeline,
  failWallarooDeployment,
  recoverWallarooDeployment,
  requestWallarooInference,
  setWallarooLoad,
  undeployWallarooPipeline,
  wallarooInitialReplicas,
} from "./deployment-model.js";
import {
  type WallarooDeploymentChange,
  type WallarooDeploymentState,
  type WallarooDeploymentStep,
  wallarooReadyReplicas,
  wallarooUndeployed,
} from "./deployment-state.js";

const min = 60_000;
const seedConfig = decodeWallarooDeploymentConfig({
  cpus: 4,
  memory: "3Gi",
  minimum: 0,
  maximum: 5,
  autoscaleCpuUtilization: 75,
}) as WallarooDeploymentConfig;

/** Applies operations in turn, keeping every change; a refused operation fails the test. */
class Run {
  changes: WallarooDeploymentChange[] = [];
  constructor(public s: WallarooDeploymentState = wallarooUndeployed()) {}
  do(result: WallarooDeploymentStep | TransitionError): this {
    if (result instanceof TransitionError) throw result;
    this.s = result.state;
    this.changes.push(...result.changes);
    return this;
  }
  statuses() {
    return this.changes.flatMap((c) =>
      c.type === "status" ? [`${c.t / 1000}s ${c.status}/${c.reason ?? "-"}`] : [],
    );
  }
  inference(id: string) {
    return this.changes.find((c) => c.type === "inference" && c.request === id);
  }
}

const deployed = (config = seedConfig, spoolUpMs = 45_000) => {
  const run = new Run();
  return run.do(deployWallarooPipeline(run.s, 0, { config, spoolUpMs }));
};

describe("Wallaroo deployment model", () => {
  it("given the seed's config, it serves after spool-up, scales to zero after 60 idle minutes, and wakes on a request", () => {
    const run = deployed();
    run.do(advanceWallarooDeployment(run.s, 70 * min));
    run.do(requestWallarooInference(run.s, 70 * min, "wake", 15_000));
    run.do(advanceWallarooDeployment(run.s, 71 * min));
    expect(run.statuses()).toEqual([
      "0s Starting/Deploying",
      "45s Running/-",
      "3600s Starting/ScaledToZero",
      "4200s Starting/WakingUp",
      "4245s Running/-",
    ]);
    expect(run.inference("wake")).toMatchObject({
      ok: false,
      error: "InferenceTimeout",
      t: 70 * min + 15_000,
    });
  });

  it("a request at zero replicas succeeds when the first replica is ready within its timeout", () => {
    const run = deployed(seedConfig, 10_000);
    run.do(advanceWallarooDeployment(run.s, 2 * 3600_000));
    run.do(requestWallarooInference(run.s, 2 * 3600_000, "r", 15_000));
    run.do(advanceWallarooDeployment(run.s, 2 * 3600_000 + 60_000));
    expect(run.inference("r")).toMatchObject({ ok: true, waitedMs: 10_000 });
  });

  it("a request keeps the deployment from idling: the 60 minutes count from the last request", () => {
    const run = deployed();
    run.do(requestWallarooInference(run.s, 50 * min, "r", 15_000));
    run.do(advanceWallarooDeployment(run.s, 109 * min));
    expect(run.s.record.status).toBe("Running");
    run.do(advanceWallarooDeployment(run.s, 111 * min));
    expect(run.statuses().at(-1)).toBe("6600s Starting/ScaledToZero");
  });

  it("a minimum of 1 never scales to zero", () => {
    const config = { ...seedConfig, minimum: 1 };
    const run = deployed(config);
    run.do(advanceWallarooDeployment(run.s, 24 * 60 * min));
    expect(run.s.record.status).toBe("Running");
    expect(run.s.replicas).toHaveLength(1);
  });

  it("load scales replicas up to the maximum, back down after it stops, then to zero when idle", () => {
    const run = deployed();
    run.do(setWallarooLoad(run.s, 5 * min, { ratePerSecond: 200, cpuSecondsPerRequest: 0.1 }));
    run.do(advanceWallarooDeployment(run.s, 30 * min));
    expect(run.s.replicas).toHaveLength(5);
    run.do(setWallarooLoad(run.s, 30 * min, { ratePerSecond: 0, cpuSecondsPerRequest: 0.1 }));
    run.do(advanceWallarooDeployment(run.s, 36 * min));
    expect(run.s.replicas).toHaveLength(1);
    run.do(advanceWallarooDeployment(run.s, 91 * min));
    expect(run.s.record).toMatchObject({ status: "Starting", reason: "ScaledToZero" });
    const counts = run.changes.flatMap((c) => (c.type === "replicas" ? [c.replicas] : []));
    expect(Math.max(...counts)).toBe(5);
  });

  it("without a deployment an inference fails at once; undeploy fails the requests still waiting", () => {
    const idle = new Run();
    idle.do(requestWallarooInference(idle.s, 0, "early", 15_000));
    expect(idle.inference("early")).toMatchObject({ ok: false, error: "NotDeployed", waitedMs: 0 });
    const run = deployed();
    run.do(requestWallarooInference(run.s, 1000, "waiting", 15_000));
    run.do(undeployWallarooPipeline(run.s, 2000));
    expect(run.inference("waiting")).toMatchObject({ ok: false, error: "NotDeployed", t: 2000 });
    expect(run.s.record.status).toBe("Undeployed");
    expect(undeployWallarooPipeline(run.s, 3000)).toBeInstanceOf(TransitionError);
  });

  it("an engine failure is Error until recovery brings a replica up again", () => {
    const run = deployed();
    run.do(advanceWallarooDeployment(run.s, min));
    run.do(failWallarooDeployment(run.s, 2 * min, "EngineFailed"));
    expect(run.s.record).toMatchObject({ status: "Error", reason: "EngineFailed" });
    expect(recoverWallarooDeployment(wallarooUndeployed(), 0)).toBeInstanceOf(TransitionError);
    run.do(recoverWallarooDeployment(run.s, 3 * min));
    run.do(advanceWallarooDeployment(run.s, 4 * min));
    expect(run.statuses().slice(-2)).toEqual(["120s Error/EngineFailed", "225s Running/-"]);
  });

  it("spool-up jitter is drawn from the seed: the same seed gives the same instants, within the range", () => {
    const readyAt = (seed: number) => {
      const s = deployWallarooPipeline(wallarooUndeployed({ seed }), 0, {
        config: { ...seedConfig, minimum: 3 },
        spoolUpMs: 30_000,
        spoolUpJitterMs: 20_000,
      }) as WallarooDeploymentStep;
      return s.state.replicas.map((r) => r.readyAt);
    };
    expect(readyAt(7)).toEqual(readyAt(7));
    for (const t of [...readyAt(7), ...readyAt(8)]) expect(t >= 30_000 && t <= 50_000).toBe(true);
  });

  it("time only moves forward", () => {
    const run = deployed();
    run.do(advanceWallarooDeployment(run.s, min));
    expect(() => advanceWallarooDeployment(run.s, 0)).toThrow(RangeError);
  });
});

type Op =
  | { dt: number; type: "load"; rate: number }
  | { dt: number; type: "infer"; timeoutMs: number }
  | { dt: number; type: "fail" | "recover" | "undeploy" | "deploy" | "advance" };

const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    fc.record({
      dt: fc.nat(20 * min),
      type: fc.constant("load" as const),
      rate: fc.constantFrom(0, 0, 5, 50, 300),
    }),
    fc.record({
      dt: fc.nat(20 * min),
      type: fc.constant("infer" as const),
      timeoutMs: fc.integer({ min: 1000, max: 60_000 }),
    }),
    fc.record({
      dt: fc.nat(20 * min),
      type: fc.constantFrom("fail", "recover", "undeploy", "deploy", "advance"),
    }),
  ),
  { maxLength: 40 },
);

const configs = fc
  .record({
    minimum: fc.nat(2),
    spread: fc.nat(4),
    target: fc.integer({ min: 30, max: 95 }),
    idle: fc.integer({ min: 60, max: 1800 }),
  })
  .map(
    (c): WallarooDeploymentConfig => ({
      ...seedConfig,
      minimum: c.minimum,
      maximum: Math.max(1, c.minimum + c.spread),
      autoscaleCpuUtilization: c.target,
      idlePeriodSeconds: c.idle,
    }),
  );

describe("Wallaroo deployment model properties", () => {
  it("no inference succeeds without a ready replica, and every request made while Running succeeds at once", () => {
    fc.assert(
      fc.property(
        configs,
        fc.integer({ min: 1000, max: 120_000 }),
        ops,
        fc.nat(),
        (config, spoolUpMs, script, seed) => {
          const run = new Run(wallarooUndeployed({ seed }));
          run.do(deployWallarooPipeline(run.s, 0, { config, spoolUpMs, spoolUpJitterMs: 5000 }));
          let t = 0;
          const servedAtOnce = new Set<string>();
          for (const [i, op] of script.entries()) {
            t += op.dt;
            run.do(advanceWallarooDeployment(run.s, t));
            const attempt = (() => {
              switch (op.type) {
                case "load":
                  return setWallarooLoad(run.s, t, { ratePerSecond: op.rate, cpuSecondsPerRequest: 0.1 });
                case "infer":
                  if (run.s.record.status === "Running") servedAtOnce.add(`r${i}`);
                  return requestWallarooInference(run.s, t, `r${i}`, op.timeoutMs);
                case "fail":
                  return failWallarooDeployment(run.s, t, "EngineFailed");
                case "recover":
                  return recoverWallarooDeployment(run.s, t);
                case "undeploy":
                  return undeployWallarooPipeline(run.s, t);
                case "deploy":
                  return deployWallarooPipeline(run.s, t, { config, spoolUpMs });
                case "advance":
                  return advanceWallarooDeployment(run.s, t);
              }
            })();
            // The machine refuses some operations in some statuses (undeploy twice): those change nothing.
            if (!(attempt instanceof TransitionError)) run.do(attempt);
            const s = run.s;
            const ready = wallarooReadyReplicas(s);
            expect(s.replicas.length).toBeLessThanOrEqual(config.maximum);
            expect(s.record.status === "Running").toBe(ready > 0);
            if (s.record.status === "Running")
              expect(s.replicas.length).toBeGreaterThanOrEqual(Math.max(config.minimum, 1));
            if (s.record.status === "Undeployed" || s.record.reason === "ScaledToZero")
              expect(s.replicas).toHaveLength(0);
            if (config.minimum > 0) expect(s.record.reason).not.toBe("ScaledToZero");
          }
          run.do(advanceWallarooDeployment(run.s, t + 3600_000));
          expect(run.s.pending).toEqual([]);
          // Replay the changes in order: the ready count and status at each inference's outcome.
          let ready = 0;
          let status = "Undeployed";
          let last = 0;
          for (const c of run.changes) {
            expect(c.t).toBeGreaterThanOrEqual(last);
            last = c.t;
            if (c.type === "replicas") ready = c.ready;
            else if (c.type === "status") status = c.status;
            else if (c.ok) {
              expect(ready).toBeGreaterThan(0);
              expect(status).toBe("Running");
            } else if (servedAtOnce.has(c.request))
              expect.fail(`${c.request} was made while Running but failed`);
            if (c.type === "inference" && servedAtOnce.has(c.request))
              expect(c).toMatchObject({ ok: true, waitedMs: 0 });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("replica_count, 0 replicas and queue-depth autoscaling (wallaroo 2026.1.3 DeploymentConfigBuilder)", () => {
  const config = (input: object) => decodeWallarooDeploymentConfig(input) as WallarooDeploymentConfig;

  it("replica_count sets how many replicas a deploy starts; alone it is fixed", () => {
    const run = deployed(config({ replicaCount: 3 }), 10_000);
    expect(run.s.replicas).toHaveLength(3);
    run.do(setWallarooLoad(run.s, 20_000, { ratePerSecond: 0, cpuSecondsPerRequest: 0.1 }));
    run.do(advanceWallarooDeployment(run.s, 30 * min));
    expect(run.s.replicas).toHaveLength(3);
    expect(deployed(config({ replicaCount: 2, minimum: 0, maximum: 5 })).s.replicas).toHaveLength(2);
    expect(wallarooInitialReplicas(config({ minimum: 2, maximum: 5 }))).toBe(2);
  });

  it("minimum = maximum = 0: deployed at zero (Starting/ScaledToZero), nothing wakes it, every inference times out", () => {
    const run = deployed(config({ minimum: 0, maximum: 0 }));
    expect(run.statuses()).toEqual(["0s Starting/Deploying", "0s Starting/ScaledToZero"]);
    run.do(requestWallarooInference(run.s, min, "r", 15_000));
    run.do(advanceWallarooDeployment(run.s, 10 * min));
    expect(run.s.replicas).toHaveLength(0);
    expect(run.inference("r")).toMatchObject({ ok: false, error: "InferenceTimeout", waitedMs: 15_000 });
    expect(run.s.record).toMatchObject({ status: "Starting", reason: "ScaledToZero" });
  });

  it("replica_count 0 under an autoscaling maximum: at zero until a request wakes it", () => {
    const run = deployed(config({ replicaCount: 0, maximum: 3 }), 5_000);
    run.do(requestWallarooInference(run.s, min, "r", 15_000));
    run.do(advanceWallarooDeployment(run.s, 2 * min));
    expect(run.inference("r")).toMatchObject({ ok: true, waitedMs: 5_000 });
    expect(run.statuses().at(-1)).toBe("65s Running/-");
  });

  it("queue depth: above scale-up adds one replica an evaluation, below scale-down removes one, within the bounds", () => {
    const queued = config({ minimum: 1, maximum: 4, scaleUpQueueDepth: 2, autoscalingWindowSeconds: 60 });
    const run = deployed(queued, 10_000);
    // 10 requests/s at 0.5 CPU-s: 5 in service on average; depth 5 per replica > 2.
    run.do(setWallarooLoad(run.s, 10_000, { ratePerSecond: 10, cpuSecondsPerRequest: 0.5 }));
    run.do(advanceWallarooDeployment(run.s, 5 * min));
    const ups = run.changes.filter((c) => c.type === "replicas" && c.cause === "scaleUp");
    expect(ups.map((c) => (c.type === "replicas" ? c.replicas : 0))).toEqual([2, 3, 4]);
    expect(run.s.replicas).toHaveLength(4);
    run.do(setWallarooLoad(run.s, 5 * min, { ratePerSecond: 0, cpuSecondsPerRequest: 0.5 }));
    run.do(advanceWallarooDeployment(run.s, 15 * min));
    expect(run.s.replicas).toHaveLength(1);
  });

  it("property: queue autoscaling keeps the replicas within max(minimum, 1) and maximum, and changes them by one at a time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.nat(40), fc.nat(10)), { minLength: 1, maxLength: 6 }),
        (minimum, extra, loads) => {
          const maximum = minimum + extra;
          const c = config({ minimum, maximum, scaleUpQueueDepth: 3, scaleDownQueueDepth: 1 });
          const run = deployed(c, 5_000);
          loads.forEach(([rate, tenths], i) => {
            run.do(
              setWallarooLoad(run.s, (i + 1) * min, {
                ratePerSecond: rate,
                cpuSecondsPerRequest: tenths / 10,
              }),
            );
          });
          run.do(advanceWallarooDeployment(run.s, (loads.length + 2) * min));
          let before = Math.max(minimum, 1);
          for (const ch of run.changes) {
            if (ch.type !== "replicas" || (ch.cause !== "scaleUp" && ch.cause !== "scaleDown")) continue;
            expect(Math.abs(ch.replicas - before)).toBe(1);
            expect(ch.replicas).toBeGreaterThanOrEqual(Math.max(minimum, 1));
            expect(ch.replicas).toBeLessThanOrEqual(maximum);
            before = ch.replicas;
          }
        },
      ),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type WallarooAutoscaleInput, wallarooAutoscale } from "./autoscaler.js";

const seedConfig = { cpuMillis: 4000, minimum: 0, maximum: 5, autoscaleCpuUtilization: 75 };
const load = (ratePerSecond: number, cpuSecondsPerRequest = 0.1) => ({ ratePerSecond, cpuSecondsPerRequest });
const decide = (over: Partial<WallarooAutoscaleInput>) =>
  wallarooAutoscale({ config: seedConfig, replicas: 1, ready: 1, load: load(0), recent: [], ...over });

describe("Wallaroo autoscaler (HPA on CPU utilisation)", () => {
  it("a saturated replica measures 100% and the deployment grows by ceil(current * 100 / target)", () => {
    expect(decide({ load: load(60) })).toEqual({ utilization: 100, recommendation: 2, desired: 2 });
    expect(decide({ replicas: 3, ready: 3, load: load(1000) })).toMatchObject({
      utilization: 100,
      desired: 4,
    });
  });

  it("utilisation within 10% of the target changes nothing", () => {
    // 3 cores of demand on one 4-core replica: 75%, exactly the target; 3.3 cores: 82.5% (ratio 1.1).
    expect(decide({ load: load(30) })).toMatchObject({ utilization: 75, desired: 1 });
    expect(decide({ load: load(33) })).toMatchObject({ desired: 1 });
    expect(decide({ load: load(34) })).toMatchObject({ desired: 2 });
  });

  it("spooling replicas count as 0% (the HPA's rule for unready pods), so scale-up waits for them", () => {
    expect(decide({ replicas: 2, ready: 1, load: load(1000) })).toMatchObject({
      utilization: 50,
      desired: 2,
    });
  });

  it("never exceeds maximum, and scale-up at most doubles or adds 4 in one evaluation", () => {
    // A 10% target on saturated replicas asks for ten times as many.
    const config = { ...seedConfig, maximum: 100, autoscaleCpuUtilization: 10 };
    expect(decide({ config, replicas: 1, ready: 1, load: load(10_000, 1) })).toMatchObject({
      recommendation: 10,
      desired: 5,
    });
    expect(decide({ config, replicas: 10, ready: 10, load: load(10_000, 1) })).toMatchObject({ desired: 20 });
    expect(decide({ replicas: 4, ready: 4, load: load(10_000, 1) }).desired).toBe(5);
  });

  it("scale-down keeps the highest recommendation of the stabilization window", () => {
    expect(decide({ replicas: 4, ready: 4, load: load(0), recent: [4, 3] })).toMatchObject({
      recommendation: 1,
      desired: 4,
    });
    expect(decide({ replicas: 4, ready: 4, load: load(0), recent: [2] })).toMatchObject({ desired: 2 });
    expect(decide({ replicas: 4, ready: 4, load: load(0), recent: [] })).toMatchObject({ desired: 1 });
  });

  it("the autoscaler's floor is max(minimum, 1): scaling to zero is the idle rule's, not the HPA's", () => {
    expect(decide({ replicas: 2, ready: 2 }).desired).toBe(1);
    expect(decide({ config: { ...seedConfig, minimum: 2 }, replicas: 3, ready: 3 }).desired).toBe(2);
  });

  it("desired replicas always lie within [max(minimum, 1), maximum] and utilisation within [0, 100]", () => {
    fc.assert(
      fc.property(
        fc.nat(5),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 8000 }),
        fc.integer({ min: 0, max: 12 }),
        fc.nat(12),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 5 }),
        (minimum, spread, target, cpuMillis, replicas, readyPick, rate, recent) => {
          const config = { cpuMillis, minimum, maximum: minimum + spread, autoscaleCpuUtilization: target };
          const ready = Math.min(replicas, readyPick);
          const d = wallarooAutoscale({ config, replicas, ready, load: load(rate), recent });
          expect(d.desired).toBeGreaterThanOrEqual(Math.max(minimum, 1));
          expect(d.desired).toBeLessThanOrEqual(config.maximum);
          expect(d.utilization).toBeGreaterThanOrEqual(0);
          expect(d.utilization).toBeLessThanOrEqual(100 + 1e-9);
        },
      ),
    );
  });
});

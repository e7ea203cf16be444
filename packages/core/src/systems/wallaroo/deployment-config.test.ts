import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import {
  decodeWallarooDeploymentConfig,
  wallarooCpuExpected,
  wallarooCpuMillis,
  wallarooMemoryBytes,
  wallarooMemoryExpected,
} from "./deployment-config.js";

const Gi = 1024 ** 3;
const issues = (input: unknown) => {
  const result = decodeWallarooDeploymentConfig(input);
  if (!(result instanceof DecodeError))
    throw new Error(`expected a DecodeError for ${JSON.stringify(input)}`);
  return result.issues;
};

describe("Wallaroo deployment configuration", () => {
  it("decodes the seed's DeploymentConfigBuilder: 4 cpus, 3Gi, autoscale 0-5 at 75%, 60 minutes idle", () => {
    expect(
      decodeWallarooDeploymentConfig({
        cpus: 4,
        memory: "3Gi",
        minimum: 0,
        maximum: 5,
        autoscaleCpuUtilization: 75,
      }),
    ).toEqual({
      cpuMillis: 4000,
      memory: "3Gi",
      memoryBytes: 3 * Gi,
      minimum: 0,
      maximum: 5,
      replicaCount: null,
      autoscaleCpuUtilization: 75,
      idlePeriodSeconds: 3600,
      queue: null,
    });
  });

  it("fills the SDK's defaults: 1 cpu, 512Mi, one fixed replica; maximum alone means minimum 0", () => {
    expect(decodeWallarooDeploymentConfig({})).toMatchObject({
      cpuMillis: 1000,
      memory: "512Mi",
      memoryBytes: 512 * 1024 ** 2,
      minimum: 1,
      maximum: 1,
    });
    expect(decodeWallarooDeploymentConfig({ maximum: 3 })).toMatchObject({ minimum: 0, maximum: 3 });
  });

  it("reads Kubernetes CPU quantities exactly, in millicores", () => {
    expect(wallarooCpuMillis("500m")).toBe(500);
    expect(wallarooCpuMillis("1.5")).toBe(1500);
    expect(wallarooCpuMillis(0.1)).toBe(100);
    expect(wallarooCpuMillis(".25")).toBe(250);
    expect(wallarooCpuMillis("2e0")).toBe(2000);
    for (const bad of ["0.0001", "0", "-1", "1.5 cores", "500M?", "", "m", 0, Number.NaN, null])
      expect(wallarooCpuMillis(bad)).toBeUndefined();
  });

  it("reads Kubernetes memory quantities, binary and decimal suffixes, rounding up to whole bytes", () => {
    expect(wallarooMemoryBytes("512Mi")).toBe(512 * 1024 ** 2);
    expect(wallarooMemoryBytes("1.5Gi")).toBe(1.5 * Gi);
    expect(wallarooMemoryBytes("1G")).toBe(1e9);
    expect(wallarooMemoryBytes("128974848")).toBe(128974848);
    expect(wallarooMemoryBytes("129e6")).toBe(129e6);
    expect(wallarooMemoryBytes("0.1Ki")).toBe(103);
    // Beyond 2^53 bytes a size is no longer exact as a number: refused rather than rounded.
    expect(wallarooMemoryBytes("8Pi")).toBeUndefined();
  });

  it("rejects units Kubernetes does not know, and milli-bytes", () => {
    for (const bad of ["3GB", "3gi", "3 Gi", "3Gb", "Gi", "-1Gi", "500m", "1.5.2Gi", "3Gi ", "0", ""])
      expect(wallarooMemoryBytes(bad), bad).toBeUndefined();
  });

  it("a CPU quantity written in millicores or in cores gives the same millicores, for any whole count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (m) => {
        const cores = `${Math.floor(m / 1000)}.${String(m % 1000).padStart(3, "0")}`;
        expect(wallarooCpuMillis(`${m}m`)).toBe(m);
        expect(wallarooCpuMillis(cores)).toBe(m);
      }),
    );
  });

  it("a memory quantity n<suffix> is n times the suffix's power of 1024 (Ki..Ti) or 1000 (k..T)", () => {
    const binary = ["Ki", "Mi", "Gi", "Ti"] as const;
    const decimal = ["k", "M", "G", "T"] as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 0, max: 3 }), (n, i) => {
        expect(wallarooMemoryBytes(`${n}${binary[i]}`)).toBe(n * 1024 ** (i + 1));
        expect(wallarooMemoryBytes(`${n}${decimal[i]}`)).toBe(n * 1000 ** (i + 1));
      }),
    );
  });

  it("names each bad field with the value found and what was expected", () => {
    expect(
      issues({
        cpus: "0.0001",
        memory: "3GB",
        minimum: 6,
        maximum: 5,
        autoscaleCpuUtilization: 0,
        idlePeriodSeconds: -1,
        replicas: 2,
      }),
    ).toEqual([
      { path: "cpus", value: "0.0001", expected: wallarooCpuExpected },
      { path: "memory", value: "3GB", expected: wallarooMemoryExpected },
      { path: "autoscaleCpuUtilization", value: 0, expected: "a whole percentage from 1 to 100" },
      { path: "idlePeriodSeconds", value: -1, expected: "a number of seconds greater than 0" },
      { path: "replicas", value: 2, expected: "no such field" },
      {
        path: "minimum",
        value: 6,
        expected: "at most maximum (5): the minimum must be less than or equal to the maximum",
      },
    ]);
  });

  it("bounds replicas: minimum >= 0, maximum >= 0 (0 and 0 allowed, as the SDK allows), whole numbers, maximum given with minimum", () => {
    expect(issues({ minimum: -1, maximum: 2 })).toEqual([
      { path: "minimum", value: -1, expected: "a whole number of replicas, at least 0" },
    ]);
    expect(issues({ maximum: -1 })).toEqual([
      { path: "maximum", value: -1, expected: "a whole number of replicas, at least 0" },
    ]);
    expect(decodeWallarooDeploymentConfig({ minimum: 0, maximum: 0 })).toMatchObject({
      minimum: 0,
      maximum: 0,
    });
    expect(issues({ maximum: 2.5 })[0]).toMatchObject({ path: "maximum", value: 2.5 });
    expect(issues({ minimum: 1 })).toEqual([
      {
        path: "maximum",
        value: undefined,
        expected: "a maximum when minimum is set (replica_autoscale_min_max takes both)",
      },
    ]);
    expect(issues({ autoscaleCpuUtilization: 101 })[0]).toMatchObject({ value: 101 });
    expect(issues({ autoscaleCpuUtilization: "75" })[0]).toMatchObject({
      path: "autoscaleCpuUtilization",
      expected: "a whole percentage from 1 to 100",
    });
  });

  it("every minimum <= maximum decodes and every minimum > maximum is refused naming minimum", () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), (minimum, maximum) => {
        const result = decodeWallarooDeploymentConfig({ minimum, maximum });
        if (minimum <= maximum) expect(result).toMatchObject({ minimum, maximum });
        else expect((result as DecodeError).issues.map((i) => i.path)).toEqual(["minimum"]);
      }),
    );
  });

  it("replica_count: alone a fixed count; with min/max the count a deploy starts with, at most maximum (wallaroo 2026.1.3)", () => {
    expect(decodeWallarooDeploymentConfig({ replicaCount: 3 })).toMatchObject({
      minimum: 3,
      maximum: 3,
      replicaCount: 3,
    });
    expect(decodeWallarooDeploymentConfig({ replicaCount: 0 })).toMatchObject({ minimum: 0, maximum: 0 });
    expect(decodeWallarooDeploymentConfig({ replicaCount: 2, minimum: 0, maximum: 5 })).toMatchObject({
      minimum: 0,
      maximum: 5,
      replicaCount: 2,
    });
    expect(issues({ replicaCount: 6, maximum: 5 })).toEqual([
      {
        path: "replicaCount",
        value: 6,
        expected: 'at most maximum (5): the SDK\'s "Replica count must be less than or equal to replica max"',
      },
    ]);
  });

  it("queue-depth autoscaling: scale-down 1 and a 300 s window by default, both only with scale-up, as the SDK's builder checks", () => {
    expect(decodeWallarooDeploymentConfig({ maximum: 4, scaleUpQueueDepth: 5 })).toMatchObject({
      queue: { scaleUpQueueDepth: 5, scaleDownQueueDepth: 1, autoscalingWindowSeconds: 300 },
    });
    expect(
      decodeWallarooDeploymentConfig({
        maximum: 4,
        scaleUpQueueDepth: 5,
        scaleDownQueueDepth: 2,
        autoscalingWindowSeconds: 60,
      }),
    ).toMatchObject({
      queue: { scaleUpQueueDepth: 5, scaleDownQueueDepth: 2, autoscalingWindowSeconds: 60 },
    });
    expect(issues({ maximum: 4, autoscalingWindowSeconds: 60 })).toEqual([
      {
        path: "autoscalingWindowSeconds",
        value: 60,
        expected:
          'no autoscalingWindowSeconds without scaleUpQueueDepth (the SDK: "autoscaling_window is only applicable when scale_up_queue_depth is configured.")',
      },
    ]);
    expect(issues({ scaleDownQueueDepth: 1 })[0]).toMatchObject({ path: "scaleDownQueueDepth" });
    expect(issues({ scaleUpQueueDepth: 2, scaleDownQueueDepth: 3 })[0]).toMatchObject({
      path: "scaleDownQueueDepth",
      value: 3,
    });
    expect(issues({ scaleUpQueueDepth: 0 })[0]).toMatchObject({ path: "scaleUpQueueDepth", value: 0 });
    expect(issues({ scaleUpQueueDepth: 1, autoscalingWindowSeconds: 1.5 })[0]).toMatchObject({
      path: "autoscalingWindowSeconds",
    });
  });
});

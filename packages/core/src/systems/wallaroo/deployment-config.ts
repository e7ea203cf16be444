import * as z from "zod";
import { decode } from "../../decode.js";
import type { DecodeError } from "../../lifecycle/errors.js";

/**
 * A Wallaroo deployment configuration, as the SDK's `DeploymentConfigBuilder` builds it: `cpus`,
 * `memory`, `replica_autoscale_min_max(maximum, minimum=0)`, `autoscale_cpu_utilization(percent)`,
 * plus the idle period after which a deployment with a minimum of 0 scales to zero (60 minutes in
 * the seed; the SDK has no setter for it). CPU and memory are Kubernetes quantities.
 *
 * @module
 */

/** An exact non-negative rational `num / den`: quantities such as `0.1` must not pick up float error. */
interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

const binarySI = { Ki: 1n, Mi: 2n, Gi: 3n, Ti: 4n, Pi: 5n, Ei: 6n } as const;
const decimalSI = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 } as const;

// Kubernetes' grammar (apimachinery resource.Quantity): <sign?><number><suffix?>, the suffix one of
// the binary SI (Ki..Ei), decimal SI (n u m k M G T P E) or a decimal exponent (e3, E-2).
const quantityPattern =
  /^([+-]?)(\d+\.?\d*|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d{1,2})|(n|u|m|k|M|G|T|P|E))?$/;

/**
 * Parses a Kubernetes quantity (`500m`, `1.5Gi`, `512Mi`, `2`, `1e3`) into an exact ratio, or
 * `undefined` when the text is not one (a unit Kubernetes does not know, `3GB`, `3gi`, `3 Gi`, a
 * negative value, more than 30 digits).
 */
function parseQuantity(text: string): Ratio | undefined {
  const m = quantityPattern.exec(text);
  if (!m || m[1] === "-") return undefined;
  const [, , number = "", binary, exponent, decimal] = m;
  const [whole = "", fraction = ""] = number.split(".");
  if (whole.length + fraction.length > 30) return undefined;
  let num = BigInt(`${whole}${fraction}` || "0");
  let den = 10n ** BigInt(fraction.length);
  const power =
    exponent !== undefined
      ? Number(exponent)
      : decimal !== undefined
        ? decimalSI[decimal as keyof typeof decimalSI]
        : 0;
  if (power >= 0) num *= 10n ** BigInt(power);
  else den *= 10n ** BigInt(-power);
  if (binary !== undefined) num *= 1024n ** binarySI[binary as keyof typeof binarySI];
  return { num, den };
}

/** What a CPU field expects, for error messages. */
export const wallarooCpuExpected =
  "a CPU count greater than 0 in steps of 1m: a number of cores (0.25, 4) or a Kubernetes quantity (500m, 1.5)";
/** What a memory field expects, for error messages. */
export const wallarooMemoryExpected =
  "a memory size of at least 1 byte as a Kubernetes quantity: a number with a suffix Ki, Mi, Gi, Ti, Pi, Ei (512Mi, 1.5Gi, 3Gi) or k, M, G, T, P, E (1G), or a number of bytes";

/**
 * Kubernetes CPU in millicores (`500m` is 500, `1.5` is 1500), or `undefined` when the input is not
 * a CPU quantity greater than 0 with at most 1m precision (Kubernetes refuses finer).
 *
 * @example
 * ```ts
 * wallarooCpuMillis("500m"); // 500
 * wallarooCpuMillis(4);      // 4000
 * wallarooCpuMillis("0.0001"); // undefined (finer than 1m)
 * ```
 */
export function wallarooCpuMillis(input: unknown): number | undefined {
  const text = typeof input === "number" && Number.isFinite(input) ? String(input) : input;
  if (typeof text !== "string") return undefined;
  const q = parseQuantity(text);
  if (!q || (q.num * 1000n) % q.den !== 0n) return undefined;
  const millis = (q.num * 1000n) / q.den;
  return millis > 0n && millis <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(millis) : undefined;
}

/**
 * Kubernetes memory in bytes (`512Mi` is 536870912, `1.5Gi` is 1610612736), rounded up to a whole
 * byte, or `undefined` when the input is not a memory quantity of at least 1 byte. Milli-, micro- and
 * nano-bytes (`500m`) are refused: Kubernetes takes them, but they are always a slip for `500Mi`.
 *
 * @example
 * ```ts
 * wallarooMemoryBytes("3Gi");  // 3221225472
 * wallarooMemoryBytes("3GB");  // undefined (not a Kubernetes unit)
 * ```
 */
export function wallarooMemoryBytes(input: unknown): number | undefined {
  const text = typeof input === "number" && Number.isFinite(input) ? String(input) : input;
  if (typeof text !== "string" || /[num]$/.test(text)) return undefined;
  const q = parseQuantity(text);
  if (!q) return undefined;
  const bytes = (q.num + q.den - 1n) / q.den;
  return bytes >= 1n && bytes <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bytes) : undefined;
}

const cpus = z.unknown().transform((input, ctx) => {
  const millis = wallarooCpuMillis(input);
  if (millis === undefined) {
    ctx.addIssue({ code: "custom", message: wallarooCpuExpected, input });
    return z.NEVER;
  }
  return millis;
});

const memory = z.unknown().transform((input, ctx) => {
  const bytes = wallarooMemoryBytes(input);
  if (bytes === undefined) {
    ctx.addIssue({ code: "custom", message: wallarooMemoryExpected, input });
    return z.NEVER;
  }
  return { text: String(input), bytes };
});

const replicas = (least: number) =>
  z
    .number({ error: `a whole number of replicas, at least ${least}` })
    .int(`a whole number of replicas, at least ${least}`)
    .min(least, `a whole number of replicas, at least ${least}`);

/** Check min <= max even when other fields are bad (zod skips refinements after any issue by default). */
const bothBoundsParsed = {
  when: (payload: { value: unknown }) => {
    const v = (payload.value ?? {}) as { minimum?: unknown; maximum?: unknown };
    const ok = (n: unknown, least: number) =>
      n === undefined || (Number.isInteger(n) && (n as number) >= least);
    return typeof payload.value === "object" && ok(v.minimum, 0) && ok(v.maximum, 0);
  },
};

/** The idle period of the seed: "replicas scale down to zero when there is no utilization for 60 minutes". */
export const wallarooDefaultIdlePeriodSeconds = 3600;
/** The CPU target when none is set: Kubernetes' HorizontalPodAutoscaler default (80%). */
export const wallarooDefaultCpuUtilization = 80;
/** `autoscaling_window()`'s default (wallaroo 2026.1.3 `DeploymentConfigBuilder`): 300 seconds. */
export const wallarooDefaultAutoscalingWindowSeconds = 300;
/** `scale_down_queue_depth`'s default once `scale_up_queue_depth` is set (wallaroo 2026.1.3): 1. */
export const wallarooDefaultScaleDownQueueDepth = 1;

const queueDepth = z
  .number({ error: "a queue depth greater than 0 (requests per available replica)" })
  .positive("a queue depth greater than 0 (requests per available replica)");
const onlyWithScaleUp = (field: string) =>
  `no ${field} without scaleUpQueueDepth (the SDK: "${field === "scaleDownQueueDepth" ? "scale_down_queue_depth" : "autoscaling_window"} is only applicable when scale_up_queue_depth is configured.")`;

/**
 * The configuration schema. Input fields: `cpus` (default 1, the SDK's), `memory` (default `512Mi`,
 * the SDK's), `minimum` and `maximum` replicas (neither: one fixed replica, or `replicaCount`
 * fixed replicas; `maximum` alone: minimum 0, as `replica_autoscale_min_max`; 0 and 0 allowed, as
 * the SDK allows), `replicaCount` (`replica_count`: at most maximum), `autoscaleCpuUtilization`
 * (1-100), `scaleUpQueueDepth`, `scaleDownQueueDepth` (default 1) and `autoscalingWindowSeconds`
 * (default 300; both only with `scaleUpQueueDepth`, as the SDK's builder checks), and
 * `idlePeriodSeconds` (default 3600).
 */
export const wallarooDeploymentConfigSchema = z
  .object({
    cpus: cpus.default(1000),
    memory: memory.default({ text: "512Mi", bytes: 512 * 1024 * 1024 }),
    minimum: replicas(0).optional(),
    maximum: replicas(0).optional(),
    /** `replica_count(n)`: the replicas a deployment starts with; alone, a fixed count. */
    replicaCount: replicas(0).optional(),
    /** `scale_up_queue_depth(n)`: queue-depth autoscaling instead of CPU (wallaroo 2026.1.3). */
    scaleUpQueueDepth: queueDepth.optional(),
    /** `scale_down_queue_depth(n)` (default 1 with scale-up). */
    scaleDownQueueDepth: queueDepth.optional(),
    /** `autoscaling_window(s)`: seconds over which the queue depth is averaged (default 300). */
    autoscalingWindowSeconds: z
      .number({ error: "a whole number of seconds greater than 0" })
      .int("a whole number of seconds greater than 0")
      .positive("a whole number of seconds greater than 0")
      .optional(),
    autoscaleCpuUtilization: z
      .number({ error: "a whole percentage from 1 to 100" })
      .int("a whole percentage from 1 to 100")
      .min(1, "a whole percentage from 1 to 100")
      .max(100, "a whole percentage from 1 to 100")
      .default(wallarooDefaultCpuUtilization),
    idlePeriodSeconds: z
      .number({ error: "a number of seconds greater than 0" })
      .positive("a number of seconds greater than 0")
      .default(wallarooDefaultIdlePeriodSeconds),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.minimum !== undefined && c.maximum === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["maximum"],
        message: "a maximum when minimum is set (replica_autoscale_min_max takes both)",
        input: undefined,
      });
    if (c.minimum !== undefined && c.maximum !== undefined && c.minimum > c.maximum)
      ctx.addIssue({
        code: "custom",
        path: ["minimum"],
        message: `at most maximum (${c.maximum}): the minimum must be less than or equal to the maximum`,
        input: c.minimum,
      });
    if (c.replicaCount !== undefined && c.maximum !== undefined && c.replicaCount > c.maximum)
      ctx.addIssue({
        code: "custom",
        path: ["replicaCount"],
        message: `at most maximum (${c.maximum}): the SDK's "Replica count must be less than or equal to replica max"`,
        input: c.replicaCount,
      });
    for (const field of ["scaleDownQueueDepth", "autoscalingWindowSeconds"] as const)
      if (c[field] !== undefined && c.scaleUpQueueDepth === undefined)
        ctx.addIssue({ code: "custom", path: [field], message: onlyWithScaleUp(field), input: c[field] });
    if (
      c.scaleUpQueueDepth !== undefined &&
      c.scaleDownQueueDepth !== undefined &&
      c.scaleDownQueueDepth > c.scaleUpQueueDepth
    )
      ctx.addIssue({
        code: "custom",
        path: ["scaleDownQueueDepth"],
        message: `at most scaleUpQueueDepth (${c.scaleUpQueueDepth}): a deployment would scale up and down at once`,
        input: c.scaleDownQueueDepth,
      });
  }, bothBoundsParsed)
  .transform((c): WallarooDeploymentConfig => {
    // replica_count alone is a fixed count; with min/max it is the count a deploy starts with.
    const fixed = c.maximum === undefined ? (c.replicaCount ?? 1) : undefined;
    const minimum = c.minimum ?? fixed ?? 0;
    const maximum = c.maximum ?? fixed ?? 1;
    return {
      cpuMillis: c.cpus,
      memory: c.memory.text,
      memoryBytes: c.memory.bytes,
      minimum,
      maximum,
      replicaCount: c.replicaCount ?? null,
      autoscaleCpuUtilization: c.autoscaleCpuUtilization,
      idlePeriodSeconds: c.idlePeriodSeconds,
      queue:
        c.scaleUpQueueDepth === undefined
          ? null
          : {
              scaleUpQueueDepth: c.scaleUpQueueDepth,
              scaleDownQueueDepth: c.scaleDownQueueDepth ?? wallarooDefaultScaleDownQueueDepth,
              autoscalingWindowSeconds: c.autoscalingWindowSeconds ?? wallarooDefaultAutoscalingWindowSeconds,
            },
    };
  });

/** A decoded deployment configuration: quantities resolved, defaults filled in. */
export interface WallarooDeploymentConfig {
  /** CPU per replica, in millicores (`cpus(4)` is 4000). */
  readonly cpuMillis: number;
  /** Memory per replica as written (`3Gi`), and in bytes. */
  readonly memory: string;
  readonly memoryBytes: number;
  /** Replica bounds, 0 <= minimum <= maximum (maximum 0 is allowed, as the SDK allows it: nothing serves). */
  readonly minimum: number;
  readonly maximum: number;
  /** `replica_count(n)`: the replicas a deploy starts with (at most maximum), or null: max(minimum, 1). */
  readonly replicaCount: number | null;
  /** Target average CPU utilisation of the replicas, in percent (1-100). */
  readonly autoscaleCpuUtilization: number;
  /** Seconds without a request after which a deployment with minimum 0 scales to zero. */
  readonly idlePeriodSeconds: number;
  /**
   * Queue-depth autoscaling (`scale_up_queue_depth`, wallaroo 2026.1.3), which replaces the CPU
   * trigger when set; null: CPU autoscaling.
   */
  readonly queue: WallarooQueueAutoscaling | null;
}

/** Queue-depth autoscaling: thresholds on (queued + in-process requests) / available replicas. */
export interface WallarooQueueAutoscaling {
  readonly scaleUpQueueDepth: number;
  readonly scaleDownQueueDepth: number;
  /** Seconds over which the queue depth is averaged before a decision. */
  readonly autoscalingWindowSeconds: number;
}

/** A configuration as written (a scenario file, JSON): CPU as a number or a quantity string. */
export type WallarooDeploymentConfigInput = z.input<typeof wallarooDeploymentConfigSchema>;

/**
 * Decodes a deployment configuration, or returns a {@link DecodeError} naming each bad field, the
 * value found and what was expected. Never throws.
 *
 * @example
 * ```ts
 * // The seed's: DeploymentConfigBuilder().autoscale_cpu_utilization(75).cpus(4).memory('3Gi')
 * //   .replica_autoscale_min_max(minimum=0, maximum=5)
 * const config = decodeWallarooDeploymentConfig({
 *   cpus: 4, memory: "3Gi", minimum: 0, maximum: 5, autoscaleCpuUtilization: 75,
 * });
 * // { cpuMillis: 4000, memoryBytes: 3221225472, minimum: 0, maximum: 5, idlePeriodSeconds: 3600, ... }
 * ```
 */
export function decodeWallarooDeploymentConfig(
  input: unknown,
  subject = "wallaroo deployment config",
): WallarooDeploymentConfig | DecodeError {
  return decode(wallarooDeploymentConfigSchema, input, subject);
}

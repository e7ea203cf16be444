import { readFileSync } from "node:fs";
import { DecodeError, decode, type NewClusterObject } from "@phasekit/core";
import { z } from "zod";
import { defaultGroup } from "./kinds.js";
import { defaultWatchTiming, type WatchTiming } from "./watch/timing.js";

/**
 * The Kubernetes adapter's configuration: which API server, with which credentials, in which
 * namespace, and how its watches behave. Decoded once, when the layer is made, so a bad value is
 * reported with its field and value before anything connects.
 *
 * @module
 */

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const fn = <T>(what: string) => z.custom<T>((v) => typeof v === "function", `a function (${what})`);

const k8sConfigSchema = z
  .object({
    server: z
      .string()
      .regex(
        /^https:\/\/[^/\s]+$/,
        "an https:// URL with host and port and no path, e.g. https://127.0.0.1:16443",
      ),
    token: z.string().min(1, "a bearer token (a ServiceAccount token from the TokenRequest API)"),
    ca: z.string().includes("-----BEGIN CERTIFICATE-----", { message: "the PEM text of the cluster's CA" }),
    namespace: z.string().regex(dnsLabel, "a namespace name (DNS label)").default("default"),
    group: z.string().regex(dnsSubdomain, "an API group (DNS subdomain)").default(defaultGroup),
    steps: z.enum(["kubernetes", "external"]).default("kubernetes"),
    requestTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
    watch: z
      .object({
        watchTimeoutSeconds: z.number().int().min(1).max(3600),
        stallMs: z.number().int().min(100),
        backoffInitialMs: z.number().int().min(1),
        backoffMaxMs: z.number().int().min(1),
      })
      .partial()
      .strict()
      .default({}),
    image: fn<(step: NewClusterObject) => string>("step -> image").optional(),
    podAnnotations:
      fn<(step: NewClusterObject) => Readonly<Record<string, string>>>("step -> pod annotations").optional(),
    log: fn<(message: string) => void>("message -> void").optional(),
  })
  .strict()
  .refine(
    (c) =>
      (c.watch.stallMs ?? defaultWatchTiming.stallMs) >
      1000 * (c.watch.watchTimeoutSeconds ?? defaultWatchTiming.watchTimeoutSeconds),
    {
      path: ["watch", "stallMs"],
      message: "longer than watch.watchTimeoutSeconds (an idle watch is silent until the server closes it)",
    },
  );

/** What a user passes to `layerK8s`. `server`, `token` and `ca` are required. */
export interface K8sConfigInput {
  /** `https://host:port` of the API server. */
  readonly server: string;
  /** Bearer token; in production a ServiceAccount token bound by `manifests/rbac.yaml`. */
  readonly token: string;
  /** PEM text of the CA that signed the API server's certificate (never skipped). */
  readonly ca: string;
  /** Where workflows and steps live (default `default`). */
  readonly namespace?: string;
  /** API group of the Dyff custom resources (default `dyff.phasekit.dev`). */
  readonly group?: string;
  /** Who runs the steps: Kubernetes' controllers (default), or someone else writing their conditions (`external`). */
  readonly steps?: "kubernetes" | "external";
  /** Budget of one API call (default 15 s). */
  readonly requestTimeoutMs?: number;
  /** Watch clocks (defaults: 60 s watches, 90 s watchdog, back-off 250 ms to 30 s). */
  readonly watch?: Partial<WatchTiming>;
  /** The image of a step's container (default `registry.invalid/phasekit/<role>:latest`). */
  readonly image?: (step: NewClusterObject) => string;
  /** Annotations on a step's pod (e.g. kwok stage knobs). */
  readonly podAnnotations?: (step: NewClusterObject) => Readonly<Record<string, string>>;
  /** Where the adapter reports watch restarts and other recoveries (default: nowhere). */
  readonly log?: (message: string) => void;
}

/** A decoded configuration, defaults filled in. */
export interface K8sConfig
  extends Required<Omit<K8sConfigInput, "image" | "podAnnotations" | "log" | "watch">> {
  readonly watch: WatchTiming;
  readonly image?: (step: NewClusterObject) => string;
  readonly podAnnotations?: (step: NewClusterObject) => Readonly<Record<string, string>>;
  readonly log?: (message: string) => void;
}

/**
 * Decodes a configuration, or returns a DecodeError naming each bad field, its value and what was
 * expected. The token and CA are never echoed back in an error.
 *
 * @example
 * ```ts
 * const config = decodeK8sConfig({ server: "https://127.0.0.1:16443", token, ca });
 * if (config instanceof DecodeError) console.error(config.message);
 * ```
 */
export function decodeK8sConfig(input: K8sConfigInput): K8sConfig | DecodeError {
  const decoded = decode(k8sConfigSchema, input, "Kubernetes adapter configuration");
  if (decoded instanceof DecodeError)
    return new DecodeError(
      "Kubernetes adapter configuration",
      decoded.issues.map((i) => (i.path === "token" || i.path === "ca" ? { ...i, value: "<hidden>" } : i)),
    );
  const { watch, image, podAnnotations, log, ...rest } = decoded;
  return {
    ...rest,
    // Keys left out are absent (never undefined) after decoding, so the defaults survive the spread.
    watch: { ...defaultWatchTiming, ...(watch as Partial<WatchTiming>) },
    ...(image ? { image } : {}),
    ...(podAnnotations ? { podAnnotations } : {}),
    ...(log ? { log } : {}),
  };
}

/**
 * The connection settings from the environment `scripts/k8s/cluster.sh env` prints:
 * `PHASEKIT_K8S_SERVER`, `PHASEKIT_K8S_TOKEN`, `PHASEKIT_K8S_CA` (a file path) and, if set,
 * `PHASEKIT_K8S_NAMESPACE`. Returns the names of the missing variables instead when some are unset.
 *
 * @example
 * ```ts
 * const env = k8sConfigFromEnv();
 * if (!Array.isArray(env)) Effect.provide(program, layerK8s(env));
 * ```
 */
export function k8sConfigFromEnv(env: NodeJS.ProcessEnv = process.env): K8sConfigInput | string[] {
  const missing = ["PHASEKIT_K8S_SERVER", "PHASEKIT_K8S_TOKEN", "PHASEKIT_K8S_CA"].filter((k) => !env[k]);
  if (missing.length > 0) return missing;
  return {
    server: env.PHASEKIT_K8S_SERVER!,
    token: env.PHASEKIT_K8S_TOKEN!,
    ca: readFileSync(env.PHASEKIT_K8S_CA!, "utf8"),
    ...(env.PHASEKIT_K8S_NAMESPACE ? { namespace: env.PHASEKIT_K8S_NAMESPACE } : {}),
  };
}

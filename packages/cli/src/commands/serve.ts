import { parseBrokers } from "@phasekit/adapter-kafka";
import { DecodeError, decode, type Quotas } from "@phasekit/core";
import {
  type Backend,
  type ControlPlaneService,
  controlPlaneServices,
  describeBackend,
  runServices,
  type SupervisorEvents,
  sharedStores,
} from "@phasekit/runtime";
import { z } from "zod";
import type { Command } from "../command.js";
import { exit, type Io, inputName, processIo, readInput, UsageError } from "../io.js";
import { kubeFlag } from "./kube.js";
import { serveApi, serveApiHelp, serveApiOptions } from "./serve-api.js";

export const serveHelp = `phasekit serve <service>[,<service>...] --kafka <brokers> [--prefix P] [--quotas FILE] [--kv URL] [--view URL] [--kube KUBECONFIG|in-cluster]

Runs control-plane services as a long-lived process on a real Kafka: the event log
<prefix>.workflows.events, the compacted state log <prefix>.workflows.state and the dead-letter
topic <prefix>.workflows.dlq (created if missing). Services: aggregator, sink, orchestrator,
operator, informer, or all. Start one process per service to split the pipeline; a service that
fails (broker gone, commit refused) is restarted and reads again what it had not committed.
  --kafka B       bootstrap brokers, host:port[,host:port...] (e.g. 127.0.0.1:19092)
  --prefix P      names this control plane (default dyff): its topics, its consumer groups
                  (<prefix>.phasekit.workflows-aggregator...), its etcd keys and its view table
  --quotas FILE   JSON quotas by account for the orchestrator: {"alice": {"gpu": 1, "slots": 2}};
                  slots: workflows admitted and unfinished at once (a scenario's quota.slots)
  --kv URL        the key-value store (admission records, the informer's memory) on etcd:
                  etcd://host:port[,host:port...][/key-prefix] (default key prefix: <prefix>/);
                  without it they live in this process's memory and die with it
  --view URL      the query view on PostgreSQL: postgres://user[:password]@host:port/database
                  (table <prefix>_view, created if missing); without it, in this process's memory
  --kube K        the cluster (the orchestrator's and operator's writes, the informer's watch) on a
                  real Kubernetes API server: K is a kubeconfig file (its current context: server,
                  CA, bearer token, namespace) or in-cluster (the pod's ServiceAccount); the Dyff
                  CRDs must be installed there. Steps run as its Jobs and Deployments.
With --kv the orchestrator can be stopped, killed and restarted at will: it admits nothing twice
and keeps every quota. Without --kube the cluster stays in this process's memory: run operator and
informer with the orchestrator; with --kube, in any process (each with the same --kube).
Stops on SIGINT/SIGTERM (leaving its consumer groups). Exit code 2: bad usage.`;

const accountQuota = z
  .object({
    gpu: z.number().nonnegative(),
    cpu: z.number().nonnegative(),
    memoryGiB: z.number().nonnegative(),
    slots: z.number().int().nonnegative(),
  })
  .partial()
  .strict();

/** Reads a quotas file (`-`: standard input); a UsageError names the file and each bad field. */
export function readQuotas(file: string | undefined, io: Io = processIo): Quotas {
  if (file === undefined) return {};
  let json: unknown;
  const text = readInput(file, io);
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--quotas: cannot read ${inputName(file)} as JSON: ${(error as Error).message}`);
  }
  const quotas = decode(z.record(z.string().min(1), accountQuota), json, inputName(file));
  if (quotas instanceof DecodeError) throw new UsageError(`--quotas: ${quotas.message}`);
  return quotas as Quotas; // JSON has no undefined, so every present field is a number
}

/** Parses `aggregator,sink` or `all` into service names, in pipeline order. */
export function parseServices(text: string | undefined): ControlPlaneService[] {
  if (text === undefined)
    throw new UsageError(`expected a service: ${controlPlaneServices.join(", ")} or all`);
  const names = text === "all" ? [...controlPlaneServices] : text.split(",").map((s) => s.trim());
  for (const name of names)
    if (!(controlPlaneServices as readonly string[]).includes(name))
      throw new UsageError(`unknown service "${name}"; expected ${controlPlaneServices.join(", ")} or all`);
  return controlPlaneServices.filter((s) => names.includes(s));
}

export interface ServeOptions {
  readonly services: string | undefined;
  readonly kafka: string | undefined;
  readonly prefix?: string | undefined;
  readonly quotas?: string | undefined;
  readonly kv?: string | undefined;
  readonly view?: string | undefined;
  readonly kube?: string | undefined;
}

/** Progress lines on stderr: starts and failures at once, work at most every 5 s per service. */
function reporter(io: Io): SupervisorEvents {
  const pending = new Map<string, { work: number; since: number }>();
  return {
    started: (name, attempt) =>
      io.err(`phasekit serve: ${name} started${attempt > 1 ? ` (restart ${attempt - 1})` : ""}\n`),
    worked: (name, work) => {
      const now = performance.now();
      const p = pending.get(name) ?? { work: 0, since: now };
      p.work += work;
      pending.set(name, p);
      if (now - p.since < 5_000) return;
      io.err(`phasekit serve: ${name} handled ${p.work} in ${Math.round((now - p.since) / 1000)}s\n`);
      pending.delete(name);
    },
    failed: (name, error, retryInMs) =>
      io.err(`phasekit serve: ${name} failed: ${error}; restarting in ${retryInMs / 1000}s\n`),
  };
}

/**
 * `phasekit serve`: runs the given services on Kafka until `stop` is aborted; returns the exit code.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const done = serve({ services: "aggregator", kafka: "127.0.0.1:19092" }, processIo, stop.signal);
 * stop.abort(); await done; // 0
 * ```
 */
export async function serve(options: ServeOptions, io: Io, stop: AbortSignal): Promise<number> {
  const services = parseServices(options.services);
  if (options.kafka === undefined) throw new UsageError("--kafka <brokers> is required");
  const brokers = parseBrokers(options.kafka, "--kafka");
  if (brokers instanceof DecodeError) throw new UsageError(brokers.message);
  const quotas = readQuotas(options.quotas, io);
  const prefix = options.prefix ?? "dyff";
  const stores = await sharedStores({ kv: options.kv, view: options.view }, prefix);
  const cluster = await kubeFlag(options.kube, io);
  if (
    !cluster &&
    !services.includes("orchestrator") &&
    services.some((s) => s === "operator" || s === "informer")
  )
    io.err(
      "phasekit serve: note: without --kube the cluster is in this process's memory, and without the orchestrator here nothing creates workflows on it; give --kube, or run operator and informer with the orchestrator\n",
    );
  const backend: Backend = {
    kafka: { brokers, prefix, clientId: `phasekit-${services.join("+")}` },
    stores,
    cluster,
  };
  io.err(`phasekit serve: ${services.join(", ")}; ${describeBackend(backend)}\n`);
  const failed = await runServices(backend, { services, quotas, events: reporter(io) }, stop);
  if (failed !== null) {
    io.err(`phasekit serve: cannot start: ${failed instanceof Error ? failed.message : String(failed)}\n`);
    return exit.failed;
  }
  io.err("phasekit serve: stopped\n");
  return exit.ok;
}

/** An AbortSignal that fires on the process's first SIGINT or SIGTERM. */
export function stopOnSignals(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}

export const command: Command = {
  help: `${serveHelp}\n\n${serveApiHelp}`,
  options: {
    kafka: { type: "string" },
    prefix: { type: "string" },
    quotas: { type: "string" },
    kv: { type: "string" },
    view: { type: "string" },
    kube: { type: "string" },
    ...serveApiOptions,
  },
  run: (v, p, io) => {
    if (p[0] === "api") {
      if (p.length > 1)
        throw new UsageError(`serve api takes no other argument, got: ${p.slice(1).join(" ")}`);
      const serviceOnly = ["quotas", "kv"].filter((o) => v[o] !== undefined);
      if (serviceOnly.length > 0)
        throw new UsageError(
          `${serviceOnly.map((o) => `--${o}`).join(", ")}: only for control-plane services, not for \`serve api\``,
        );
      return serveApi(v, io, stopOnSignals());
    }
    if (p.length > 1) throw new UsageError(`expected one service list, got ${p.length}: ${p.join(" ")}`);
    const apiOnly = Object.keys(serveApiOptions).filter((o) => v[o] !== undefined);
    if (apiOnly.length > 0)
      throw new UsageError(`${apiOnly.map((o) => `--${o}`).join(", ")}: only for \`phasekit serve api\``);
    const [kafka, prefix, quotas, kv, view, kube] = [v.kafka, v.prefix, v.quotas, v.kv, v.view, v.kube] as (
      | string
      | undefined
    )[];
    return serve({ services: p[0], kafka, prefix, quotas, kv, view, kube }, io, stopOnSignals());
  },
};

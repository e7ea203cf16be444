import { readFileSync } from "node:fs";
import { parseBrokers } from "@phasekit/adapter-kafka";
import { DecodeError } from "@phasekit/core";
import {
  type Backend,
  defaultFailureRate,
  defaultMaxBodyBytes,
  defaultStepMs,
  type OpenApi,
  openApi,
  sharedStores,
  startApiServer,
} from "@phasekit/runtime";
import { exit, type Io, UsageError } from "../io.js";
import { kubeFlag } from "./kube.js";

export const serveApiHelp = `phasekit serve api --tokens FILE [--port N] [--step-ms MS] [--failure-rate P] [--seed N] [--max-body BYTES] [--kube K]

A local Dyff: serves Dyff's REST API (v0) on 127.0.0.1, with the whole control plane (command API,
aggregator, sink, orchestrator, operator, informer) in this process on the memory adapter and
simulated steps on the wall clock. Point the Dyff Python client at the printed URL:
Client(api_token=..., endpoint="<url>", insecure=True). See docs/local-dyff.md.
With --kafka and --view, it serves the API only: commands go to the event log on Kafka, reads come
from the query view on PostgreSQL, and the control plane runs in \`phasekit serve\` processes (the
sink with the same --view); several API processes can serve one control plane.
With --kube, the control plane stays in this process's memory but its cluster is a real Kubernetes
API server: steps run there as Jobs and Deployments, as long as their pods take (on kwok: its
stages), so --step-ms, --failure-rate and --seed do not apply.
  --tokens FILE       JSON: each bearer token to its account, {"<token>": "<account>"} (required)
  --port N            port to listen on (default 0: any free port; the URL says which)
  --step-ms MS        how long a simulated step runs (default ${defaultStepMs})
  --failure-rate P    probability that a workflow's work fails (default ${defaultFailureRate})
  --seed N            seed of the failure draws (default 0)
  --max-body BYTES    largest request body; larger ones get 413 (default ${defaultMaxBodyBytes})
  --kafka B           the control plane's brokers (host:port[,...]): serve the API only, over Kafka
  --prefix P          its topic prefix with --kafka (default dyff)
  --view URL          with --kafka: the query view, postgres://user@host:port/database (required)
  --kube K            the cluster on Kubernetes: a kubeconfig file, or in-cluster (the pod's
                      ServiceAccount); the Dyff CRDs must be installed there (not with --kafka)
Prints the URL once it listens; one log line per request on stderr (never a token).
Stops on SIGINT/SIGTERM. Exit code 2: bad usage.`;

/** The options `serve` takes for `serve api` (merged into serve's own). */
export const serveApiOptions = {
  tokens: { type: "string" },
  port: { type: "string" },
  "step-ms": { type: "string" },
  "failure-rate": { type: "string" },
  seed: { type: "string" },
  "max-body": { type: "string" },
} as const;

/**
 * Reads a tokens file. Errors name the file and the entry's position, never a token.
 *
 * @example
 * ```ts
 * readTokens("tokens.json"); // { "s3cret": "alice" }
 * ```
 */
export function readTokens(file: string | undefined): Record<string, string> {
  if (file === undefined) throw new UsageError('--tokens FILE is required: {"<token>": "<account>"}');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why = error instanceof SyntaxError ? "not JSON" : (error as Error).message;
    throw new UsageError(`--tokens: cannot read ${file}: ${why}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new UsageError(`--tokens: ${file}: expected a JSON object {"<token>": "<account>"}`);
  const entries = Object.entries(json);
  if (entries.length === 0) throw new UsageError(`--tokens: ${file}: expected at least one token`);
  entries.forEach(([token, account], i) => {
    if (!/^\S+$/.test(token))
      throw new UsageError(`--tokens: ${file}: entry ${i + 1}: the token must be non-empty, without spaces`);
    if (typeof account !== "string" || account === "")
      throw new UsageError(
        `--tokens: ${file}: entry ${i + 1}: got ${JSON.stringify(account)}, expected an account name (a non-empty string)`,
      );
  });
  return json as Record<string, string>;
}

function number(
  name: string,
  text: string | undefined,
  fallback: number,
  ok: (n: number) => boolean,
  expected: string,
) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === "" || !ok(n)) throw new UsageError(`--${name}: got "${text}", expected ${expected}`);
  return n;
}

const whole =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (n: number) =>
    Number.isInteger(n) && n >= min && n <= max;

/** The backend of `serve api --kafka`: the event log on Kafka, the view on PostgreSQL. */
async function kafkaBackend(v: Record<string, string | undefined>): Promise<Backend> {
  const memoryOnly = ["step-ms", "failure-rate", "seed"].filter((o) => v[o] !== undefined);
  if (memoryOnly.length > 0)
    throw new UsageError(
      `${memoryOnly.map((o) => `--${o}`).join(", ")}: only for the memory control plane, not with --kafka`,
    );
  const brokers = parseBrokers(v.kafka!, "--kafka");
  if (brokers instanceof DecodeError) throw new UsageError(brokers.message);
  if (v.view === undefined)
    throw new UsageError(
      "--view postgres://user@host:port/database is required with --kafka: the API reads the view the sink writes",
    );
  const prefix = v.prefix ?? "dyff";
  const stores = await sharedStores({ view: v.view }, prefix);
  return { kafka: { brokers, prefix, clientId: "phasekit-api" }, stores };
}

/**
 * `phasekit serve api`: serves until `stop` is aborted; returns the exit code.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const done = serveApi({ tokens: "tokens.json", port: "8080" }, processIo, stop.signal);
 * stop.abort(); await done; // 0
 * ```
 */
export async function serveApi(values: Record<string, unknown>, io: Io, stop: AbortSignal): Promise<number> {
  const v = values as Record<string, string | undefined>;
  const tokens = readTokens(v.tokens);
  if (v.kafka === undefined && v.view !== undefined)
    throw new UsageError("--view: only with --kafka (the memory control plane keeps its own view)");
  if (v.kafka !== undefined && v.kube !== undefined)
    throw new UsageError(
      "--kube: not with --kafka (the API process runs no service that uses the cluster); give --kube to the `phasekit serve` processes of the orchestrator, operator and informer",
    );
  if (v.kube !== undefined) {
    const memoryOnly = ["step-ms", "failure-rate", "seed"].filter((o) => v[o] !== undefined);
    if (memoryOnly.length > 0)
      throw new UsageError(
        `${memoryOnly.map((o) => `--${o}`).join(", ")}: only for simulated steps, not with --kube (the steps run as pods on the cluster)`,
      );
  }
  const port = number("port", v.port, 0, whole(0, 65535), "a port from 0 to 65535");
  const stepMs = number("step-ms", v["step-ms"], defaultStepMs, whole(0), "a whole number of milliseconds");
  const failureRate = number(
    "failure-rate",
    v["failure-rate"],
    defaultFailureRate,
    (n) => n >= 0 && n <= 1,
    "a probability from 0 to 1",
  );
  const seed = number("seed", v.seed, 0, Number.isInteger, "a whole number");
  const maxBodyBytes = number(
    "max-body",
    v["max-body"],
    defaultMaxBodyBytes,
    whole(1),
    "a whole number of bytes",
  );
  const backend: Backend =
    v.kafka !== undefined ? await kafkaBackend(v) : { cluster: await kubeFlag(v.kube, io) };
  let served: OpenApi;
  try {
    served = await openApi(backend, tokens, {
      stepMs,
      failureRate,
      seed,
      onError: (m) => io.err(`phasekit serve api: control plane: ${m}\n`),
    });
  } catch (error) {
    io.err(`phasekit serve api: cannot start: ${(error as Error).message}\n`);
    return exit.failed;
  }
  let api: Awaited<ReturnType<typeof startApiServer>>;
  try {
    api = await startApiServer(
      {
        backend: served.backend,
        authenticate: served.authenticate,
        maxBodyBytes,
        log: (line) => io.err(`phasekit serve api: ${line}\n`),
      },
      port,
    );
  } catch (error) {
    await served.close();
    io.err(`phasekit serve api: cannot listen on port ${port}: ${(error as Error).message}\n`);
    return exit.failed;
  }
  io.err(`phasekit serve api: ${Object.keys(tokens).length} token(s), ${served.where}\n`);
  io.out(`${api.url}\n`);
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener("abort", () => resolve(), { once: true });
  });
  await api.close();
  await served.close();
  io.err("phasekit serve api: stopped\n");
  return exit.ok;
}

import { DecodeError } from "@phasekit/core";

/**
 * Where the key-value store lives: etcd endpoints and a key prefix, from an options object or an
 * `etcd://host:port[,host:port...][/prefix]` URL.
 *
 * @module
 */

/** The configuration `layerEtcd` takes. */
export interface EtcdConfigInput {
  /** `"http://127.0.0.1:2379"`, `"h1:2379,h2:2379"` or an array of either; `http://` is the default scheme. */
  readonly endpoints: string | readonly string[];
  /** Every key the store writes starts with this (default `phasekit/`): several stores can share one etcd. */
  readonly prefix?: string;
  /** Milliseconds to wait for a connection, and for each request (default 5000). */
  readonly timeoutMs?: number;
}

/** A checked configuration. */
export interface EtcdConfig {
  readonly endpoints: readonly string[];
  readonly prefix: string;
  readonly timeoutMs: number;
}

const bad = (subject: string, path: string, value: unknown, expected: string) =>
  new DecodeError(subject, [{ path, value, expected }]);

const endpointPattern = /^(https?):\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function endpoint(text: string, field: string): string | DecodeError {
  const trimmed = text.trim();
  const withScheme = /^[a-z]+:\/\//.test(trimmed) ? trimmed : `http://${trimmed}`;
  const match = endpointPattern.exec(withScheme.replace(/\/$/, ""));
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535)
    return bad(
      "etcd configuration",
      field,
      text,
      "an etcd endpoint, http(s)://host:port or host:port, e.g. 127.0.0.1:2379",
    );
  return `${match[1]}://${match[2]}:${match[3]}`;
}

/**
 * Checks a configuration: every endpoint is `http(s)://host:port` (or `host:port`), the prefix is a
 * string, the timeout a positive whole number of milliseconds. Returns a DecodeError naming the
 * field, the value and what was expected.
 *
 * @example
 * ```ts
 * decodeEtcdConfig({ endpoints: "127.0.0.1:2379" }); // { endpoints: ["http://127.0.0.1:2379"], prefix: "phasekit/", timeoutMs: 5000 }
 * decodeEtcdConfig({ endpoints: "nope" }); // DecodeError at "endpoints"
 * ```
 */
export function decodeEtcdConfig(input: EtcdConfigInput): EtcdConfig | DecodeError {
  const raw = typeof input.endpoints === "string" ? input.endpoints.split(",") : [...input.endpoints];
  if (raw.length === 0 || raw.every((e) => e.trim() === ""))
    return bad("etcd configuration", "endpoints", input.endpoints, "at least one endpoint");
  const endpoints: string[] = [];
  for (const [i, text] of raw.entries()) {
    const e = endpoint(text, typeof input.endpoints === "string" ? "endpoints" : `endpoints[${i}]`);
    if (e instanceof DecodeError) return e;
    endpoints.push(e);
  }
  const prefix = input.prefix ?? "phasekit/";
  if (typeof prefix !== "string") return bad("etcd configuration", "prefix", prefix, "a string");
  const timeoutMs = input.timeoutMs ?? 5_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    return bad("etcd configuration", "timeoutMs", timeoutMs, "a whole number of milliseconds > 0");
  return { endpoints, prefix, timeoutMs };
}

/**
 * Reads `etcd://host:port[,host:port...][/prefix]` (`etcds://` for TLS endpoints); the path, when
 * there is one, is the key prefix (default `phasekit/`). `field` names the flag or variable in errors.
 *
 * @example
 * ```ts
 * parseEtcdUrl("etcd://127.0.0.1:22379/dyff/", "--kv");
 * // { endpoints: ["http://127.0.0.1:22379"], prefix: "dyff/", timeoutMs: 5000 }
 * ```
 */
export function parseEtcdUrl(url: string, field = "url"): EtcdConfig | DecodeError {
  const match = /^(etcds?):\/\/([^/]*)(\/.*)?$/.exec(url.trim());
  if (!match || match[2] === "")
    return bad(
      "etcd configuration",
      field,
      url,
      "etcd://host:port[,host:port...][/prefix], e.g. etcd://127.0.0.1:2379",
    );
  const scheme = match[1] === "etcds" ? "https" : "http";
  const endpoints = match[2]!.split(",").map((h) => `${scheme}://${h}`);
  const prefix = match[3] === undefined || match[3] === "/" ? undefined : match[3].slice(1);
  const config = decodeEtcdConfig({ endpoints, ...(prefix !== undefined && { prefix }) });
  return config instanceof DecodeError
    ? bad(field, field, url, config.issues[0]?.expected ?? "a valid etcd URL")
    : config;
}

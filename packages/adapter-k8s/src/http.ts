import type { IncomingMessage } from "node:http";
import { Agent, request as httpsRequest } from "node:https";

/**
 * HTTPS to one API server, with Node's own `https` (no dependency): bearer-token authentication,
 * the cluster's CA, keep-alive connections, JSON in and out, and long-lived responses read line by
 * line for watches.
 *
 * @module
 */

/** Where the API server is and how to authenticate to it. */
export interface Endpoint {
  /** `https://host:port`, no trailing path. */
  readonly server: string;
  readonly token: string;
  /** The PEM of the CA that signed the API server's certificate. */
  readonly ca: string;
}

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path and query, e.g. `/api/v1/namespaces?limit=1`. */
  readonly path: string;
  readonly body?: unknown;
  readonly contentType?: string;
  /** The whole exchange must finish within this (a stream: until the headers arrive). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  readonly body: unknown;
}

/** A response being streamed: its status, and its body line by line (JSON lines for a watch). */
export interface HttpStream {
  readonly status: number;
  readonly lines: AsyncIterable<string>;
  /** Stops reading and drops the connection. */
  readonly close: () => void;
}

/** The connection failed (refused, reset, timed out) before an HTTP answer. */
export class TransportError extends Error {
  override readonly name = "TransportError";
}

export interface Transport {
  readonly request: (req: HttpRequest) => Promise<HttpResponse>;
  readonly stream: (req: HttpRequest) => Promise<HttpStream>;
  /** Closes idle and open connections. */
  readonly close: () => void;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

async function* linesOf(response: IncomingMessage): AsyncIterable<string> {
  let buffered = "";
  response.setEncoding("utf8");
  for await (const chunk of response as AsyncIterable<string>) {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line !== "") yield line;
      newline = buffered.indexOf("\n");
    }
  }
  if (buffered.trim() !== "") yield buffered.trim();
}

async function readAll(response: IncomingMessage): Promise<string> {
  response.setEncoding("utf8");
  let text = "";
  for await (const chunk of response as AsyncIterable<string>) text += chunk;
  return text;
}

/**
 * A transport to `endpoint`. Every request carries the token; the server certificate is checked
 * against `endpoint.ca` (never skipped).
 *
 * @example
 * ```ts
 * const http = createTransport({ server: "https://127.0.0.1:16443", token, ca: readFileSync(caFile, "utf8") });
 * const { status, body } = await http.request({ method: "GET", path: "/readyz", timeoutMs: 5000 });
 * ```
 */
export function createTransport(endpoint: Endpoint): Transport {
  const url = new URL(endpoint.server);
  if (url.protocol !== "https:")
    throw new TypeError(`server: expected an https:// URL, got ${endpoint.server}`);
  const agent = new Agent({ keepAlive: true, ca: endpoint.ca });

  const open = (req: HttpRequest) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
      const outgoing = httpsRequest(
        {
          host: url.hostname,
          port: url.port === "" ? 443 : Number(url.port),
          method: req.method,
          path: req.path,
          agent,
          headers: {
            authorization: `Bearer ${endpoint.token}`,
            accept: "application/json",
            "user-agent": "phasekit-adapter-k8s",
            ...(payload === undefined
              ? {}
              : {
                  "content-type": req.contentType ?? "application/json",
                  "content-length": Buffer.byteLength(payload),
                }),
          },
          ...(req.signal ? { signal: req.signal } : {}),
        },
        (response) => {
          clearTimeout(timer);
          resolve(response);
        },
      );
      const timer = setTimeout(
        () =>
          outgoing.destroy(
            new TransportError(`${req.method} ${req.path}: no answer within ${req.timeoutMs} ms`),
          ),
        req.timeoutMs,
      );
      outgoing.on("error", (error) => {
        clearTimeout(timer);
        reject(
          error instanceof TransportError
            ? error
            : new TransportError(`${req.method} ${req.path}: ${error.message}`),
        );
      });
      outgoing.end(payload);
    });

  return {
    request: async (req) => {
      const response = await open(req);
      // The body gets the same budget again; a stalled body is dropped, not waited for.
      const timer = setTimeout(
        () =>
          response.destroy(
            new TransportError(`${req.method} ${req.path}: body not read within ${req.timeoutMs} ms`),
          ),
        req.timeoutMs,
      );
      try {
        const text = await readAll(response);
        return { status: response.statusCode ?? 0, body: parse(text) };
      } catch (error) {
        throw error instanceof TransportError
          ? error
          : new TransportError(`${req.method} ${req.path}: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    },
    stream: async (req) => {
      const response = await open(req);
      return { status: response.statusCode ?? 0, lines: linesOf(response), close: () => response.destroy() };
    },
    close: () => agent.destroy(),
  };
}

/** Reads a streamed response whole (an error answer to a watch). */
export async function drain(stream: HttpStream): Promise<unknown> {
  let text = "";
  for await (const line of stream.lines) text += line;
  return parse(text);
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ApiBackend,
  type Caller,
  command,
  create,
  getOne,
  label,
  query,
  type Reply,
  servedKind,
} from "./handlers.js";
import { openApiDocument } from "./openapi.js";
import { ApiProblem, problem } from "./problem.js";

/**
 * Dyff's REST API (`/v0`) on node:http, over an {@link ApiBackend}: bearer-token authentication,
 * a body size limit, routing to the handlers, and every error as problem details. A log line
 * names the method, the path, the status and the account, never a token.
 *
 * @module
 */

/** The default largest request body: 1 MiB. */
export const defaultMaxBodyBytes = 1024 * 1024;

export interface ApiServerOptions {
  readonly backend: ApiBackend;
  /** The account of a bearer token, or undefined for a token the server does not know. */
  readonly authenticate: (token: string) => string | undefined;
  /** Largest request body in bytes (default {@link defaultMaxBodyBytes}); a larger one is refused with 413. */
  readonly maxBodyBytes?: number;
  /** Where each request's log line goes (default nowhere). */
  readonly log?: (line: string) => void;
}

/** A listening API server. */
export interface ApiServer {
  /** `http://127.0.0.1:<port>/v0`, what the Dyff client takes as its endpoint. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops listening and closes open connections. */
  readonly close: () => Promise<void>;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) return Promise.reject(new TooLarge(String(declared)));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners("data");
        req.resume();
        reject(new TooLarge(String(size)));
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw problem(400, "body", `${bytes.length} bytes`, "a JSON document");
  }
}

function authenticate(req: IncomingMessage, options: ApiServerOptions): Caller {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match)
    throw problem(
      401,
      "Authorization",
      header === undefined ? null : "(not a bearer token)",
      "Bearer <token>, a token of the --tokens file",
      "no bearer token",
    );
  const token = match[1]!;
  const account = options.authenticate(token);
  if (account === undefined)
    throw problem(
      401,
      "Authorization",
      "Bearer (redacted)",
      "a token of the --tokens file",
      "unknown bearer token",
    );
  return { token, account };
}

const notAllowed = (method: string, path: string) =>
  problem(405, "method", method, `a method ${path} serves (see /v0/openapi.json)`);

async function route(
  req: IncomingMessage,
  options: ApiServerOptions,
  caller: { account?: string },
): Promise<Reply> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = req.method ?? "GET";
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "/v0/openapi.json") {
    if (method !== "GET") throw notAllowed(method, path);
    return { status: 200, body: openApiDocument() };
  }
  const parts = path.split("/").slice(1).map(decodeURIComponent);
  if (parts[0] !== "v0" || parts.length < 2 || parts.length > 4)
    throw problem(404, "path", url.pathname, "/v0/<resource>[/<id>[/<action>]] (see /v0/openapi.json)");
  const who = authenticate(req, options);
  caller.account = who.account;
  const kind = servedKind(parts[1]!);
  const [id, action] = [parts[2], parts[3]];
  const max = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const body = async () => {
    try {
      return parseJson(await readBody(req, max));
    } catch (error) {
      if (error instanceof TooLarge)
        throw problem(
          413,
          "body",
          `${error.message} bytes`,
          `at most ${max} bytes`,
          "request body too large",
        );
      throw error;
    }
  };
  if (id === undefined) {
    if (method === "GET") return query(options.backend, kind, who, url.searchParams);
    if (method === "POST") return create(options.backend, kind, who, await body());
    throw notAllowed(method, path);
  }
  if (action === undefined) {
    if (method === "GET") return getOne(options.backend, kind, who, id);
    throw notAllowed(method, path);
  }
  if (action === "delete" && method === "PUT") return command(options.backend, kind, who, id, "delete");
  if (action === "terminate" && (method === "PUT" || method === "POST"))
    return command(options.backend, kind, who, id, "terminate");
  if (action === "finalize" && method === "POST" && kind.finalizes)
    return command(options.backend, kind, who, id, "finalize");
  if (action === "labels" && method === "PATCH") return label(options.backend, kind, who, id, await body());
  throw problem(404, "path", url.pathname, `an operation on ${kind.resource} (see /v0/openapi.json)`);
}

function send(res: ServerResponse, reply: Reply, type = "application/json"): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, { "content-length": "0" }).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": type, "content-length": Buffer.byteLength(text) }).end(text);
}

/**
 * The request handler of the API (for a server of your own).
 *
 * @example
 * ```ts
 * const server = http.createServer(apiHandler({ backend, authenticate: (t) => tokens[t] }));
 * ```
 */
export function apiHandler(options: ApiServerOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const caller: { account?: string } = {};
    const path = (req.url ?? "/").split("?")[0];
    const done = (status: number) =>
      options.log?.(
        `${req.method} ${path} ${status} ${caller.account ?? "-"} ${Math.round(performance.now() - started)}ms`,
      );
    route(req, options, caller).then(
      (reply) => {
        send(res, reply);
        done(reply.status);
      },
      (error: unknown) => {
        const p =
          error instanceof ApiProblem
            ? error
            : problem(
                500,
                "server",
                null,
                "no internal error",
                error instanceof Error ? error.message : String(error),
              );
        send(res, { status: p.status, body: p.body() }, "application/problem+json");
        done(p.status);
      },
    );
  };
}

/**
 * Starts the API on 127.0.0.1:`port` (0: any free port); resolves once it listens.
 *
 * @example
 * ```ts
 * const api = await startApiServer({ backend, authenticate: (t) => (t === "s3cret" ? "alice" : undefined) }, 8080);
 * console.log(api.url); // http://127.0.0.1:8080/v0
 * await api.close();
 * ```
 */
export function startApiServer(options: ApiServerOptions, port = 0, host = "127.0.0.1"): Promise<ApiServer> {
  const server = createServer(apiHandler(options));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host}:${bound}/v0`,
        port: bound,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

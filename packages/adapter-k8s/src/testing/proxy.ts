import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of the API server for fault tests (TLS passes through untouched, so the
 * client still checks the server's certificate). `freeze()` makes every connection open at that
 * moment silent without closing it: bytes stop flowing both ways, as on a dead network path that
 * TCP has not noticed. Connections opened afterwards work.
 *
 * @module
 */

export interface StallingProxy {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly freeze: () => number;
  readonly close: () => Promise<void>;
}

/**
 * Starts a proxy to `target` (`https://host:port`) on a free loopback port.
 *
 * @example
 * ```ts
 * const proxy = await startStallingProxy(admin.server);
 * const frozen = proxy.freeze(); // how many connections went silent
 * ```
 */
export async function startStallingProxy(target: string): Promise<StallingProxy> {
  const url = new URL(target);
  const pairs = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: url.hostname, port: Number(url.port) });
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on("data", (chunk) => {
        if (!pair.frozen) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    server: `https://127.0.0.1:${port}`,
    freeze: () => {
      for (const pair of pairs) pair.frozen = true;
      return pairs.size;
    },
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

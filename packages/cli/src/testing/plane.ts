import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { layerEtcd } from "@phasekit/adapter-etcd";
import {
  type AdmissionRecord,
  admissionPrefix,
  decodeAdmission,
  KeyValue,
  type StateMessage,
} from "@phasekit/core";
import { viewTable } from "@phasekit/runtime";
import { Effect } from "effect";
import pg from "pg";
import { type ServeProcess, spawnPhasekit, waitForOutput } from "./processes.js";

/**
 * A control plane of `phasekit serve` processes for the kill tests, on the shared stores: its own
 * prefix (topics, consumer groups, etcd keys, view table), two accounts with slot quotas, the
 * processes it started (killed at `close`), the API as a client calls it, and the measures the tests
 * take of it (admission records, quota breaches, lost status changes).
 *
 * @module
 */

/** The accounts' API tokens and their slot quotas. */
export const planeTokens = { "alice-token": "alice", "bob-token": "bob" } as const;
export const planeQuotas = { alice: { slots: 2 }, bob: { slots: 3 } } as const;

/** A Model as the API lists it. */
export interface Listed {
  readonly id: string;
  readonly status: string;
}

/** A call to the API: the HTTP status and the JSON body. */
export type ApiCall = (
  token: string,
  method: string,
  path: string,
  body?: unknown,
) => Promise<{
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, which each test reads as it expects
  readonly body: any;
}>;

export interface Plane {
  readonly prefix: string;
  /** `--kv` for etcd, `--quotas` and `--tokens` files. */
  readonly kv: string;
  readonly quotasFile: string;
  readonly tokensFile: string;
  /** Starts `phasekit serve <line...> --kafka <bootstrap> --prefix <prefix>`, killed at `close`. */
  readonly serve: (line: readonly string[]) => ServeProcess;
  /** Starts `serve api` (with `extra` flags) and waits until it listens. */
  readonly api: (
    extra: readonly string[],
  ) => Promise<{ readonly process: ServeProcess; readonly call: ApiCall }>;
  /** The orchestrator's admission records on etcd. */
  readonly admissionRecords: () => Promise<AdmissionRecord[]>;
  /** Stops (SIGTERM) what is still running and waits until it is gone. */
  readonly stop: () => Promise<void>;
  /** Kills what is still running and drops the view table. */
  readonly close: () => Promise<void>;
}

/**
 * A new plane named `<name>-<random>` on `bootstrap`, etcd at `etcd` (needed for `kv` and the
 * admission records only) and PostgreSQL at `postgres`.
 *
 * @example
 * ```ts
 * const plane = startPlane("stores", { bootstrap, etcd, postgres });
 * plane.serve(["orchestrator", "--kv", plane.kv, "--quotas", plane.quotasFile]);
 * ```
 */
export function startPlane(
  name: string,
  at: { readonly bootstrap: string; readonly etcd?: readonly string[]; readonly postgres: string },
): Plane {
  const prefix = `${name}-${randomBytes(4).toString("hex")}`;
  const dir = mkdtempSync(join(tmpdir(), `phasekit-${name}-`));
  const tokensFile = join(dir, "tokens.json");
  const quotasFile = join(dir, "quotas.json");
  writeFileSync(tokensFile, JSON.stringify(planeTokens));
  writeFileSync(quotasFile, JSON.stringify(planeQuotas));
  const children: ServeProcess[] = [];
  const serve = (line: readonly string[]) => {
    const p = spawnPhasekit(["serve", ...line, "--kafka", at.bootstrap, "--prefix", prefix]);
    children.push(p);
    return p;
  };
  const etcd = () => {
    if (!at.etcd) throw new Error(`startPlane("${name}") was given no etcd endpoints`);
    return at.etcd;
  };
  return {
    prefix,
    get kv() {
      return `etcd://${etcd()
        .map((e) => e.replace(/^https?:\/\//, ""))
        .join(",")}`;
    },
    quotasFile,
    tokensFile,
    serve,
    api: async (extra) => {
      const process = serve(["api", "--tokens", tokensFile, ...extra]);
      await waitForOutput(process, "/v0\n");
      const url = /(http:\/\/\S+\/v0)\n/.exec(process.output())![1]!;
      const call: ApiCall = async (token, method, path, body) => {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      };
      return { process, call };
    },
    admissionRecords: async () => {
      const records = await Effect.runPromise(
        Effect.flatMap(KeyValue, (store) => store.list(admissionPrefix)).pipe(
          Effect.provide(layerEtcd({ endpoints: [...etcd()], prefix: `${prefix}/` })),
        ),
      );
      return [...records].map(([key, v]) => decodeAdmission(key, v.value) as AdmissionRecord);
    },
    stop: async () => {
      for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGTERM");
      await Promise.all(children.map((c) => c.exited));
    },
    close: async () => {
      for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGKILL");
      await Promise.all(children.map((c) => c.exited));
      const client = new pg.Client({ connectionString: at.postgres });
      await client.connect();
      await client.query(`DROP TABLE IF EXISTS "${viewTable(prefix)}"`);
      await client.end();
    },
  };
}

/** Creates `perAccount` Models for each account at once through the API; returns each one's account. */
export async function modelBurst(call: ApiCall, perAccount: number): Promise<Map<string, string>> {
  const created = await Promise.all(
    Object.entries(planeTokens).flatMap(([token, account]) =>
      Array.from({ length: perAccount }, (_, i) =>
        call(token, "POST", "/models", {
          account,
          name: `m${i}`,
          artifact: { kind: "x" },
          source: { kind: "y" },
          resources: {},
        }),
      ),
    ),
  );
  const refused = created.filter((c) => c.status !== 201);
  if (refused.length > 0) throw new Error(`creations refused: ${JSON.stringify(refused)}`);
  return new Map(created.map((c) => [c.body.id as string, c.body.account as string]));
}

/** Every Model the accounts can list. */
export async function listModels(call: ApiCall): Promise<Listed[]> {
  const listed: Listed[] = [];
  for (const token of Object.keys(planeTokens)) listed.push(...(await call(token, "GET", "/models")).body);
  return listed;
}

/**
 * Status changes lost: per entity, each of `statuses` it never reached, plus one when its last state
 * is not the replay of its events.
 */
export function lostStatusChanges(
  history: ReadonlyMap<string, readonly StateMessage[]>,
  replayed: ReadonlyMap<string, StateMessage>,
  statuses: readonly string[],
): number {
  let lost = 0;
  for (const [id, versions] of history) {
    const seen = versions.map((v) => v.entity.status);
    lost += statuses.filter((s) => !seen.includes(s)).length;
    if (JSON.stringify(versions.at(-1)) !== JSON.stringify(replayed.get(id))) lost++;
  }
  return lost;
}

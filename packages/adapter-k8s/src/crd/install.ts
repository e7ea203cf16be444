import { setTimeout as sleep } from "node:timers/promises";
import { KubeApiError, type KubeClient } from "../client.js";
import { crdType, defaultGroup } from "../kinds.js";
import { type CustomResourceDefinition, dyffCrds } from "./crds.js";

/**
 * Installs the Dyff CRDs through the API, idempotently: creates the missing ones, updates the ones
 * whose spec differs from what phasekit generates now, leaves the rest alone, then waits until each
 * is `Established` (served). Needs cluster-scoped rights on CRDs: run it with an administrator's
 * credentials, never the adapter's ServiceAccount.
 *
 * @module
 */

/** What happened to each CRD. */
export interface InstallReport {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

const established = (crd: unknown) =>
  ((crd as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []).some(
    (c) => c.type === "Established" && c.status === "True",
  );

/** True when every field we set is set to the same value on the server (the server adds defaults). */
function covers(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted))
    return (
      Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => covers(actual[i], w))
    );
  if (wanted !== null && typeof wanted === "object") {
    if (actual === null || typeof actual !== "object") return false;
    return Object.entries(wanted).every(([k, v]) => covers((actual as Record<string, unknown>)[k], v));
  }
  return actual === wanted;
}

async function installOne(
  client: KubeClient,
  crd: CustomResourceDefinition,
): Promise<"created" | "updated" | "unchanged"> {
  try {
    const current = await client.get(crdType, "", crd.metadata.name);
    if (covers(current.spec, crd.spec)) return "unchanged";
    await client.update(crdType, "", crd.metadata.name, {
      ...crd,
      metadata: { ...crd.metadata, resourceVersion: current.metadata.resourceVersion },
    });
    return "updated";
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) throw error;
    try {
      await client.create(crdType, "", crd);
      return "created";
    } catch (raced) {
      // Another installer created it between our GET and POST: theirs is the same generated CRD.
      if (raced instanceof KubeApiError && raced.status === 409) return "unchanged";
      throw raced;
    }
  }
}

/**
 * Installs (or updates) every Dyff CRD of `group` and waits, up to `timeoutMs`, until all are
 * Established.
 *
 * @example
 * ```ts
 * const admin = createKubeClient({ server, token: adminToken, ca }, { requestTimeoutMs: 15_000 });
 * const report = await installCrds(admin);
 * report.created; // ["evaluations.dyff.phasekit.dev", ...] the first time, [] after
 * ```
 */
export async function installCrds(
  client: KubeClient,
  options: { readonly group?: string; readonly timeoutMs?: number } = {},
): Promise<InstallReport> {
  const crds = dyffCrds(options.group ?? defaultGroup);
  const report = { created: [] as string[], updated: [] as string[], unchanged: [] as string[] };
  for (const crd of crds) report[await installOne(client, crd)].push(crd.metadata.name);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (const crd of crds) {
    while (!established(await client.get(crdType, "", crd.metadata.name))) {
      if (Date.now() > deadline)
        throw new Error(`CRD ${crd.metadata.name} not Established within ${options.timeoutMs ?? 60_000} ms`);
      await sleep(100);
    }
  }
  return report;
}

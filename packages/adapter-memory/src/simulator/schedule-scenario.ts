import type { Operation } from "./operations.js";
import { toCreate } from "./requests.js";
import type { Scenario } from "./scenario.js";
import { workFailures } from "./scenario-checks.js";

/**
 * What a Dyff scenario asks the simulation to do, and when: its creations, uploads and events as
 * operations, however the simulation runs them (synchronously in memory, asynchronously on Kafka).
 *
 * @example
 * ```ts
 * scheduleScenario(scenario, (at, label, op) => sim.schedule(at, label, () => sim.run(op)));
 * ```
 */
export function scheduleScenario(
  scenario: Scenario,
  schedule: (at: number, label: string, op: Operation) => void,
): void {
  const kinds = new Map(scenario.resources.map((r) => [r.id, r] as const));
  const tokenOf = (account: string, token: string | undefined) =>
    token ?? scenario.accounts[account]?.tokens[0]?.token ?? "";
  for (const r of scenario.resources) {
    const token = tokenOf(r.account, r.token);
    const resource = toCreate(r, (id) => kinds.get(id)?.kind);
    schedule(r.at, `create ${r.id}`, { type: "create", resource, token });
    const uploadedAt = r.uploadedAt === undefined ? r.at : r.uploadedAt;
    if (r.kind === "Dataset" && uploadedAt !== null)
      schedule(uploadedAt, `upload ${r.id}`, { type: "uploaded", id: r.id, token });
  }
  for (const e of scenario.events) {
    const id = e.fail ?? e.terminate ?? e.delete ?? e.label!;
    const token = tokenOf(kinds.get(id)!.account, e.token);
    if (e.fail !== undefined) {
      const reason = e.reason ?? workFailures(kinds.get(id)!.kind)[0]!;
      schedule(e.at, `fail ${id}`, { type: "fail", id, reason });
    } else if (e.terminate !== undefined) schedule(e.at, `terminate ${id}`, { type: "terminate", id, token });
    else if (e.delete !== undefined) schedule(e.at, `delete ${id}`, { type: "delete", id, token });
    else schedule(e.at, `label ${id}`, { type: "label", id, labels: e.labels ?? {}, token });
  }
}

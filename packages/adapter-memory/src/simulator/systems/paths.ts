import type { Lifecycle } from "@phasekit/core";
import type { TimelineEntry } from "../timeline.js";

/**
 * Checks that each id's status sequence in a timeline is a path of its kind's machine: starting from
 * the machine's initial status, every change is one transition the machine allows. `statusOf` maps a
 * displayed status to the machine's (Run:ai shows `Init:1/2` for `Init:<done>/<total>`).
 *
 * @example
 * ```ts
 * machinePaths(timeline, () => rayWorkflowLifecycle); // [] when every sequence is a path
 * ```
 */
export function machinePaths(
  entries: readonly TimelineEntry[],
  lifecycleOf: (entry: TimelineEntry) => Lifecycle | undefined,
  statusOf: (shown: string) => string = (s) => s,
): string[] {
  const problems: string[] = [];
  const at = new Map<string, ReturnType<Lifecycle["initial"]> | null>();
  for (const e of entries) {
    const lc = lifecycleOf(e);
    if (!lc) {
      problems.push(`${e.id}: no machine for kind ${e.kind}`);
      continue;
    }
    const held = at.get(e.id);
    if (held === null) continue; // already reported
    const record = held ?? lc.initial();
    const next = lc.moveTo(record, { status: statusOf(e.status), reason: e.reason });
    if (next instanceof Error) {
      problems.push(
        `${e.kind} ${e.id} at ${e.t}s: ${record.status}${record.reason ? `/${record.reason}` : ""} -> ${e.status}${e.reason ? `/${e.reason}` : ""} is no transition of its machine`,
      );
      at.set(e.id, null);
    } else at.set(e.id, next);
  }
  return problems;
}

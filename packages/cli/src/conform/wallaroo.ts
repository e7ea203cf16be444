import type { Observation } from "@phasekit/core";
import { ReadError } from "./split.js";

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The SDK's display time, `2023-22-May 19:58:35` (year, day, month name; UTC), as RFC 3339; RFC 3339
 * passes through. Undefined when it is neither.
 *
 * @example
 * ```ts
 * wallarooTime("2023-22-May 19:58:35"); // "2023-05-22T19:58:35Z"
 * ```
 */
export function wallarooTime(text: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-([A-Z][a-z]{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (m) {
    const month = months.indexOf(m[3]!);
    if (month < 0) return undefined;
    const [y, d, hh, mm, ss] = [m[1]!, m[2]!.padStart(2, "0"), m[4]!, m[5]!, m[6]!];
    return `${y}-${String(month + 1).padStart(2, "0")}-${d}T${hh}:${mm}:${ss}Z`;
  }
  return Number.isNaN(Date.parse(text)) ? undefined : text.trim();
}

const columns = ["task id", "pod id", "status", "created at", "updated at"] as const;

/**
 * Reads what `task.last_runs()` prints, polled again and again: tables with the header
 * `task id | pod id | status | created at | updated at |`, a `---|` line, then one run a row (newest
 * first within a table; tables in the order they were printed). Also JSON objects with those keys
 * (or phasekit's camelCase `id`, `taskId`, `status`, `updatedAt`). The run (its pod id) is the entity,
 * `updated at` the time.
 */
export class WallarooTableReader {
  private header: number[] | undefined;
  constructor(
    private readonly kind: string,
    private readonly emit: (o: Observation) => void,
  ) {}

  text(line: string, n: number): void {
    const cells = line
      .trim()
      .replace(/^\|/, "")
      .replace(/\|\s*$/, "")
      .split("|")
      .map((c) => c.trim());
    if (cells.length === 1 && cells[0] === "") return;
    if (cells.every((c) => /^-*$/.test(c))) return;
    const lower = cells.map((c) => c.toLowerCase());
    if (lower.includes("pod id")) {
      const at = columns.map((c) => lower.indexOf(c));
      const missing = columns.filter((_, i) => at[i]! < 0 && i !== 3);
      if (missing.length > 0)
        throw new ReadError(n, "header", JSON.stringify(line.trim()), `the columns ${columns.join(" | ")}`);
      this.header = at;
      return;
    }
    if (this.header === undefined)
      throw new ReadError(n, "$", JSON.stringify(line.trim()), `a table header: ${columns.join(" | ")} |`);
    const [task, pod, status, , updated] = this.header.map((i) => (i < 0 ? "" : (cells[i] ?? "")));
    this.row(pod!, status!, updated!, task!, n);
  }

  json(v: unknown, n: number): void {
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) {
      if (typeof item !== "object" || item === null)
        throw new ReadError(n, "$", JSON.stringify(item), "a task run (a JSON object)");
      const o = item as Record<string, unknown>;
      const pick = (...keys: string[]) => {
        for (const k of keys) if (typeof o[k] === "string") return o[k] as string;
        return "";
      };
      this.row(
        pick("pod id", "pod_id", "id"),
        pick("status"),
        pick("updated at", "updated_at", "updatedAt"),
        pick("task id", "task_id", "taskId"),
        n,
      );
    }
  }

  private row(pod: string, status: string, updated: string, task: string, n: number): void {
    if (pod === "") throw new ReadError(n, "pod id", JSON.stringify(pod), "the run's pod id");
    if (status === "") throw new ReadError(n, "status", JSON.stringify(status), "the run's status");
    const at = wallarooTime(updated);
    if (at === undefined)
      throw new ReadError(n, "updated at", JSON.stringify(updated), "a time like 2023-22-May 19:58:35");
    this.emit({
      system: "wallaroo",
      kind: this.kind,
      id: pod,
      status,
      reason: null,
      at,
      where: task === "" ? `line ${n}` : `line ${n} (task ${task})`,
    });
  }
}

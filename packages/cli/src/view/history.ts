import type { HistoryLine } from "./client/model.js";

/**
 * An entity's history (issue 18 part 3: `simulate --entity`) as the page's history table shows it:
 * one line per status change, command and note, with its time, what happened and why. Typed by the
 * fields it reads, so any history of that shape (the simulator's, or one read from a file) fits.
 *
 * @module
 */

interface Cause {
  readonly kind: string;
  readonly by: string | null;
  readonly what: string;
}

interface Status {
  readonly status: string;
  readonly reason: string | null;
  readonly phase: string;
}

/** The fields of an entity's history the page reads. */
export interface HistoryLike {
  readonly items: readonly (
    | (Status & {
        readonly type: "status";
        readonly t: number;
        readonly from: Status | null;
        readonly event: string | null;
        readonly causes: readonly Cause[];
        readonly message: string | null;
        readonly facts: Readonly<Record<string, string | number | boolean | null>>;
      })
    | {
        readonly type: "command";
        readonly t: number;
        readonly command: string;
        readonly by: string | null;
        readonly refused: string | null;
      }
    | { readonly type: "note"; readonly t: number; readonly cause: Cause; readonly text: string }
  )[];
}

const leaf = (s: Status) => (s.reason === null ? s.status : `${s.status}/${s.reason}`);
const cause = (c: Cause) => `${c.kind}${c.by ? ` by ${c.by}` : ""}: ${c.what}`;

/**
 * The lines of one history, in its order.
 *
 * @example
 * ```ts
 * historyLines(simulationHistory(result, "e1")); // [{ t: 0, what: "created as Created (Pending)", cause: "command by alice: create" }, ...]
 * ```
 */
export function historyLines(history: HistoryLike): HistoryLine[] {
  return history.items.map((item): HistoryLine => {
    if (item.type === "command")
      return {
        t: item.t,
        what: `${item.command} ${item.refused === null ? "accepted" : `refused: ${item.refused}`}`,
        cause: item.by === null ? "command" : `command by ${item.by}`,
      };
    if (item.type === "note") return { t: item.t, what: item.text, cause: cause(item.cause) };
    const facts = Object.entries(item.facts).map(([k, v]) => `${k}=${v}`);
    const what =
      item.from === null
        ? `created as ${leaf(item)} (${item.phase})`
        : `${leaf(item.from)} → ${leaf(item)} (${item.phase})${item.event ? ` by ${item.event}` : ""}`;
    return {
      t: item.t,
      what: [what, item.message, facts.length > 0 ? facts.join(", ") : null].filter((x) => x).join(" — "),
      cause: item.causes.map(cause).join("; "),
    };
  });
}

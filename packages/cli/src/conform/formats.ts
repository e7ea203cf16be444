import type { Observation } from "@phasekit/core";
import { KubernetesReader } from "./kubernetes.js";
import { ReadError, type Sink } from "./split.js";
import { WallarooTableReader } from "./wallaroo.js";

/** The input formats `phasekit conform` reads. */
export const inputFormats = ["phasekit", "dyff", "kubernetes", "ray", "wallaroo"] as const;
export type InputFormat = (typeof inputFormats)[number];

/** What a reader needs beyond the input: the CLI's --system, --kind and Run:ai flags. */
export interface ReaderOptions {
  readonly system?: string | undefined;
  readonly kind?: string | undefined;
  /** Run:ai attributes for the Kubernetes reader (the `explain runai` flags). */
  readonly runai?: Readonly<Record<string, unknown>>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v).slice(0, 60));

function str(o: Obj, field: string, line: number, expected = "a string"): string {
  const v = o[field];
  if (typeof v !== "string" || v === "") throw new ReadError(line, field, show(v), expected);
  return v;
}
function nullableStr(o: Obj, field: string, line: number): string | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new ReadError(line, field, show(v), "a string or null");
  return v;
}
function time(o: Obj, field: string, line: number): string | number | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return v;
  throw new ReadError(line, field, show(v), "an RFC 3339 time, a number, or null");
}

/** Guesses the format from the first value (or line of text) of the input. */
export function detectFormat(first: unknown): InputFormat | undefined {
  if (typeof first === "string") return /task id\s*\|\s*pod id/i.test(first) ? "wallaroo" : undefined;
  if (Array.isArray(first)) return undefined;
  if (!isObj(first)) return undefined;
  if ("record" in first || ("system" in first && "status" in first && "kind" in first)) return "phasekit";
  if ("summary" in first && "invariants" in first) return "phasekit";
  if (("type" in first && isObj(first.object)) || ("apiVersion" in first && "metadata" in first))
    return "kubernetes";
  if ("creationTime" in first || ("lastTransitionTime" in first && "kind" in first)) return "dyff";
  if ("stats" in first || "workflow_id" in first) return "ray";
  if ("task id" in first || "pod id" in first || "taskId" in first) return "wallaroo";
  return undefined;
}

/**
 * Turns the values of one input format into observations, as they arrive. A value the format does
 * not describe is a {@link ReadError} naming its line and field; values that are not status records
 * (the simulator's summary, its notes, a Ray step's metadata) are skipped.
 */
export function reader(format: InputFormat, options: ReaderOptions, emit: (o: Observation) => void): Sink {
  const only = (o: Observation) => {
    if (options.system !== undefined && o.system !== options.system) return;
    if (options.kind !== undefined && o.kind !== options.kind) return;
    emit(o);
  };
  const noText = (what: string) => (text: string, line: number) => {
    if (text.trim() !== "") throw new ReadError(line, "$", show(text), what);
  };
  switch (format) {
    case "phasekit":
      return {
        json(v, line) {
          if (!isObj(v)) throw new ReadError(line, "$", show(v), "a JSON object");
          // Status lines with or without `record: "status"`; any other record (notes) and the summary are skipped.
          if (v.record !== undefined && v.record !== "status") return;
          if (v.record === undefined && !("status" in v) && ("summary" in v || "invariants" in v)) return;
          only({
            system: str(v, "system", line),
            kind: str(v, "kind", line),
            id: str(v, "id", line),
            status: str(v, "status", line),
            reason: nullableStr(v, "reason", line),
            at: time(v, "t", line),
            line,
          });
        },
        text: noText("a JSON status record"),
      };
    case "dyff":
      return {
        json(v, line) {
          const items = Array.isArray(v) ? v : [v];
          for (const item of items) {
            if (!isObj(item)) throw new ReadError(line, "$", show(item), "a Dyff entity (a JSON object)");
            const kind = typeof item.kind === "string" ? item.kind : options.kind;
            if (kind === undefined)
              throw new ReadError(line, "kind", show(item.kind), "a Dyff kind (or --kind)");
            only({
              system: "dyff",
              kind,
              id: str(item, "id", line),
              status: str(item, "status", line),
              reason: nullableStr(item, "reason", line),
              at: time(item, "lastTransitionTime", line) ?? time(item, "creationTime", line),
              line,
            });
          }
        },
        text: noText("a Dyff entity as JSON"),
      };
    case "ray":
      return {
        json(v, line) {
          if (!isObj(v)) throw new ReadError(line, "$", show(v), "a get_metadata result (a JSON object)");
          if (!("status" in v)) return; // a step's metadata: no status to judge
          const id = typeof v.workflow_id === "string" ? v.workflow_id : v.id;
          if (typeof id !== "string" || id === "")
            throw new ReadError(line, "workflow_id", show(id), "the workflow id the metadata was read for");
          only({
            system: "ray",
            kind: options.kind ?? "Workflow",
            id,
            status: str(v, "status", line),
            reason: null,
            at: time(v, "polled_at", line),
            line,
          });
        },
        text: noText("a get_metadata result as JSON"),
      };
    case "wallaroo": {
      const table = new WallarooTableReader(options.kind ?? "TaskRun", only);
      return { json: (v, line) => table.json(v, line), text: (t, line) => table.text(t, line) };
    }
    case "kubernetes": {
      const k8s = new KubernetesReader(options.runai ?? {}, only);
      return {
        json: (v, line) => k8s.json(v, line),
        text: noText("a Kubernetes object or watch event as JSON"),
      };
    }
  }
}

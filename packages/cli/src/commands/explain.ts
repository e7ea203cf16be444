import {
  DecodeError,
  decodeRunaiObjects,
  deriveRunaiStatus,
  deriveRunaiWorkloadStatus,
  type RunaiDerivation,
  type RunaiJobAttributes,
  type RunaiTypeSource,
  type RunaiWorkloadDerivation,
  runaiObservations,
  runaiRules,
  runaiWorkloadRules,
} from "@phasekit/core";
import { parseAllDocuments } from "yaml";
import type { Command } from "../command.js";
import { exit, type Io, inputName, readInput, UsageError } from "../io.js";

export const explainHelp = `phasekit explain runai <file> [--format text|json] [--type T] [--preemptible true|false]
                         [--backoff-limit N] [--retries N] [--scheduler-running true|false]

Reads a Pod, a Job, or a List of them (JSON or YAML, several YAML documents allowed) and prints, for
each job, the status Run:ai shows, whether it is an end state, whether resources are allocated, and
the field that decided it; then the same job's status in Run:ai's current workload model (2.16+:
Creating, Pending, Initializing, Running, Degraded, Deleting, Stopped, Failed, Completed). Run:ai attributes come from the flags, else from the objects' annotations
(then labels) runai.phasekit.dev/job-type, /preemptible, /backoff-limit, /retries, /scheduler-running;
a Job's spec.backoffLimit and status.failed are read from the Job. Without a type, what Run:ai puts
on its pods decides: an owner reference to TrainingWorkload, InteractiveWorkload, DistributedWorkload
or RunaiJob, then the priority class (train, build, interactive-preemptible); then an MPI launcher
label means distributed and a Job (or a Job's pod) means training. --type overrides them all.
A file "-" is standard input.`;

/** The flags of `explain`, for node's parseArgs. */
export const explainOptions = {
  format: { type: "string" },
  type: { type: "string" },
  preemptible: { type: "string" },
  "backoff-limit": { type: "string" },
  retries: { type: "string" },
  "scheduler-running": { type: "string" },
} as const;

/** The parsed flags: every value a string, or absent. */
export type ExplainValues = Readonly<Record<string, unknown>>;

const formats = ["text", "json"] as const;
const types = ["training", "interactive", "distributed"] as const;

function flagBool(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === "true" || v === "false") return v === "true";
  throw new UsageError(`--${name}: got "${v}", expected true or false`);
}
function flagCount(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  throw new UsageError(`--${name}: got "${v}", expected a whole number >= 0`);
}

/** The Run:ai attributes given on the command line. */
export function runaiOverrides(o: ExplainValues): Partial<RunaiJobAttributes> {
  const flag = (name: keyof typeof explainOptions) => o[name] as string | undefined;
  const type = flag("type");
  if (type !== undefined && !(types as readonly string[]).includes(type))
    throw new UsageError(`--type: got "${type}", expected one of ${types.join(", ")}`);
  const out: { -readonly [K in keyof RunaiJobAttributes]?: RunaiJobAttributes[K] } = {};
  if (type !== undefined) out.type = type as RunaiJobAttributes["type"];
  const preemptible = flagBool("preemptible", flag("preemptible"));
  if (preemptible !== undefined) out.preemptible = preemptible;
  const running = flagBool("scheduler-running", flag("scheduler-running"));
  if (running !== undefined) out.schedulerRunning = running;
  const limit = flagCount("backoff-limit", flag("backoff-limit"));
  if (limit !== undefined) out.backoffLimit = limit;
  const retries = flagCount("retries", flag("retries"));
  if (retries !== undefined) out.retries = retries;
  return out;
}

/** The workload-model status shown beside the job status (the legacy derivation is the result itself). */
type WorkloadView = Omit<RunaiWorkloadDerivation, "legacy">;

/** The file's content as plain data: JSON for `.json`, YAML (one or several documents) otherwise. */
function readDocument(file: string, io: Io): unknown {
  const text = readInput(file, io);
  const name = inputName(file);
  if (file.endsWith(".json")) {
    if (text.trim() === "")
      throw new UsageError(`${name}: the file is empty; expected a Pod, a Job or a List`);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${name}: not valid JSON (${(error as Error).message})`);
    }
  }
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return null;
  const bad = docs.flatMap((d) => d.errors);
  if (bad.length > 0) throw new UsageError(`${name}: not valid YAML (${bad[0]!.message.split("\n")[0]})`);
  const values = docs
    .map((d) => {
      try {
        return d.toJS({ maxAliasCount: 100 }) as unknown;
      } catch (error) {
        // An alias to no anchor, or so many aliases that expanding them could exhaust memory.
        throw new UsageError(`${name}: ${yamlAliasProblem(error)}`);
      }
    })
    .filter((v) => v != null);
  if (values.length === 0)
    throw new UsageError(
      `${name}: no document (the file is empty or holds only comments); expected a Pod, a Job or a List`,
    );
  return values.length === 1 ? values[0] : { kind: "List", items: values };
}

/** What went wrong expanding YAML aliases, in our words. */
function yamlAliasProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unresolved alias/i.test(message)) {
    const anchor = message.match(/: (\S+)$/)?.[1];
    return `not valid YAML (the alias *${anchor ?? "?"} names no anchor defined before it)`;
  }
  if (/Excessive alias count/i.test(message))
    return 'not accepted: its aliases expand to too many nodes (more than 100 aliases to collections; a "billion laughs" file?)';
  return `not valid YAML (${message})`;
}

function text(
  file: string,
  subject: string,
  d: RunaiDerivation,
  from: RunaiTypeSource,
  w: WorkloadView,
): string {
  const yes = (b: boolean) => (b ? "yes" : "no");
  const by = d.decidedBy;
  const wby = w.decidedBy;
  return [
    `${file}: ${subject} (${d.kind})`,
    `  type from            ${from.object} ${from.field} = ${JSON.stringify(from.value)}`,
    `  status               ${d.display}${d.reason ? ` (${d.reason})` : ""}`,
    `  end state            ${yes(d.endState)}`,
    `  resources allocated  ${yes(d.resourcesAllocated)}`,
    `  decided by           ${by.object} ${by.field} = ${JSON.stringify(by.value)}`,
    `  why                  ${by.rule}: ${runaiRules[by.rule]}`,
    ...(d.kubectl === null ? [] : [`  kubectl shows        ${d.kubectl}`]),
    `  workload status      ${w.status} (Run:ai ${w.since}+ workload model; end state ${yes(w.endState)})`,
    `  workload why         ${w.rule}: ${runaiWorkloadRules[w.rule]}`,
    ...(w.rule === "mapped"
      ? []
      : [`  workload decided by  ${wby.object} ${wby.field} = ${JSON.stringify(wby.value)}`]),
    "",
  ].join("\n");
}

/** `phasekit explain runai <file>`: the Run:ai status of each job in the file. */
export function explain(positionals: readonly string[], options: ExplainValues, io: Io): number {
  const [system, file, ...extra] = positionals;
  if (system !== "runai")
    throw new UsageError(`system: got ${JSON.stringify(system ?? null)}, expected runai`);
  if (file === undefined || extra.length > 0)
    throw new UsageError("expected exactly one file: explain runai <file>");
  const format = (options.format as string | undefined) ?? "text";
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  const given = runaiOverrides(options);
  const objects = decodeRunaiObjects(readDocument(file, io), inputName(file));
  const groups =
    objects instanceof DecodeError ? objects : runaiObservations(objects, inputName(file), given);
  if (groups instanceof DecodeError) {
    io.err(`phasekit explain: ${groups.message}\n`);
    return exit.usage;
  }
  const results = groups.map((g) => {
    const d = deriveRunaiStatus(g.observation);
    const { legacy: _, ...workload } = deriveRunaiWorkloadStatus(g.observation, d);
    return { subject: g.subject, typeFrom: g.typeFrom, ...d, workload };
  });
  const name = inputName(file);
  if (format === "json") io.out(`${JSON.stringify({ file: name, results }, null, 2)}\n`);
  else for (const r of results) io.out(text(name, r.subject, r, r.typeFrom, r.workload));
  return exit.ok;
}

export const command: Command = {
  help: explainHelp,
  options: explainOptions,
  run: (v, p, io) => explain(p, v, io),
};

import { createReadStream } from "node:fs";
import {
  type ConformReport,
  catalog,
  DecodeError,
  type DyffVocabulary,
  dyffVocabularies,
  type Leaf,
  type Verdict,
} from "@phasekit/core";
import type { Command } from "../command.js";
import { type InputFormat, inputFormats } from "../conform/formats.js";
import { ConformPipeline } from "../conform/pipeline.js";
import { ReadError } from "../conform/split.js";
import { exit, type Io, UsageError } from "../io.js";
import { explainOptions, runaiOverrides } from "./explain.js";

export const conformHelp = `phasekit conform <file|-> [--system dyff|runai|wallaroo|ray] [--kind K] [--input FORMAT] [--vocabulary seed|released] [--format text|json]

Judges an observed status history against the spec (docs/conform.md): per entity, every observed
step is legal, legal through statuses nobody saw (the shortest such path is shown), a repeat, or a
violation (no path, a change after a terminal status, a reason its status does not allow, a first
status the initial one cannot reach, time going backwards). Reads a file, or stdin with -, as it
arrives: \`kubectl get pods -w -o json | phasekit conform -\` judges a live cluster.
  --input FORMAT  phasekit (simulate --format jsonl), dyff (entities as the API returns them),
                  kubernetes (Pods/Jobs or watch events, as Run:ai statuses), ray (get_metadata
                  results with workflow_id), wallaroo (task.last_runs() tables); default: detected
  --system, --kind  judge only that system or kind (for ray and wallaroo, --kind names the kind)
  --vocabulary V  Dyff's statuses and reasons as the seed documents them (seed, the default) or as
                  the released package dyff-schema 0.46.17 declares them (released: Schedulable,
                  Team, Restarted...; docs/reference/dyff-released.md)
  --type, --preemptible, --backoff-limit, --retries, --scheduler-running  Run:ai attributes for
                  kubernetes input, as in \`explain runai\`
  --format text   violations and unseen steps as they come, then a summary per entity (default)
  --format json   one JSON report at the end: totals, entities, violations
Exit code: 0 nothing violates the spec, 1 something does, 2 the input cannot be read.`;

export const conformOptions = {
  ...explainOptions,
  system: { type: "string" },
  kind: { type: "string" },
  input: { type: "string" },
  vocabulary: { type: "string" },
} as const;

const formats = ["text", "json"] as const;

const leaf = (l: Leaf) => (l.reason === null ? l.status : `${l.status}/${l.reason}`);
const name = (v: { system: string; kind: string; id: string }) => `${v.system}/${v.kind} ${v.id}`;

function verdictLine(v: Verdict): string | undefined {
  const at = v.where ?? (v.line === undefined ? undefined : `line ${v.line}`);
  const where = at === undefined ? "" : `${at}: `;
  if (v.step === "violation")
    return v.violations.map((x) => `VIOLATION ${x.type}  ${where}${x.message}\n`).join("");
  if (v.step === "unseen")
    return `unseen  ${where}${name(v)} ${v.from ? leaf(v.from) : "?"} -> ${leaf(v.to)} through ${v.path
      .slice(0, -1)
      .map(leaf)
      .join(", ")}\n`;
  return undefined;
}

function summary(report: ConformReport, file: string, format: InputFormat | undefined): string {
  const lines = report.entities.map(
    (e) =>
      `${e.violations === 0 ? "ok  " : "FAIL"}  ${name(e)}  ${e.observations} observed: ${e.legal} legal, ${e.unseen} through unseen, ${e.repeats} repeats, ${e.violations} violations; last ${leaf(e.last)}`,
  );
  const t = report.totals;
  const byType = Object.entries(t.byType)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  lines.push(
    `\n${file} (${format ?? "empty"}): ${t.entities} entities, ${t.observations} observations: ${t.legal} legal, ${t.unseen} through unseen, ${t.repeats} repeats, ${t.violations} violations${byType ? ` (${byType})` : ""}`,
    report.ok ? "conforms to the spec" : "DOES NOT conform to the spec",
  );
  return `${lines.join("\n")}\n`;
}

/**
 * `phasekit conform <file|->`: reads an observed history as it arrives, prints verdicts and a summary.
 *
 * @example
 * ```ts
 * const code = await conform(["examples/conform/dyff-entities.json"], {}, processIo);
 * ```
 */
export async function conform(
  positionals: readonly string[],
  options: Readonly<Record<string, unknown>>,
  io: Io,
  stdin: AsyncIterable<string | Buffer> = process.stdin,
): Promise<number> {
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError(
      `expected one file (or - for stdin), got ${positionals.length}: ${positionals.join(" ")}`,
    );
  const format = (options.format as string | undefined) ?? "text";
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  const input = options.input as string | undefined;
  if (input !== undefined && !(inputFormats as readonly string[]).includes(input))
    throw new UsageError(`--input: got "${input}", expected one of ${inputFormats.join(", ")}`);
  const vocabulary = (options.vocabulary as string | undefined) ?? "seed";
  if (!(dyffVocabularies as readonly string[]).includes(vocabulary))
    throw new UsageError(`--vocabulary: got "${vocabulary}", expected one of ${dyffVocabularies.join(", ")}`);
  const system = options.system as string | undefined;
  const kind = options.kind as string | undefined;
  if (system !== undefined) {
    const s = catalog.system(system);
    if (s instanceof DecodeError)
      throw new UsageError(`--system: got "${system}", expected ${s.issues[0]!.expected}`);
    if (kind !== undefined) {
      const k = catalog.lifecycle(
        system === "dyff" && vocabulary === "released" ? "dyff-released" : system,
        kind,
      );
      if (k instanceof DecodeError)
        throw new UsageError(`--kind: got "${kind}", expected ${k.issues[0]!.expected}`);
    }
  }
  const pipeline = new ConformPipeline({
    format: input as InputFormat | undefined,
    vocabulary: vocabulary as DyffVocabulary,
    system,
    kind,
    runai: runaiOverrides(options),
    ...(format === "text" && {
      onNotable: (v: Verdict) => {
        const line = verdictLine(v);
        if (line !== undefined) io.out(line);
      },
    }),
  });
  const label = file === "-" ? "stdin" : file;
  let report: ConformReport;
  try {
    const source = file === "-" ? stdin : createReadStream(file, { encoding: "utf8" });
    for await (const chunk of source)
      pipeline.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    report = pipeline.end();
  } catch (error) {
    if (error instanceof ReadError) {
      io.err(`phasekit conform: ${label} ${error.message}\n`);
      return exit.usage;
    }
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code;
      throw new UsageError(`cannot read ${file}: ${why}`);
    }
    throw error;
  }
  if (format === "json")
    io.out(`${JSON.stringify({ file: label, input: pipeline.format ?? null, ...report }, null, 2)}\n`);
  else io.out(summary(report, label, pipeline.format));
  return report.ok ? exit.ok : exit.failed;
}

/** The `conform` entry of the command table. */
export const command: Command = {
  help: conformHelp,
  options: conformOptions,
  run: (v, p, io) => conform(p, v, io),
};

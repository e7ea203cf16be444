import { ConformPipeline } from "@phasekit/cli";
import type { Lifecycle } from "@phasekit/core";
import { forceGc, pairedRatio, race, sink } from "../harness.js";
import { mulberry32, SEED } from "../prng.js";
import type { Figure } from "../report.js";
import type { Subject } from "../subjects/index.js";

/**
 * `phasekit conform` over JSONL: the records `simulate --format jsonl` writes, legal walks of the
 * subject's machine, several entities interleaved, read from 64 KiB chunks as from a file. Baseline:
 * `JSON.parse` alone of the same lines (cut from the same chunks at each newline), in the same run. Goal: conform keeps at least
 * 50% of JSON.parse's rate, i.e. reading and judging costs at most as much again as parsing. Also the
 * live memory the judge keeps per entity after the run (heap and ArrayBuffers: it keeps one row of
 * numbers and the id per entity, and a bounded sample of violations).
 */
export interface ConformSize {
  readonly records: number;
  readonly entities: number;
  readonly rounds: number;
}

/**
 * Live memory after a forced GC: the JS heap and the ArrayBuffers' backing stores, which V8 keeps
 * outside the heap (`heapUsed` alone would not count the judge's per-entity rows).
 */
function liveMemory(): number {
  // Twice: V8 frees dead ArrayBuffers' stores on a background sweep after a GC, and the next GC
  // finishes that sweep first; once, the figure depended on how far the sweep had got.
  forceGc();
  forceGc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Lines of legal histories: each record steps a random entity by a random allowed event (or repeats it). */
function history(lc: Lifecycle, size: ConformSize): string[] {
  const random = mulberry32(SEED);
  const initial = lc.leafOf(lc.spec.initial.status, lc.spec.initial.reason)!;
  const at = new Int16Array(size.entities).fill(initial);
  const seen = new Uint8Array(size.entities);
  const e = lc.events.length;
  const lines: string[] = [];
  for (let i = 0; i < size.records; i++) {
    // The first pass visits every entity once, so all of them are in the history.
    const id = i < size.entities ? i : Math.floor(random() * size.entities);
    let leaf = at[id]!;
    if (seen[id]) {
      const next: number[] = [];
      for (let ev = 0; ev < e; ev++) {
        const to = lc.table[leaf * e + ev]!;
        if (to >= 0) next.push(to);
      }
      if (next.length > 0) leaf = next[Math.floor(random() * next.length)]!;
    }
    seen[id] = 1;
    at[id] = leaf;
    const l = lc.leaves[leaf]!;
    lines.push(
      `{"record":"status","version":1,"t":${i},"system":"${lc.system}","kind":"${lc.kind}","id":"entity-${id}","status":"${l.status}","reason":${l.reason === null ? "null" : `"${l.reason}"`},"phase":"${lc.spec.statuses[l.status]!.phase}"}`,
    );
  }
  return lines;
}

/** The text in chunks of 64 KiB, as a file stream would hand it over. */
function chunks(lines: readonly string[]): string[] {
  const out: string[] = [];
  let buf = "";
  for (const line of lines) {
    buf += `${line}\n`;
    if (buf.length >= 65536) {
      out.push(buf);
      buf = "";
    }
  }
  if (buf) out.push(buf);
  return out;
}

/** The baseline: every line of the chunks through JSON.parse, nothing else. */
function parseAll(text: readonly string[]): number {
  let n = 0;
  let rest = "";
  for (const chunk of text) {
    const buf = rest + chunk;
    let from = 0;
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n", from)) {
      n += (JSON.parse(buf.slice(from, nl)) as { t: number }).t & 1;
      from = nl + 1;
    }
    rest = buf.slice(from);
  }
  return n;
}

export function conformCase(subject: Subject, size: ConformSize): Figure[] {
  // Only the chunks stay alive (as a file's pages would): a million line strings held for the
  // baseline would make every major GC of the conform rounds mark them, a cost no real reader has.
  const text = chunks(history(subject.lifecycle, size));
  const check = new ConformPipeline({ format: "phasekit" });
  for (const c of text) check.push(c);
  const checked = check.end();
  if (
    !checked.ok ||
    checked.totals.observations !== size.records ||
    checked.totals.entities !== size.entities
  )
    throw new Error(`conform: the generated history did not conform: ${JSON.stringify(checked.totals)}`);
  const rounds = race(
    [
      {
        name: "JSON.parse",
        ops: size.records,
        run: () => parseAll(text),
      },
      {
        name: "conform",
        ops: size.records,
        run: () => {
          const p = new ConformPipeline({ format: "phasekit" });
          for (const c of text) p.push(c);
          return p.end().totals.observations;
        },
      },
      {
        // The same without the fast path: what lines in another layout (spaces, key order, escapes) get.
        name: "conform, every line parsed",
        ops: size.records,
        run: () => {
          const p = new ConformPipeline({ format: "phasekit", scan: false });
          for (const c of text) p.push(c);
          return p.end().totals.observations;
        },
      },
    ],
    size.rounds,
  );
  const med = (name: string) => [...rounds[name]!].sort((a, b) => a - b)[rounds[name]!.length >> 1]!;
  // Heap (with ArrayBuffers): what one judge keeps for the whole history, after a forced GC, per entity.
  const before = liveMemory();
  const kept = new ConformPipeline({ format: "phasekit" });
  for (const c of text) kept.push(c);
  sink[1] = kept;
  const after = liveMemory();
  sink[1] = undefined;
  const where = `${size.records} JSONL records, ${size.entities} entities, ${subject.name}, ${size.rounds} interleaved rounds`;
  return [
    {
      case: "conform",
      subject: subject.name,
      metric: "conform / JSON.parse alone (records/s)",
      value: med("conform"),
      unit: "rec/s",
      baseline: { name: "JSON.parse", value: med("JSON.parse") },
      ratio: pairedRatio(rounds, "conform", "JSON.parse"),
      ratioUnit: "%",
      goal: { op: ">=", value: 0.5 },
      note: `split from 64 KiB chunks, read (the fast path: no JSON.parse) and judged; ${where}`,
    },
    {
      case: "conform",
      subject: subject.name,
      metric: "conform, every line through JSON.parse / JSON.parse alone (records/s)",
      value: med("conform, every line parsed"),
      unit: "rec/s",
      baseline: { name: "JSON.parse", value: med("JSON.parse") },
      ratio: pairedRatio(rounds, "conform, every line parsed", "JSON.parse"),
      ratioUnit: "%",
      note: `ConformPipeline({ scan: false }): the reader for lines the fast path leaves to JSON.parse; ${where}`,
    },
    {
      case: "conform",
      subject: subject.name,
      metric: "heap kept per entity after the run",
      value: (after - before) / size.entities,
      unit: "B",
      ratio: (after - before) / size.entities,
      ratioUnit: "count",
      note: `live heap + ArrayBuffers after a forced GC with the judge alive, minus before it; ${size.entities} entities`,
    },
  ];
}

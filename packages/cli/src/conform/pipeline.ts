import {
  Conformance,
  type ConformReport,
  DecodeError,
  type DyffVocabulary,
  lookupIn,
  type Observation,
  type Verdict,
} from "@phasekit/core";
import { detectFormat, type InputFormat, type ReaderOptions, reader } from "./formats.js";
import { PhasekitScanner } from "./scan.js";
import { ReadError, type Sink, Splitter } from "./split.js";

/** Options of a {@link ConformPipeline}: the format (else detected), the reader's options, a verdict callback. */
export interface PipelineOptions extends ReaderOptions {
  readonly format?: InputFormat | undefined;
  /** Which Dyff vocabulary to judge against: the seed's (default) or dyff-schema 0.46.17's. */
  readonly vocabulary?: DyffVocabulary | undefined;
  /** Called with each verdict worth showing: a step through unseen statuses, or a violation. */
  readonly onNotable?: (verdict: Verdict) => void;
  /**
   * Whether phasekit status lines may take the fast path that reads them without `JSON.parse`
   * ({@link PhasekitScanner}; default true). Off, every line is parsed: the same verdicts and errors,
   * slower (tests compare the two).
   */
  readonly scan?: boolean;
}

/**
 * Text in, verdicts out: splits the input into values as it arrives, detects its format from the
 * first one (unless named), reads observations and judges each at once. Push chunks with `push`,
 * then `end()`; bad input throws a {@link ReadError} naming the line and the field.
 *
 * @example
 * ```ts
 * const p = new ConformPipeline({ onNotable: (v) => console.log(v.step, v.path, v.violations) });
 * for await (const chunk of process.stdin.setEncoding("utf8")) p.push(chunk);
 * const report = p.end();
 * ```
 */
export class ConformPipeline {
  readonly conformance: Conformance;
  format: InputFormat | undefined;
  private readonly splitter: Splitter;
  private sink: Sink | undefined;
  /** The phasekit reader's fast path, once the format is known to be phasekit (see {@link PhasekitScanner}). */
  private scanner: PhasekitScanner | undefined;
  private line = 0;

  constructor(options: PipelineOptions = {}) {
    this.format = options.format;
    this.conformance = new Conformance(lookupIn(options.vocabulary ?? "seed"));
    const emit = (o: Observation) => {
      const v = this.conformance.check(o);
      if (typeof v === "string") return;
      if (v instanceof DecodeError) {
        const i = v.issues[0]!;
        throw new ReadError(this.line, i.path, JSON.stringify(i.value) ?? "nothing", i.expected);
      }
      options.onNotable?.(v);
    };
    const choose = (first: unknown, line: number): Sink => {
      if (this.format === undefined) {
        const found = detectFormat(first);
        if (found === undefined)
          throw new ReadError(
            line,
            "$",
            JSON.stringify(first)?.slice(0, 60) ?? "nothing",
            "a phasekit status record, a Dyff entity, a Kubernetes Pod, Job or watch event, a Ray get_metadata result with workflow_id, or a Wallaroo task-run table (or name it with --input)",
          );
        this.format = found;
      }
      this.sink = reader(this.format, options, emit);
      if (this.format === "phasekit" && options.scan !== false)
        this.scanner = new PhasekitScanner(this.conformance, options);
      return this.sink;
    };
    this.splitter = new Splitter({
      json: (value, line) => {
        this.line = line;
        (this.sink ?? choose(value, line)).json(value, line);
      },
      text: (text, line) => {
        this.line = line;
        if (this.sink === undefined && text.trim() === "") return;
        (this.sink ?? choose(text, line)).text(text, line);
      },
      line: (text, from, to) => this.scanner?.line(text, from, to) === true,
    });
  }

  push(chunk: string): void {
    this.splitter.push(chunk);
  }

  end(): ConformReport {
    this.splitter.end();
    return this.conformance.report();
  }
}

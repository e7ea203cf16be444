import { parseScenario, renderJsonl, runScenario } from "@phasekit/adapter-memory";
import { Conformance, catalog, DecodeError, dyff, type Lifecycle, runai } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cut } from "../testing/chunks.js";
import { ConformPipeline } from "./pipeline.js";
import { PhasekitScanner } from "./scan.js";

const kinds: readonly Lifecycle[] = [dyff.Evaluation, runai.TrainingJob];

/** Everything a run shows: each notable verdict as it came, then the report; or the error's message. */
function run(chunks: readonly string[], scan: boolean, options: { system?: string; kind?: string } = {}) {
  const notable: string[] = [];
  const p = new ConformPipeline({
    format: "phasekit",
    scan,
    ...options,
    onNotable: (v) => notable.push(JSON.stringify(v)),
  });
  try {
    for (const c of chunks) p.push(c);
    return { notable, report: JSON.stringify(p.end()) };
  } catch (error) {
    return { notable, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

const canonical = (r: Rec) =>
  JSON.stringify({
    record: "status",
    version: 1,
    t: r.t,
    system: r.system,
    kind: r.kind,
    id: r.id,
    status: r.status,
    reason: r.reason,
    // Last, as `simulate` writes it: the status's common phase ("Unknown" for a status the kind lacks).
    phase: ((p) => (p instanceof DecodeError ? "Unknown" : p))(catalog.phase(r.system, r.kind, r.status)),
  });

interface Rec {
  system: string;
  kind: string;
  id: string;
  status: string;
  reason: string | null;
  t: unknown;
}

// Ids the fast path reads in place and ids it must leave to JSON.parse: escapes, unicode, control characters.
const id = fc.oneof(
  fc.constantFrom(
    "e1",
    "e2",
    "entity-12345",
    "ü-3",
    "😀",
    'a"b',
    "x\\y",
    "tab\there",
    "line\nbreak",
    "é",
    "\u2028",
  ),
  fc.string({ minLength: 1, maxLength: 6, unit: "grapheme" }),
  fc.string({ minLength: 1, maxLength: 4, unit: "binary" }),
);

/** One step of a generated history: which entity, how its status moves, when, and how the line is written. */
const step = fc.record({
  kind: fc.nat(kinds.length - 1),
  entity: fc.nat(3),
  move: fc.oneof(
    { weight: 8, arbitrary: fc.nat() }, // a legal step (or a repeat), by the nth allowed event
    { weight: 1, arbitrary: fc.constant(-1) }, // any leaf of the kind: often a violation or an unseen path
    { weight: 1, arbitrary: fc.constant(-2) }, // a status the kind does not have
  ),
  anyLeaf: fc.nat(),
  time: fc.oneof(
    { weight: 8, arbitrary: fc.constant("next") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        -5,
        0,
        -0,
        1.5,
        1e21,
        123456789012345,
        1234567890123456,
        "2026-01-01T00:00:00Z",
        null,
      ),
    },
  ),
  style: fc.oneof(
    { weight: 6, arbitrary: fc.constant("canonical") },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        "reordered",
        "spaced",
        "extra-field",
        "no-record",
        "note",
        "version-2",
        "crlf",
        "trailing-space",
        "leading-space",
        "pretty-reason",
        "float-t",
      ),
    },
  ),
});

function history(ids: readonly string[], steps: readonly StepValue[]) {
  const at = new Map<string, number>();
  const lines: string[] = [];
  let clock = 0;
  for (const s of steps) {
    const lc = kinds[s.kind]!;
    const key = `${s.kind}:${s.entity}`;
    let leaf = at.get(key) ?? lc.leafOf(lc.spec.initial.status, lc.spec.initial.reason)!;
    let status: string;
    let reason: string | null;
    if (s.move >= 0) {
      const e = lc.events.length;
      const next: number[] = [leaf];
      for (let ev = 0; ev < e; ev++) if (lc.table[leaf * e + ev]! >= 0) next.push(lc.table[leaf * e + ev]!);
      leaf = next[s.move % next.length]!;
    } else if (s.move === -1) leaf = s.anyLeaf % lc.leaves.length;
    if (s.move === -2) {
      status = "NoSuchStatus";
      reason = null;
    } else {
      at.set(key, leaf);
      ({ status, reason } = lc.leaves[leaf]!);
    }
    const t = s.time === "next" ? (clock += 1) : s.time;
    const r: Rec = { system: lc.system, kind: lc.kind, id: ids[s.entity % ids.length]!, status, reason, t };
    lines.push(render(r, s.style));
  }
  return `${lines.join("\n")}\n`;
}
type StepValue = typeof step extends fc.Arbitrary<infer T> ? T : never;

function render(r: Rec, style: string): string {
  const line = canonical(r);
  switch (style) {
    case "reordered":
      return JSON.stringify({
        t: r.t,
        record: "status",
        version: 1,
        kind: r.kind,
        system: r.system,
        status: r.status,
        id: r.id,
        reason: r.reason,
      });
    case "spaced":
      return JSON.stringify(JSON.parse(line), null, 1).replace(/\n/g, "");
    case "extra-field":
      return line.replace(/}$/, ',"message":"hello"}');
    case "no-record":
      return line.replace('"record":"status","version":1,', "");
    case "note":
      return line.replace('"record":"status"', '"record":"note"');
    case "version-2":
      return line.replace('"version":1', '"version":2');
    case "crlf":
      return `${line}\r`;
    case "trailing-space":
      return `${line} \t`;
    case "leading-space":
      return ` ${line}`;
    case "pretty-reason":
      return line.replace('"reason":', '"reason": ');
    case "float-t":
      return line.replace(/"t":(-?\d+)/, '"t":$1.0');
    default:
      return line;
  }
}

describe("the phasekit fast path reads what JSON.parse reads", () => {
  it("property: for generated histories (escapes, unicode, reordered keys, whitespace, extra fields, odd times, violations), the fast path and JSON.parse give the same verdicts, report and errors", () => {
    fc.assert(
      fc.property(
        fc.array(id, { minLength: 1, maxLength: 4 }),
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom({}, { system: "dyff" }, { kind: "TrainingJob" }),
        (ids, steps, at, filter) => {
          const chunks = cut(history(ids, steps), at);
          expect(run(chunks, true, filter)).toEqual(run(chunks, false, filter));
        },
      ),
    );
  });

  it("property: a malformed line (cut short, a character added or dropped) gets the same error, naming the same line and field, with or without the fast path", () => {
    const noise = fc.constantFrom(
      "\u0000",
      "\u001f",
      '"',
      "\\",
      "}",
      "{",
      ",",
      ":",
      "0",
      "9",
      "-",
      ".",
      "e",
      "a",
      " ",
      "\n",
      "\r",
      "\t",
      "é",
      "😀",
    );
    fc.assert(
      fc.property(
        fc.array(
          step.map((s) => ({ ...s, style: "canonical" as const, time: "next" as const })),
          { minLength: 1, maxLength: 10 },
        ),
        fc.nat(),
        fc.nat(),
        fc.constantFrom("cut", "insert", "drop", "replace"),
        noise,
        (steps, which, where, how, c) => {
          const lines = history(["e1", "e2"], steps).split("\n").slice(0, -1);
          const i = which % lines.length;
          const l = lines[i]!;
          const p = where % (l.length + 1);
          lines[i] =
            how === "cut"
              ? l.slice(0, p)
              : how === "insert"
                ? l.slice(0, p) + c + l.slice(p)
                : how === "drop"
                  ? l.slice(0, p) + l.slice(p + 1)
                  : l.slice(0, p) + c + l.slice(p + 1);
          const text = `${lines.join("\n")}\n`;
          expect(run([text], true)).toEqual(run([text], false));
        },
      ),
    );
  });

  it("given malformed lines: the same clear errors, naming the line and the field", () => {
    const good = canonical({
      system: "dyff",
      kind: "Evaluation",
      id: "e1",
      status: "Created",
      reason: null,
      t: 0,
    });
    const cases: [string, string][] = [
      [good.replace('"id":"e1"', '"id":""'), 'ReadError: line 2: id: got "", expected a string'],
      [
        good.replace('"t":0', '"t":"yesterday"'),
        'ReadError: line 2: t: got "yesterday", expected an RFC 3339 time, a number, or null',
      ],
      [good.replace('"t":0', '"t":01'), "ReadError: line 2: $: got"],
      [good.replace('"e1"', '"e\u0001"'), "ReadError: line 2: $: got"],
      [good.slice(0, -1), "ReadError: line 2: $: got"],
      [good.replace('"system":"dyff"', '"system":"nope"'), "ReadError: line 2: system: got"],
    ];
    for (const [bad, message] of cases) {
      const text = `${good}\n${bad}\n`;
      const fast = run([text], true);
      expect(fast).toEqual(run([text], false));
      expect(fast.error).toContain(message);
    }
  });
});

describe("PhasekitScanner", () => {
  const line = canonical({
    system: "dyff",
    kind: "Evaluation",
    id: "e1",
    status: "Created",
    reason: null,
    t: 3,
  });
  const scanner = () => new PhasekitScanner(new Conformance(), {});

  it("given a status line as the simulator writes it: read in place and judged (the entity is counted)", () => {
    const c = new Conformance();
    const s = new PhasekitScanner(c, {});
    expect(s.line(`x${line}\n`, 1, 1 + line.length)).toBe(true);
    expect(c.report().totals).toMatchObject({ entities: 1, observations: 1, legal: 1 });
  });

  it("given the first status line of a real simulator run: read in place, not parsed", () => {
    const scenario = parseScenario(
      "accounts: { a: { tokens: [t] } }\nresources: [ { kind: Model, id: m1, account: a } ]\n",
    );
    if (scenario instanceof DecodeError) throw scenario;
    const run = runScenario(scenario);
    const first = renderJsonl(run)
      .split("\n")
      .find((l) => l.includes('"record":"status"'))!;
    expect(first).toContain('"phase":');
    expect(new PhasekitScanner(new Conformance(), {}).line(first, 0, first.length)).toBe(true);
  });

  it.each([
    ["an escape", line.replace("e1", "e\\u0031")],
    ["reordered keys", line.replace('"record":"status","version":1', '"version":1,"record":"status"')],
    ["a space", line.replace('"id":', '"id": ')],
    ["an extra field", line.replace("}", ',"message":null}')],
    ["a fractional time", line.replace('"t":3', '"t":3.5')],
    ["a string time", line.replace('"t":3', '"t":"2026-01-01T00:00:00Z"')],
    ["a status the kind does not have", line.replace("Created", "Nope")],
    ["a first status the initial one cannot reach directly", line.replace("Created", "Complete")],
    ["text after the object", `${line}x`],
  ])("given %s: left to JSON.parse, nothing judged", (_, text) => {
    const c = new Conformance();
    expect(new PhasekitScanner(c, {}).line(text, 0, text.length)).toBe(false);
    expect(c.report().totals.observations).toBe(0);
    expect(scanner().line(text, 0, text.length)).toBe(false);
  });
});

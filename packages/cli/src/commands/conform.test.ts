import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pod } from "../conform/pods.js";
import type { Io } from "../io.js";
import { run } from "../main.js";
import { conform } from "./conform.js";

function capture() {
  const o = { out: "", err: "" };
  const io: Io = { out: (t) => void (o.out += t), err: (t) => void (o.err += t), interactive: false };
  return { o, io };
}
async function cli(...argv: string[]) {
  const { o, io } = capture();
  const code = await run(argv, io);
  return { code, ...o };
}

const examples = new URL("../../../../examples/conform/", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "phasekit-conform-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

describe("phasekit conform on each example input (docs/conform.md)", () => {
  it("phasekit JSONL: status lines with and without record, notes and the summary skipped; Succeeded -> Running is reported", async () => {
    const r = await cli("conform", `${examples}phasekit.jsonl`);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "VIOLATION after-terminal  line 9: runai/TrainingJob train: changed from the terminal status Succeeded to Running at 70",
    );
    expect(r.out).toContain(
      "unseen  line 5: dyff/Evaluation e1 Admitted -> Complete through Admitted/Unverified",
    );
    expect(r.out).toContain("2 entities, 8 observations");
  });

  it("Dyff entities (a JSON array): Complete then Failed is a change after a terminal status", async () => {
    const r = await cli("conform", `${examples}dyff-entities.json`, "--format", "json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.input).toBe("dyff");
    expect(report.totals).toMatchObject({ entities: 2, observations: 6, violations: 1 });
    expect(report.violations[0]).toMatchObject({
      id: "a1f0c2",
      line: 7,
      violations: [{ type: "after-terminal" }],
    });
  });

  it("Dyff's released vocabulary: Schedulable, Restarted and a Team violate the seed's, conform to dyff-schema 0.46.17's", async () => {
    const seed = await cli("conform", `${examples}dyff-released.json`);
    expect(seed.out).toContain("VIOLATION unknown-status  line 3: dyff/Evaluation e5: status Schedulable");
    expect(seed.out).toContain("VIOLATION reason-not-allowed  line 5: dyff/Evaluation e5: reason Restarted");
    // The seed has no Team at all: the input cannot be read as the seed's Dyff.
    expect(seed.err).toContain('kind: got "Team"');
    expect(seed.code).toBe(2);
    const released = await cli("conform", `${examples}dyff-released.json`, "--vocabulary", "released");
    expect(released.out).not.toContain("VIOLATION");
    expect(released.code).toBe(0);
    const bad = await cli("conform", `${examples}dyff-released.json`, "--vocabulary", "newest");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--vocabulary: got "newest", expected one of seed, released');
  });

  it("a kubectl watch (concatenated objects) and watch events: Run:ai statuses, the impossible pod reported", async () => {
    for (const f of ["kubectl-watch.json", "watch-events.jsonl"]) {
      const r = await cli("conform", `${examples}${f}`);
      expect(r.code, f).toBe(1);
      expect(r.out).toMatch(
        /VIOLATION after-terminal .*runai\/TrainingJob default\/train-c: changed from the terminal status Succeeded to Running/,
      );
      expect(r.out).toContain("ok    runai/TrainingJob default/train-a  4 observed: 4 legal");
    }
  });

  it("Ray get_metadata results: step metadata skipped, RESUMABLE -> RUNNING legal, SUCCESSFUL -> RUNNING reported", async () => {
    const r = await cli("conform", `${examples}ray-metadata.jsonl`);
    expect(r.code).toBe(1);
    expect(r.out).toContain("ok    ray/Workflow etl");
    expect(r.out).toContain("VIOLATION after-terminal  line 6: ray/Workflow add_example");
  });

  it("Wallaroo last_runs tables, polled three times: conforms", async () => {
    const r = await cli("conform", `${examples}wallaroo-last-runs.txt`);
    expect(r.code).toBe(0);
    expect(r.out).toContain("wallaroo/TaskRun 1c4b2a8e-3f11-4d0a-9a57-5a0f7f0e2b11  2 observed: 2 legal");
    expect(r.out).toContain("conforms to the spec");
  });
});

describe("phasekit conform: reading, options and exit codes", () => {
  it("reads stdin with -, as it arrives", async () => {
    const { o, io } = capture();
    async function* stdin() {
      yield '{"t":0,"system":"dyff","kind":"Model","id":"m","sta';
      yield 'tus":"Created","reason":null}\n{"t":1,"system":"dyff","kind":"Model","id":"m","status":"Ready","reason":null}\n';
    }
    expect(await conform(["-"], {}, io, stdin())).toBe(0);
    expect(o.out).toContain("stdin (phasekit): 1 entities, 2 observations");
  });

  it("Dyff entities as JSONL (one poll a line, a line may hold an array) and --kind for entities without one", async () => {
    const f = file(
      "dyff.jsonl",
      '{"id":"d","status":"Created","reason":null,"creationTime":"2026-01-01T00:00:00Z"}\n[{"id":"d","status":"Ready","reason":null,"creationTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:01:00Z"}]\n',
    );
    expect((await cli("conform", f, "--kind", "Dataset")).code).toBe(0);
    const missing = await cli("conform", f);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("line 1: kind: got nothing, expected a Dyff kind (or --kind)");
  });

  it("--system and --kind judge only that system or kind", async () => {
    const r = await cli("conform", `${examples}phasekit.jsonl`, "--system", "dyff");
    expect(r.code).toBe(0);
    expect(r.out).toContain("1 entities, 4 observations");
    expect(
      (await cli("conform", `${examples}phasekit.jsonl`, "--system", "runai", "--kind", "InteractiveJob"))
        .out,
    ).toContain("0 entities");
  });

  it("a lone pod gets its job type from --type, as explain runai does; without one it is bad input naming the field", async () => {
    const lone = pod("p", "training", "running", "2026-03-02T10:00:00Z") as {
      metadata: Record<string, unknown>;
    };
    delete lone.metadata.annotations;
    const f = file("pod.json", JSON.stringify(lone));
    expect((await cli("conform", f, "--type", "interactive")).out).toContain(
      "runai/InteractiveJob default/p",
    );
    const r = await cli("conform", f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /line 1: Pod\/p metadata.annotations\["runai.phasekit.dev\/job-type"\]: got nothing, expected training, interactive or distributed/,
    );
  });

  it("Wallaroo task runs as JSON rows", async () => {
    const f = file(
      "runs.jsonl",
      '{"task id":"t","pod id":"p","status":"running","updated at":"2023-22-May 19:58:35"}\n{"task id":"t","pod id":"p","status":"running","updated at":"2023-22-May 19:58:35"}\n{"task id":"t","pod id":"p","status":"failure","updated at":"2023-22-May 19:59:35"}\n',
    );
    const r = await cli("conform", f);
    expect(r.code).toBe(0);
    expect(r.out).toContain("3 observed: 2 legal, 0 through unseen, 1 repeats");
  });

  it("bad input exits 2 naming the line and the field, never a stack trace", async () => {
    const cases: [string, string, RegExp][] = [
      [
        "badjson.jsonl",
        '{"t":0,"system":"dyff","kind":"Model","id":"m","status":"Created","reason":null}\n{"t":1,\n',
        /line 2: \$: got "\{\\"t\\":1,", expected one JSON value/,
      ],
      [
        "nokind.jsonl",
        '{"t":0,"system":"dyff","kind":"Nope","id":"m","status":"Created","reason":null}\n',
        /line 1: kind: got "Nope", expected one of Evaluation/,
      ],
      [
        "badtime.jsonl",
        '{"t":"soon","system":"dyff","kind":"Model","id":"m","status":"Created","reason":null}\n',
        /line 1: t: got "soon", expected an RFC 3339 time/,
      ],
      [
        "noid.jsonl",
        '{"t":0,"system":"dyff","kind":"Model","status":"Created","reason":null}\n',
        /line 1: id: got nothing, expected a string/,
      ],
      [
        "what.jsonl",
        '{"hello":"world"}\n',
        /line 1: \$: got \{"hello":"world"\}, expected a phasekit status record/,
      ],
      [
        "table.txt",
        "pod | status |\n",
        /line 1: \$: got "pod \| status \|", expected a phasekit status record/,
      ],
    ];
    for (const [name, text, message] of cases) {
      const r = await cli("conform", file(name, text));
      expect(r.code, name).toBe(2);
      expect(r.err, name).toMatch(message);
      expect(r.err, name).not.toMatch(/\n\s+at /);
    }
  });

  it("bad usage exits 2: no file, a missing file, unknown --input, --format, --system, --kind", async () => {
    for (const argv of [
      ["conform"],
      ["conform", join(scratch, "nope.jsonl")],
      ["conform", `${examples}phasekit.jsonl`, "--input", "csv"],
      ["conform", `${examples}phasekit.jsonl`, "--format", "xml"],
      ["conform", `${examples}phasekit.jsonl`, "--system", "slurm"],
      ["conform", `${examples}phasekit.jsonl`, "--system", "dyff", "--kind", "Pod"],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err, argv.join(" ")).toMatch(/^phasekit conform: /);
    }
  });

  it("--input names the format when detection would guess otherwise", async () => {
    const f = file("ray.jsonl", '{"id":"w","status":"RUNNING"}\n{"id":"w","status":"SUCCESSFUL"}\n');
    expect((await cli("conform", f)).code).toBe(2);
    expect((await cli("conform", f, "--input", "ray")).code).toBe(0);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildWallarooExamples } from "../../../scripts/build-wallaroo-examples.js";
import { progressText } from "./commands/simulate.js";
import { type Io, takesEscapes } from "./io.js";
import { commandUsages, run } from "./main.js";
import { closest } from "./suggest.js";

/** Runs the CLI in-process, with `stdin` as standard input. */
async function cli(argv: string[], stdin?: string | Uint8Array) {
  let out = "";
  let err = "";
  const io: Io = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    interactive: false,
    stdin: () => (typeof stdin === "string" ? new TextEncoder().encode(stdin) : (stdin ?? new Uint8Array())),
  };
  const code = await run(argv, io);
  return { code, out, err };
}

const repo = new URL("../../../", import.meta.url).pathname;
const example = (name: string) => `${repo}examples/${name}`;
const scratch = mkdtempSync(join(tmpdir(), "phasekit-cli-"));
function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe("phasekit conventions", () => {
  it("--version and -V print the package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(await cli(["--version"])).toEqual({ code: 0, out: `${version}\n`, err: "" });
    expect((await cli(["-V"])).out).toBe(`${version}\n`);
  });

  it("help <command> prints that command's help, whose first line is the usage --help lists", async () => {
    const top = await cli(["--help"]);
    for (const [name, usage] of Object.entries(commandUsages)) {
      const own = await cli(["help", name]);
      expect(own.code).toBe(0);
      expect(own.out.split("\n")[0]).toBe(usage);
      expect((await cli([name, "--help"])).out).toBe(own.out);
      expect(top.out).toContain(usage);
    }
    expect(await cli(["help", "simulat"])).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "simulat". Did you mean "simulate"?'),
    });
  });

  it("an unknown command or flag gets a 'did you mean' in our words, exit 2, no stack", async () => {
    const command = await cli(["explian"]);
    expect(command.code).toBe(2);
    expect(command.err).toBe(
      'phasekit: unknown command "explian". Did you mean "explain"? Commands: spec, explain, simulate, view, validate, serve, conform, check-package, fuzz, help\n',
    );
    const flag = await cli(["spec", "--fromat", "json"]);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('phasekit spec: unknown flag --fromat. Did you mean "--format"?');
    expect(flag.err).not.toMatch(/Unknown option|To specify a positional|\n\s+at /);
    const far = await cli(["spec", "--zzzzzz"]);
    expect(far.err).toContain("unknown flag --zzzzzz. Flags: --system, --kind, --format, --help");
    expect((await cli(["spec", "--format"])).err).toContain("--format needs a value");
    expect((await cli(["spec", "--help=yes"])).err).toContain("--help takes no value");
    expect((await cli(["--verison"])).err).toContain('Did you mean "--version"?');
  });

  it("closest: a typo or a unique prefix finds the word; something far finds nothing", () => {
    expect(closest("simulte", ["spec", "simulate", "serve"])).toBe("simulate");
    expect(closest("val", ["validate", "serve"])).toBe("validate");
    expect(closest("s", ["spec", "simulate", "serve"])).toBeUndefined();
    expect(closest("frobnicate", ["spec", "simulate", "serve"])).toBeUndefined();
  });

  it("- reads standard input for simulate, validate, explain and check-package", async () => {
    const scenario = readFileSync(example("quota-wait.yaml"), "utf8");
    const piped = await cli(["simulate", "-"], scenario);
    const named = await cli(["simulate", example("quota-wait.yaml")]);
    expect(piped.code).toBe(0);
    expect(piped.out.split("\n").slice(1)).toEqual(named.out.split("\n").slice(1));
    expect(piped.out.split("\n")[0]).toMatch(/^<stdin> \(seed \d+\)$/);
    expect(await cli(["validate", "-"], scenario)).toMatchObject({
      code: 0,
      out: expect.stringContaining("<stdin>: valid"),
    });
    const pod = readFileSync(example("runai/running-training-pod.yaml"), "utf8");
    const explained = await cli(["explain", "runai", "-"], pod);
    expect(explained.code).toBe(0);
    expect(explained.out).toContain("<stdin>: ");
    const zip = readFileSync(buildWallarooExamples(undefined, join(scratch, "dist")).hello!);
    const checked = await cli(["check-package", "-"], zip);
    expect(checked.out).toContain("stdin.zip: accepted");
  });

  it("validate: 0 and a line per valid file; 2 and every problem for a bad one", async () => {
    const good = await cli(["validate", example("quota-wait.yaml"), example("ray-resume.yaml")]);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(
      /quota-wait\.yaml: valid \(\d+ resources, \d+ events?\)\n.*ray-resume\.yaml: valid/,
    );
    const bad = file("bad.yaml", "accounts: { a: { quota: { gpu: -1 } } }\nfaults: { duplicate: 2 }\n");
    const r = await cli(["validate", example("quota-wait.yaml"), bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: 2 problems`);
    expect(r.err).toContain("accounts.a.quota.gpu: got -1, expected a number >= 0");
    expect(r.err).toContain("faults.duplicate: got 2, expected a probability from 0 to 0.9");
    expect((await cli(["validate"])).code).toBe(2);
    expect((await cli(["validate", join(scratch, "missing.yaml")])).err).toContain("no such file");
  });

  it("an empty or comment-only scenario or explain file is exit 2 with a message", async () => {
    for (const text of ["", "# only a comment\n", "---\n"]) {
      const f = file("empty.yaml", text);
      for (const argv of [
        ["simulate", f],
        ["validate", f],
        ["explain", "runai", f],
      ]) {
        const r = await cli(argv);
        expect(r.code, `${argv[0]} ${JSON.stringify(text)}`).toBe(2);
        expect(r.err).toMatch(/empty|only comments/);
      }
    }
  });

  it("a YAML alias to no anchor, or an alias bomb, is exit 2 with a message, not a stack trace", async () => {
    const unresolved = file("alias.yaml", "kind: Pod\nmetadata: *nowhere\n");
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [k, p] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
      ["f", "e"],
    ])
      laughs.push(`${k}: &${k} [${Array(9).fill(`*${p}`).join(", ")}]`);
    const bomb = file("bomb.yaml", `${laughs.join("\n")}\n`);
    for (const argv of [["explain", "runai"], ["simulate"], ["validate"]]) {
      const a = await cli([...argv, unresolved]);
      expect(a.code).toBe(2);
      expect(a.err).toContain("*nowhere");
      const b = await cli([...argv, bomb]);
      expect(b.code).toBe(2);
      expect(b.err).toContain("billion laughs");
      expect(a.err + b.err).not.toMatch(/\n\s+at |internal error/);
    }
  });
});

describe("one name, one meaning", () => {
  it("a scenario's quota counts slots, as serve --quotas does; the old name admissions is refused, naming slots", async () => {
    const ok = file("slots.yaml", "accounts: { a: { quota: { gpu: 1, slots: 2 }, tokens: [t] } }\n");
    expect((await cli(["validate", ok])).code).toBe(0);
    const old = file("admissions.yaml", "accounts: { a: { quota: { admissions: 2 }, tokens: [t] } }\n");
    const r = await cli(["validate", old]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "accounts.a.quota.admissions: got 2, expected no such field: it is now called slots",
    );
  });
});

describe("progress", () => {
  it("shows done / total and the percent; without an end, the time reached", () => {
    expect(progressText("a.yaml", 90_000, 360_000)).toBe("simulating a.yaml: 1m30s / 6m (25%)");
    expect(progressText("a.yaml", 360_000, 360_000)).toBe("simulating a.yaml: 6m / 6m (100%)");
    expect(progressText("a.yaml", 90_000, undefined)).toBe("simulating a.yaml: 1m30s");
  });

  it("draws escape codes only on a terminal whose TERM is not dumb", () => {
    expect(takesEscapes(true, "xterm-256color")).toBe(true);
    expect(takesEscapes(true, undefined)).toBe(true);
    expect(takesEscapes(true, "dumb")).toBe(false);
    expect(takesEscapes(false, "xterm")).toBe(false);
    expect(takesEscapes(undefined, "xterm")).toBe(false);
  });
});

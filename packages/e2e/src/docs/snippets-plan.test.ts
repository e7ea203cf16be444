import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand, snippetDir, typecheck, writeTsBlocks } from "./run.js";
import { expandGlobs, extractBlocks, plan, words } from "./snippets.js";

const md = (text: string) => extractBlocks("doc.md", text);
const planOf = (text: string) => plan(md(text)[0]!);

describe("extractBlocks", () => {
  it("finds each fenced block with its opening line, language, mark and code", () => {
    const blocks = md(
      "# t\n\n```ts typecheck (needs Kafka)\nconst a = 1;\n```\n\ntext\n~~~bash\nphasekit spec\n~~~\n",
    );
    expect(blocks.map(({ line, lang, mark, code }) => ({ line, lang, mark, code }))).toEqual([
      { line: 3, lang: "ts", mark: "typecheck", code: "const a = 1;" },
      { line: 8, lang: "bash", mark: null, code: "phasekit spec" },
    ]);
  });

  it("a longer fence holds a shorter one inside it", () => {
    const blocks = md("````text\n```ts\nx\n```\n````\n");
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.code).toBe("```ts\nx\n```");
  });
});

describe("plan", () => {
  it("a block without a language is an error naming the file and line", () => {
    expect(planOf("a\n```\nx\n```")).toEqual({
      kind: "error",
      message: expect.stringMatching(/^doc\.md:2: a code block without a language/),
    });
  });

  it("a shell line that is not a phasekit command is an error naming its own line, unless marked fragment", () => {
    const text = "```bash\npnpm phasekit spec\n./demo   # builds\n```";
    expect(planOf(text)).toEqual({ kind: "error", message: expect.stringMatching(/^doc\.md:3: `\.\/demo`/) });
    expect(planOf(text.replace("```bash", "```bash fragment (builds)"))).toEqual({ kind: "inert" });
  });

  it("phasekit commands keep their words and the exit status their comment gives (0 by default)", () => {
    const p = planOf(
      "```sh\n# a comment line\npnpm phasekit check-package x.zip   # exit 1: rejected\nphasekit spec --format json\n```",
    );
    expect(p).toEqual({
      kind: "commands",
      commands: [
        {
          line: 3,
          text: "pnpm phasekit check-package x.zip",
          args: ["check-package", "x.zip"],
          exit: 1,
          service: null,
        },
        {
          line: 4,
          text: "phasekit spec --format json",
          args: ["spec", "--format", "json"],
          exit: 0,
          service: null,
        },
      ],
    });
  });

  it("serve is refused in a runnable block: it never exits", () => {
    expect(planOf("```bash\npnpm phasekit serve all --kafka k:9092\n```")).toMatchObject({ kind: "error" });
  });

  it("marks: ts runs, ts typecheck does not, yaml scenario simulates, data languages are inert, unknown ones fail", () => {
    expect(planOf("```ts\n```")).toEqual({ kind: "ts", run: true });
    expect(planOf("```typescript typecheck (needs Kafka)\n```")).toEqual({ kind: "ts", run: false });
    expect(planOf("```ts maybe\n```")).toMatchObject({ kind: "error" });
    expect(planOf("```yaml scenario\n```")).toEqual({ kind: "scenario" });
    expect(planOf("```json\n```")).toEqual({ kind: "inert" });
    expect(planOf("```bash kafka\nphasekit simulate x.yaml\n```")).toMatchObject({
      kind: "commands",
      commands: [{ service: "kafka" }],
    });
    expect(planOf("```python\n```")).toMatchObject({ kind: "error" });
  });

  it("a --kafka command needs Kafka in any block; redirections are dropped; pipes and chains are refused", () => {
    expect(planOf("```bash\nphasekit simulate --kafka b:9092 x.yaml > out.txt\n```")).toMatchObject({
      kind: "commands",
      commands: [{ service: "kafka", args: ["simulate", "--kafka", "b:9092", "x.yaml"] }],
    });
    expect(planOf("```bash\nphasekit spec 2>/dev/null\n```")).toMatchObject({
      commands: [{ args: ["spec"] }],
    });
    expect(planOf("```bash\nphasekit spec | head\n```")).toMatchObject({ kind: "error" });
  });

  it("globs expand from the root, sorted; a glob matching nothing stays as written", () => {
    const root = join(import.meta.dirname, "../../../..");
    const expanded = expandGlobs(["validate", "examples/runai-*.yaml", "nothing-*.zzz"], root);
    expect(expanded).toEqual([
      "validate",
      "examples/runai-outage.yaml",
      "examples/runai-preemption.yaml",
      "nothing-*.zzz",
    ]);
  });

  it("words honours simple quotes", () => {
    expect(words(`spec --system "dyff" 'a b'`)).toEqual(["spec", "--system", "dyff", "a b"]);
  });
});

describe("typecheck", () => {
  const dir = snippetDir("plan-test");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a type error is reported at its line in the Markdown file", () => {
    const blocks = md("intro\n\n```ts\nconst ok: number = 1;\nconst bad: string = ok;\n```\n");
    const errors = typecheck(writeTsBlocks(blocks, dir));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^doc\.md:5: TS2322 /);
  });
});

describe("runCommand", () => {
  it("a command that exits otherwise than documented is reported with its file, line, status and stderr", async () => {
    const command = { line: 7, text: "phasekit frobnicate", args: ["frobnicate"], exit: 0, service: null };
    const error = await runCommand(command, "doc.md");
    expect(error).toMatch(/^doc\.md:7: `phasekit frobnicate` exited 2, the docs say 0/);
    expect(error).toContain("frobnicate");
    expect(await runCommand({ ...command, exit: 2 }, "doc.md")).toBeNull();
  }, 120_000);
});

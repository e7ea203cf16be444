// Every code block of README.md, CONTRIBUTING.md, docs/**, examples/**, scripts/** and
// packages/*/README.md runs as a test or is marked as not runnable (the convention: snippets.ts and
// CONTRIBUTING.md). Re-run alone with: pnpm docs:check

import { rmSync } from "node:fs";
import { createSimulator } from "@phasekit/adapter-memory";
import { afterAll, describe, expect, it } from "vitest";
import {
  cliCommand,
  inBatches,
  root,
  runCommand,
  runTsBlock,
  snippetDir,
  typecheck,
  writeTsBlocks,
} from "./run.js";
import { blocksOf, markdownFiles, plan } from "./snippets.js";

const blocks = blocksOf(root, markdownFiles(root));
const planned = blocks.map((block) => ({ block, plan: plan(block) }));
const ts = planned.flatMap(({ block, plan: p }) => (p.kind === "ts" ? [{ block, run: p.run }] : []));

const dir = snippetDir("docs");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("code blocks in the docs", () => {
  it("every block is runnable or marked (```ts, ```bash with phasekit commands, ```text, ```<lang> fragment ...)", () => {
    const errors = planned.flatMap(({ plan: p }) => (p.kind === "error" ? [p.message] : []));
    expect(errors, errors.join("\n")).toEqual([]);
    expect(blocks.length).toBeGreaterThan(20);
  });

  const written = writeTsBlocks(
    ts.map((t) => t.block),
    dir,
  );

  it("every ```ts block typechecks (one program for all, strict, as a consumer imports the packages)", () => {
    const errors = typecheck(written);
    expect(errors, errors.join("\n")).toEqual([]);
  }, 300_000);

  it("every ```ts block runs without throwing (```ts typecheck blocks are only typechecked)", async () => {
    const runnable = written.filter((_, i) => ts[i]?.run);
    const errors: string[] = [];
    for (const w of runnable) {
      const error = await runTsBlock(w);
      if (error) errors.push(error);
    }
    expect(errors, errors.join("\n\n")).toEqual([]);
  });

  it("every ```yaml scenario block decodes and simulates", async () => {
    const scenarios = planned.filter(({ plan: p }) => p.kind === "scenario").map(({ block }) => block);
    expect(scenarios.length).toBeGreaterThan(0);
    const errors: string[] = [];
    for (const b of scenarios) {
      try {
        await createSimulator(b.code, `${b.file}:${b.line}`).run();
      } catch (error) {
        errors.push(`${b.file}:${b.line}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(errors, errors.join("\n\n")).toEqual([]);
  });

  it(`every phasekit command of a \`\`\`bash block exits as documented (CLI from ${cliCommand().from})`, async () => {
    const commands = planned.flatMap(({ block, plan: p }) =>
      p.kind === "commands"
        ? p.commands.filter((c) => c.service === null).map((c) => ({ c, file: block.file }))
        : [],
    );
    expect(commands.length).toBeGreaterThan(0);
    // The same command documented twice runs once; a failure names its first place.
    const byKey = new Map<string, (typeof commands)[number]>();
    for (const x of commands) {
      const key = `${x.c.args.join("\0")}\0${x.c.exit}`;
      if (!byKey.has(key)) byKey.set(key, x);
    }
    const unique = [...byKey.values()];
    const errors = (await inBatches(unique, 2, ({ c, file }) => runCommand(c, file))).filter(
      (e): e is string => e !== null,
    );
    expect(errors, errors.join("\n\n")).toEqual([]);
  }, 600_000); // one process per command: about a minute on a loaded 2-core machine
});

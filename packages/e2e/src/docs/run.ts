// Runs what snippets.ts planned: one tsc program for every ts block, each block imported once, and
// the phasekit commands of shell blocks against the CLI. Every failure names the Markdown file and line.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { type Block, type Command, expandGlobs } from "./snippets.js";

/** The repository root. */
export const root = join(import.meta.dirname, "../../../..");

/** Where ts blocks are written (one folder per test file): inside packages/e2e, so they resolve every workspace package. */
export const snippetDir = (name: string) => join(root, "packages/e2e/.doc-snippets", name);

/** A ts block written to disk: its file and the Markdown line of its first code line. */
export interface Written {
  readonly block: Block;
  readonly path: string;
}

/** Writes each ts block to its own module (line for line, so positions map back to the Markdown). */
export function writeTsBlocks(blocks: readonly Block[], dir: string): Written[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return blocks.map((block, i) => {
    const name = `${String(i).padStart(2, "0")}-${block.file.replace(/[^A-Za-z0-9]+/g, "-")}-L${block.line}.ts`;
    const path = join(dir, name);
    writeFileSync(path, `${block.code}\nexport {};\n`);
    return { block, path };
  });
}

/** Typechecks every written block in one program; returns one message per diagnostic, by Markdown line. */
export function typecheck(written: readonly Written[]): string[] {
  const base = ts.readConfigFile(join(root, "tsconfig.base.json"), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(base.config.compilerOptions, root);
  const program = ts.createProgram(
    written.map((w) => w.path),
    { ...options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, sourceMap: false },
  );
  const messages: string[] = [];
  for (const w of written) {
    const sf = program.getSourceFile(w.path);
    if (!sf) {
      messages.push(`${w.block.file}:${w.block.line}: tsc did not load the block`);
      continue;
    }
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      messages.push(`${w.block.file}:${w.block.line + 1 + line}: TS${d.code} ${text}`);
    }
  }
  return messages;
}

/** Imports a written block (vitest transforms it, resolving workspace packages to their sources). */
export async function runTsBlock(w: Written): Promise<string | null> {
  try {
    await import(pathToFileURL(w.path).href);
    return null;
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return `${w.block.file}:${w.block.line}: the block threw when run:\n${message}`;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/**
 * How to start the CLI: the built `packages/cli/dist/bin.js` (what `pnpm phasekit` runs) when every
 * package's dist is newer than its sources, else the sources through tsx (so a stale build never
 * decides the test).
 */
export function cliCommand(): { argv: string[]; from: "dist" | "source" } {
  const bin = join(root, "packages/cli/dist/bin.js");
  const packages = ["core", "adapter-memory", "adapter-kafka", "cli"];
  const fresh =
    existsSync(bin) &&
    packages.every((p) => {
      const dist = join(root, "packages", p, "dist");
      return existsSync(dist) && newestMtime(dist) >= newestMtime(join(root, "packages", p, "src"));
    });
  return fresh
    ? { argv: [bin], from: "dist" }
    : {
        argv: ["--conditions=@phasekit/source", "--import", "tsx", join(root, "packages/cli/src/bin.ts")],
        from: "source",
      };
}

/** Runs one documented command from the root; a message when its exit status is not the documented one. */
export function runCommand(
  command: Command,
  file: string,
  env: Record<string, string | undefined> = {},
): Promise<string | null> {
  const { argv, from } = cliCommand();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...argv, ...expandGlobs(command.args, root)], {
      cwd: root,
      env: { ...process.env, ...env, NO_COLOR: "1", TERM: "dumb" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < 4000) stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    child.on("close", (code, signal) => {
      if (code === command.exit) return resolve(null);
      const tail = (s: string) => s.trim().split("\n").slice(-12).join("\n");
      resolve(
        `${file}:${command.line}: \`${command.text}\` exited ${code ?? signal}, the docs say ${command.exit} (CLI from ${from})\n` +
          `  stderr: ${tail(stderr) || "(empty)"}\n  stdout: ${tail(stdout) || "(empty)"}`,
      );
    });
  });
}

/** Runs promises with at most `n` at once, keeping their order. */
export async function inBatches<T, R>(items: readonly T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i] as T);
      }
    }),
  );
  return out;
}

// Fenced code blocks of the repository's Markdown, and what the doc-snippet test does with each.
// The convention (CONTRIBUTING.md, "Code blocks in the docs"): the info string is the language, then
// an optional mark, then free text (the reason):
//   ```ts                typechecked (one tsc program for every block) and run
//   ```ts typecheck      typechecked only (it needs a service, or runs forever): say why after the mark
//   ```bash              every line is a `phasekit ...` command, run against the CLI; exit 0 unless
//                        its comment says `exit N`. Globs are expanded, `> file` output is dropped;
//                        a command with `--kafka` runs in the int project, against PHASEKIT_KAFKA_BROKERS
//   ```bash kafka        every command of the block runs there
//   ```yaml scenario     a whole scenario: decoded and simulated
//   ```<lang> fragment   not run (a synopsis, a sketch, commands for a shell): say why after the mark
//   ```yaml, ```json, ```text, ```mermaid ...  data or output samples: not run
// A block without an info string, a ts/bash block with an unknown mark, or a bash line that is not a
// phasekit command in a block not marked `fragment` is an error naming the file and line.
import { globSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** One fenced block: where it is, its info string and its text. */
export interface Block {
  readonly file: string; // relative to the repository root
  readonly line: number; // 1-based line of the opening fence
  readonly lang: string;
  readonly mark: string | null;
  readonly info: string;
  readonly code: string;
}

/** What the test does with a block. */
export type Plan =
  | { readonly kind: "ts"; readonly run: boolean }
  | { readonly kind: "commands"; readonly commands: Command[] }
  | { readonly kind: "scenario" }
  | { readonly kind: "inert" }
  | { readonly kind: "error"; readonly message: string };

/** One `phasekit` command line of a bash block. */
export interface Command {
  readonly line: number; // 1-based line in the Markdown file
  readonly text: string;
  readonly args: string[]; // after `phasekit`
  readonly exit: number;
  /** The service it needs: `kafka` for a `--kafka` command or a ```bash kafka block. */
  readonly service: "kafka" | null;
}

const tsLangs = new Set(["ts", "typescript"]);
const shellLangs = new Set(["bash", "sh", "shell"]);
/** Languages that are data or output, never run; a `fragment` mark is accepted on any language. */
const inertLangs = new Set(["yaml", "yml", "json", "jsonl", "text", "txt", "mermaid", "console"]);

/** The Markdown files whose blocks are checked, relative to the root. */
export function markdownFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, deep: boolean) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir === "" ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory() && deep && e.name !== "node_modules" && !e.name.startsWith(".")) walk(path, deep);
      else if (e.isFile() && e.name.endsWith(".md")) out.push(path);
    }
  };
  walk("", false); // README.md, CONTRIBUTING.md, BENCHMARKS.md, ...
  for (const dir of ["docs", "examples", "scripts"]) walk(dir, true);
  for (const pkg of readdirSync(join(root, "packages"))) {
    try {
      readFileSync(join(root, "packages", pkg, "README.md"));
      out.push(`packages/${pkg}/README.md`);
    } catch {}
  }
  return out.sort();
}

/** Every fenced block (``` or ~~~, 3 or more) of a Markdown text. */
export function extractBlocks(file: string, text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const [, indent = "", fence = "", info = ""] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? "";
      if (l.trimStart().startsWith(fence) && l.trim().replaceAll(fence[0] ?? "`", "") === "") break;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
    }
    const [lang = "", mark = null] = info.trim().split(/\s+/);
    blocks.push({
      file,
      line: i + 1,
      lang: lang.toLowerCase(),
      mark,
      info: info.trim(),
      code: body.join("\n"),
    });
    i = j;
  }
  return blocks;
}

const where = (b: Block, line = b.line) => `${b.file}:${line}`;

/** Splits a command line into words: whitespace-separated, with simple single or double quotes. */
export function words(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

/** Drops output redirections (`> f`, `2> f`, `>> f`): the test reads the output itself. */
function withoutRedirects(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (/^(\d?>>?|&>)$/.test(a))
      i++; // the file is the next word
    else if (!/^(\d?>>?|&>)\S/.test(a)) out.push(a);
  }
  return out;
}

/** Expands `*` and `?` in a command's words from `root`, as a shell would (a word matching nothing stays). */
export function expandGlobs(args: readonly string[], root: string): string[] {
  return args.flatMap((a) => {
    if (!/[*?]/.test(a)) return [a];
    const found = globSync(a, { cwd: root }).sort();
    return found.length > 0 ? found : [a];
  });
}

/** The command part and the comment of a shell line (`#` at the start or after whitespace). */
function splitComment(line: string): [string, string] {
  const m = /(^|\s)#/.exec(line);
  return m ? [line.slice(0, m.index).trim(), line.slice(m.index + m[0].length).trim()] : [line.trim(), ""];
}

/** The plan for one block, or an error saying what to do. */
export function plan(b: Block): Plan {
  if (b.lang === "")
    return {
      kind: "error",
      message: `${where(b)}: a code block without a language; write \`\`\`ts, \`\`\`bash, \`\`\`text, ... (see CONTRIBUTING.md, "Code blocks in the docs")`,
    };
  if (b.mark === "fragment") return { kind: "inert" };
  if (tsLangs.has(b.lang)) {
    if (b.mark === null) return { kind: "ts", run: true };
    if (b.mark === "typecheck") return { kind: "ts", run: false };
    return {
      kind: "error",
      message: `${where(b)}: unknown mark "${b.mark}" on a ts block; expected none, typecheck or fragment`,
    };
  }
  if (shellLangs.has(b.lang)) {
    if (b.mark !== null && b.mark !== "kafka")
      return {
        kind: "error",
        message: `${where(b)}: unknown mark "${b.mark}" on a shell block; expected none, kafka or fragment`,
      };
    const commands: Command[] = [];
    const lines = b.code.split("\n");
    for (const [k, raw] of lines.entries()) {
      const [cmd, comment] = splitComment(raw);
      if (cmd === "") continue;
      const line = b.line + 1 + k;
      const w = words(cmd);
      const at = w[0] === "pnpm" && w[1] === "phasekit" ? 2 : w[0] === "phasekit" ? 1 : -1;
      if (at < 0)
        return {
          kind: "error",
          message: `${where(b, line)}: \`${cmd}\` is not a phasekit command, so this block cannot run as a test; mark it \`\`\`${b.lang} fragment (with why), or keep only phasekit commands in it`,
        };
      if (w[at] === "serve")
        return {
          kind: "error",
          message: `${where(b, line)}: \`${cmd}\` runs until it is stopped; put it in a \`\`\`${b.lang} fragment block (its own tests are packages/cli's serve tests)`,
        };
      if (w.some((x) => x === "|" || x === "&&" || x === ";" || x === "<"))
        return {
          kind: "error",
          message: `${where(b, line)}: \`${cmd}\` pipes or chains commands, which the test does not run; mark the block \`\`\`${b.lang} fragment (with why)`,
        };
      const exit = /\bexit (\d+)\b/.exec(comment);
      const args = withoutRedirects(w.slice(at));
      const service = b.mark === "kafka" || args.includes("--kafka") ? "kafka" : null;
      commands.push({ line, text: cmd, args, exit: exit ? Number(exit[1]) : 0, service });
    }
    return { kind: "commands", commands };
  }
  if ((b.lang === "yaml" || b.lang === "yml") && b.mark === "scenario") return { kind: "scenario" };
  if (inertLangs.has(b.lang)) return { kind: "inert" };
  return {
    kind: "error",
    message: `${where(b)}: unknown language "${b.lang}"; use ts, bash, yaml, json, text, mermaid, or mark it fragment`,
  };
}

/** Every block of the given files (relative to `root`), read from disk. */
export function blocksOf(root: string, files: readonly string[]): Block[] {
  return files.flatMap((f) =>
    extractBlocks(relative(root, join(root, f)), readFileSync(join(root, f), "utf8")),
  );
}

import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { checkWallarooPackage, DecodeError } from "@phasekit/core";
import type { Command } from "../command.js";
import { exit, type Io, readInputBytes, UsageError } from "../io.js";

export const checkPackageHelp = `phasekit check-package <file.zip> [--format text|json]

Checks a Wallaroo orchestration package against the upload rules: main.py at the root, else the
shallowest main.py in a subdirectory (ties in code-unit order of the path); at most one
requirements.txt; no entry outside the package. Prints the entrypoint, the requirements file and the
sha256, or every rule the package breaks (exit 1). A file that is not a ZIP exits 2.
"-" reads the package from standard input (its name is then "stdin.zip", its time now).
  --format text   readable (default)
  --format json   {"file", "ok", "package" | "violations", ...}`;

/** The flags of `check-package`, for node's parseArgs. */
export const checkPackageOptions = { format: { type: "string" } } as const;

const formats = ["text", "json"] as const;

function readPackage(file: string, io: Io): { bytes: Uint8Array; mtime: string } {
  if (file === "-") return { bytes: readInputBytes(file, io), mtime: new Date().toISOString() };
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch {
    throw new UsageError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new UsageError(`${file}: not a file (expected a .zip file)`);
  return { bytes: new Uint8Array(readFileSync(file)), mtime: stat.mtime.toISOString() };
}

/**
 * `phasekit check-package <file.zip>`: exit 0 when the package is accepted, 1 when it breaks a rule,
 * 2 for bad usage or bytes that are not a ZIP. The file's modification time stands for the
 * orchestration's created and updated times; its name is the file name.
 */
export function checkPackage(
  positionals: readonly string[],
  values: Readonly<Record<string, unknown>>,
  io: Io,
) {
  const format = (values.format as string | undefined) ?? "text";
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  if (positionals.length !== 1)
    throw new UsageError(
      `expected one package file, got ${positionals.length}${positionals.length ? `: ${positionals.join(" ")}` : ""}`,
    );
  const file = positionals[0]!;
  const { bytes, mtime } = readPackage(file, io);
  const fileName = file === "-" ? "stdin.zip" : basename(file);
  const check = checkWallarooPackage(bytes, { name: null, fileName, createdAt: mtime, updatedAt: mtime });
  if (check instanceof DecodeError) {
    io.err(`phasekit check-package: ${check.message}\n`);
    return exit.usage;
  }
  if (format === "json") {
    io.out(`${JSON.stringify({ file: fileName, ...check }, null, 2)}\n`);
    return check.ok ? exit.ok : exit.failed;
  }
  if (check.ok) {
    const p = check.package;
    io.out(
      `${fileName}: accepted\n` +
        `  entrypoint:   ${p.entrypoint}\n` +
        `  requirements: ${p.requirements ?? "none"}\n` +
        `  sha256:       ${p.sha}\n`,
    );
    return exit.ok;
  }
  const n = check.violations.length;
  io.out(`${fileName}: rejected, ${n} rule${n === 1 ? "" : "s"} broken\n`);
  for (const v of check.violations) io.out(`  - ${v.rule}: ${v.message}\n`);
  io.out(`  sha256: ${check.sha}\n`);
  return exit.failed;
}

export const command: Command = {
  help: checkPackageHelp,
  options: checkPackageOptions,
  run: (v, p, io) => checkPackage(p, v, io),
};

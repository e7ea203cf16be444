import { readFileSync } from "node:fs";

/** Where a command writes; tests pass their own to capture output without spawning a process. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /**
   * True when stderr is a terminal that understands escape codes (not `TERM=dumb`): progress is
   * drawn only then.
   */
  readonly interactive: boolean;
  /** Standard input, read whole, for a file argument `-` (tests pass their own). */
  readonly stdin?: () => Uint8Array;
}

/**
 * Whether progress may be drawn with escape codes: stderr is a terminal and TERM is not `dumb`.
 *
 * @example
 * ```ts
 * takesEscapes(process.stderr.isTTY, process.env.TERM); // false when piped or under TERM=dumb
 * ```
 */
export function takesEscapes(isTty: boolean | undefined, term: string | undefined): boolean {
  return isTty === true && term !== "dumb";
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: takesEscapes(process.stderr.isTTY, process.env.TERM),
  stdin: () => readFileSync(0),
};

/** Exit codes: 0 all good, 1 the subject failed a check (invariant broken, package rejected), 2 bad input or usage. */
export const exit = { ok: 0, failed: 1, usage: 2 } as const;

/** A usage or input problem: printed as it is (no stack trace) with exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** How a file argument is named in messages: `-` is standard input. */
export const inputName = (file: string) => (file === "-" ? "<stdin>" : file);

/**
 * The bytes of a file argument, or of standard input for `-`. A file that cannot be read is a
 * {@link UsageError} naming it and why.
 *
 * @example
 * ```ts
 * const bytes = readInputBytes("-", processIo); // what was piped in
 * ```
 */
export function readInputBytes(file: string, io: Io): Uint8Array {
  try {
    if (file === "-") return (io.stdin ?? (() => readFileSync(0)))();
    return readFileSync(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String(code ?? error);
    throw new UsageError(`cannot read ${inputName(file)}: ${why}`);
  }
}

/** The text of a file argument (UTF-8), or of standard input for `-`. */
export function readInput(file: string, io: Io): string {
  return new TextDecoder().decode(readInputBytes(file, io));
}

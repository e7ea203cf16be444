/** Where a command writes; tests pass their own to capture output without spawning a process. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stderr is a terminal (progress is shown only then). */
  readonly interactive: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
};

/** Exit codes: 0 all good, 1 the subject failed a check (invariant broken, package rejected), 2 bad input or usage. */
export const exit = { ok: 0, failed: 1, usage: 2 } as const;

/** A usage or input problem: printed as it is (no stack trace) with exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** An event as named in errors and tables: its type and, where it carries one, its reason. */
export interface EventDescriptor {
  readonly type: string;
  readonly reason: string | null;
}

const hasTag = (value: unknown, tag: string): boolean =>
  typeof value === "object" && value !== null && (value as { readonly _tag?: unknown })._tag === tag;

const describeEvent = (e: EventDescriptor) => (e.reason === null ? e.type : `${e.type}(${e.reason})`);
const describeLeaf = (status: string, reason: string | null) =>
  reason === null ? status : `${status}/${reason}`;

/**
 * An event that the lifecycle does not allow in the current status and reason. It names the kind,
 * where the record was, the event, and every event that would have been accepted there. Test for
 * it with `instanceof` or, across builds or copies of the package, with {@link TransitionError.is}.
 *
 * @example
 * ```ts
 * const next = dyff.Evaluation.step(record, { type: "admit" });
 * if (next instanceof TransitionError) console.error(next.message, next.allowed);
 * ```
 */
export class TransitionError extends Error {
  readonly _tag = "TransitionError" as const;
  override readonly name = "TransitionError";
  /**
   * True for any `TransitionError`, by its `_tag`. Prefer it to `instanceof` when the value may come
   * from another copy of `@phasekit/core` (its CommonJS and ESM builds loaded side by side, or two
   * installed versions): `instanceof` only matches the class of the same copy.
   *
   * @example
   * ```ts
   * const next = dyff.Evaluation.step(record, { type: "admit" });
   * if (TransitionError.is(next)) console.error(next.allowed);
   * ```
   */
  static is(value: unknown): value is TransitionError {
    return hasTag(value, "TransitionError");
  }
  constructor(
    readonly system: string,
    readonly kind: string,
    readonly status: string,
    readonly reason: string | null,
    readonly event: EventDescriptor,
    readonly allowed: readonly EventDescriptor[],
    detail?: string,
  ) {
    super(
      `${system}/${kind}: event ${describeEvent(event)} is not allowed in ${describeLeaf(status, reason)}` +
        (detail ? ` (${detail})` : "") +
        `; allowed here: ${allowed.length === 0 ? "nothing" : allowed.map(describeEvent).join(", ")}`,
    );
  }
}

/** One thing wrong with decoded input: where, what was there, and what was expected. */
export interface DecodeIssue {
  /** JSON path, for example `resources[3].kind` (`$` is the root). */
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;
}

/**
 * Input that did not match its schema. `message` lists every issue as `path: got X, expected Y`, so a
 * user sees all that is wrong at once, not only the first problem. Test for it with `instanceof` or,
 * across builds or copies of the package, with {@link DecodeError.is}.
 *
 * @example
 * ```ts
 * const found = catalog.lifecycle("dyff", "Nope");
 * if (found instanceof DecodeError) console.error(found.message);
 * ```
 */
export class DecodeError extends Error {
  readonly _tag = "DecodeError" as const;
  override readonly name = "DecodeError";
  /**
   * True for any `DecodeError`, by its `_tag`. Prefer it to `instanceof` when the value may come
   * from another copy of `@phasekit/core` (its CommonJS and ESM builds loaded side by side, or two
   * installed versions): `instanceof` only matches the class of the same copy.
   *
   * @example
   * ```ts
   * const found = catalog.lifecycle("dyff", "Nope");
   * if (DecodeError.is(found)) console.error(found.issues[0]?.expected);
   * ```
   */
  static is(value: unknown): value is DecodeError {
    return hasTag(value, "DecodeError");
  }
  constructor(
    /** What was being decoded, for example a file name or `dyff/Evaluation status record`. */
    readonly subject: string,
    readonly issues: readonly DecodeIssue[],
  ) {
    super(
      `${subject}: ${issues.length} problem${issues.length === 1 ? "" : "s"}\n` +
        issues.map((i) => `  ${i.path}: got ${show(i.value)}, expected ${i.expected}`).join("\n"),
    );
  }
}

/** A short, single-line rendering of a value for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Durations in scenario files: `30s`, `1m`, `2h`, `1d`, combined as `1h30m`, or a plain number of
 * seconds. The simulator keeps time as whole milliseconds since the scenario's start.
 *
 * @module
 */

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const whole = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** What a duration field expects, for error messages. */
export const durationExpected = "a duration such as 30s, 1m, 2h or 1h30m (or a number of seconds)";

/**
 * Parses a duration into milliseconds, or returns `undefined` when the input is not one.
 *
 * @example
 * ```ts
 * parseDuration("1h30m"); // 5_400_000
 * parseDuration(90);      // 90_000 (a number is seconds)
 * parseDuration("soon");  // undefined
 * ```
 */
export function parseDuration(input: unknown): number | undefined {
  if (typeof input === "number") {
    return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : undefined;
  }
  if (typeof input !== "string") return undefined;
  const text = input.trim();
  if (!whole.test(text)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(part))
    ms += Number(amount) * unitMs[unit as keyof typeof unitMs];
  return Math.round(ms);
}

/**
 * Renders milliseconds the way a reader writes them: `0s`, `45s`, `1m30s`, `2h`, `1h0m5s` is `1h5s`.
 *
 * @example
 * ```ts
 * formatDuration(5_400_000); // "1h30m"
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const unit of ["d", "h", "m", "s"] as const) {
    const n = Math.floor(rest / unitMs[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * unitMs[unit];
  }
  return rest > 0 ? `${out}${rest}ms` : out;
}

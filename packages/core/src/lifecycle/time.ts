import { DecodeError, type DecodeIssue } from "./errors.js";

/** What a `lastTransitionTime` must look like, in the words an error shows. */
export const RFC3339_EXPECTED = "an RFC 3339 timestamp, e.g. 2026-01-01T00:00:00Z";

/** Two ASCII digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when `s` is an RFC 3339 `date-time` (section 5.6): `YYYY-MM-DDTHH:MM:SS`, optional fraction,
 * then `Z` or `+HH:MM` / `-HH:MM`; `T` and `Z` in either case; second 60 allowed (leap second); the
 * day checked against its month (February 29 only in leap years). Hand-written, no regular
 * expression or allocation: it runs on every step that carries a time.
 *
 * @example
 * ```ts
 * isRfc3339("2026-01-01T00:00:00Z"); // true
 * isRfc3339("yesterday"); // false
 * ```
 */
export function isRfc3339(s: string): boolean {
  const n = s.length;
  if (n < 20) return false;
  const hi = two(s, 0);
  const lo = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1 || day > DAYS[month]!) return false;
  if (month === 2 && day === 29) {
    const year = hi * 100 + lo;
    if (year % 4 !== 0 || (year % 100 === 0 && year % 400 !== 0)) return false;
  }
  const t = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (t !== 84 && t !== 116)) return false;
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    i++;
    const start = i;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i));
    if (i === start) return false;
  }
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) return i + 1 === n;
  if ((z !== 43 && z !== 45) || i + 6 !== n) return false;
  const oh = two(s, i + 1);
  const om = two(s, i + 4);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59 && s.charCodeAt(i + 3) === 58;
}

/** The issue a bad `at` gives: the field, the value and what was expected. */
export const badTime = (value: unknown, path = "at"): DecodeIssue => ({
  path,
  value,
  expected: RFC3339_EXPECTED,
});

/**
 * The result of a step whose `at` came from our own clock (an ISO string we made): a
 * {@link DecodeError} there is a bug, not bad input, so it is thrown.
 */
export function trustedTime<T>(result: T | DecodeError): T {
  if (result instanceof DecodeError) throw result;
  return result;
}

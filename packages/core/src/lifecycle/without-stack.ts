/**
 * Builds an error without capturing a stack trace, as Node's own internal errors do: the error is
 * returned as a value, not thrown, and a trace would cost more than a hundred steps. Where the
 * intrinsics are frozen (`Error.stackTraceLimit` read-only) it builds the error as usual.
 */
export function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
  } catch {
    return make();
  }
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

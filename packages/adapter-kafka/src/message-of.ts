/**
 * Error text for a Kafka failure. No imports: the client thread (`platformatic/client-thread.ts`)
 * loads this file as it is, and sends the text across, since a thrown error loses its nested
 * errors on the way between threads.
 *
 * @module
 */

/**
 * An error's message with the distinct messages nested under it (the client wraps the real reason,
 * such as `connect ECONNREFUSED 127.0.0.1:9092`, in "Creating topics failed." and the like).
 */
export function messageOf(error: unknown): string {
  const messages: string[] = [];
  const walk = (e: unknown, depth: number) => {
    if (depth > 4 || e === undefined || e === null) return;
    const message = e instanceof Error ? e.message : String(e);
    if (message && !messages.includes(message)) messages.push(message);
    if (e instanceof AggregateError) for (const inner of e.errors.slice(0, 3)) walk(inner, depth + 1);
    if (e instanceof Error) walk(e.cause, depth + 1);
  };
  walk(error, 0);
  return messages.map((m) => m.replace(/\.$/, "")).join(": ");
}

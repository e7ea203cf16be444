import { isTerminalPhase, phaseDescriptions, phases } from "@phasekit/core";
import type { PhaseView } from "./client/model.js";

/**
 * The legend of the page: core's common phases (issue 18 part 2), non-terminal first, each with what
 * it means. Every status declares its phase in its machine; the spec JSON carries it.
 *
 * @example
 * ```ts
 * phaseViews().map((p) => p.name); // ["Pending", "Queued", "Starting", "Running", ...]
 * ```
 */
export function phaseViews(): PhaseView[] {
  return phases.map((name) => ({
    name,
    terminal: isTerminalPhase(name),
    description: phaseDescriptions[name],
  }));
}

import { DecodeError } from "@phasekit/core";
import { parseDocument } from "yaml";
import { decodeScenario, type Scenario } from "./scenario.js";

/**
 * Reads scenario text, YAML or JSON (JSON is YAML, so one parser reads both), and decodes it. A
 * syntax error names the file, the line and the column; a bad field names the file, the path and
 * what was expected; an empty file, an alias to no anchor and an alias bomb ("billion laughs") are
 * DecodeErrors too, never exceptions. Reading the file is the caller's business (the CLI, a test, a browser).
 *
 * @example
 * ```ts
 * const scenario = parseScenario(readFileSync("examples/quota-wait.yaml", "utf8"), "examples/quota-wait.yaml");
 * if (scenario instanceof DecodeError) throw scenario;
 * ```
 */
export function parseScenario(text: string, file = "scenario"): Scenario | DecodeError {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    const where = error.linePos?.[0];
    const at = where ? ` at line ${where.line}, column ${where.col}` : "";
    const line = where ? text.split("\n")[where.line - 1] : undefined;
    const what = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    return new DecodeError(file, [
      { path: "$", value: line, expected: `well-formed YAML or JSON${at} (${what})` },
    ]);
  }
  if (doc.contents === null)
    return new DecodeError(file, [
      { path: "$", value: undefined, expected: "a scenario (the file is empty or holds only comments)" },
    ]);
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return new DecodeError(file, [{ path: "$", value: undefined, expected: aliasExpected(error) }]);
  }
  if (input === null || input === undefined)
    return new DecodeError(file, [
      { path: "$", value: null, expected: "a scenario (the document is empty)" },
    ]);
  return decodeScenario(input, file);
}

/** What was expected when expanding the YAML's aliases failed: an alias to nothing, or too many. */
function aliasExpected(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unresolved alias/i.test(message))
    return `YAML whose aliases name anchors defined before them (*${message.match(/: (\S+)$/)?.[1] ?? "?"} names none)`;
  if (/Excessive alias count/i.test(message))
    return 'YAML whose aliases expand to a reasonable size (more than 100 aliases to collections: a "billion laughs" file?)';
  return `well-formed YAML or JSON (${message})`;
}

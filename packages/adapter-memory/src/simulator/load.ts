import { DecodeError } from "@phasekit/core";
import { parseDocument } from "yaml";
import { decodeScenario, type Scenario } from "./scenario.js";

/**
 * Reads scenario text, YAML or JSON (JSON is YAML, so one parser reads both), and decodes it. A
 * syntax error names the file, the line and the column; a bad field names the file, the path and
 * what was expected. Reading the file is the caller's business (the CLI, a test, a browser).
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
  return decodeScenario(doc.toJS({ maxAliasCount: 100 }) ?? {}, file);
}

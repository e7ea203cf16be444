import { generatedStepsSource } from "../lifecycle/generate.js";
import { catalog } from "./catalog.js";

/**
 * Each generated file under packages/core/src and the catalog systems whose kinds share its lookup:
 * Dyff's released kinds share the seed's, since most of their statuses and events are the same.
 */
const files: Readonly<Record<string, readonly string[]>> = {
  "systems/dyff": ["dyff", "dyff-released"],
  "systems/runai": ["runai"],
  "systems/wallaroo": ["wallaroo"],
  "systems/ray": ["ray"],
};

/**
 * Every `steps.generated.ts` of the catalog, by path under packages/core/src, with the text the
 * machines generate now: `pnpm reducers:gen` writes them, `generated.test.ts` compares them with the
 * committed files. A system missing from the files above is an error, so a new system cannot go
 * without its generated lookup unnoticed.
 */
export function generatedStepsFiles(): Record<string, string> {
  const missing = catalog.systems.filter(
    (s) => !Object.values(files).some((names) => names.includes(s.name)),
  );
  if (missing.length > 0)
    throw new Error(
      `generated-steps.ts: system ${missing.map((s) => s.name).join(", ")} has no file for its generated lookup; add it to \`files\``,
    );
  const out: Record<string, string> = {};
  for (const [folder, names] of Object.entries(files)) {
    const up = "../".repeat(folder.split("/").length);
    const systems = names.map((name) => catalog.systems.find((s) => s.name === name)!);
    out[`${folder}/steps.generated.ts`] = generatedStepsSource(
      names[0]!,
      systems.flatMap((system) => system.lifecycles.map((lc) => [lc.kind, lc] as const)),
      `${up}lifecycle/compile.js`,
    );
  }
  return out;
}

import { generatedStepsSource } from "../lifecycle/generate.js";
import { catalog } from "./catalog.js";

/** Where each catalog system's generated reducers live, under packages/core/src. */
const folders: Readonly<Record<string, string>> = {
  dyff: "systems/dyff",
  "dyff-released": "systems/dyff/released",
  runai: "systems/runai",
  wallaroo: "systems/wallaroo",
  ray: "systems/ray",
};

/**
 * Every `steps.generated.ts` of the catalog, by path under packages/core/src, with the text the
 * machines generate now: `pnpm reducers:gen` writes them, `generated.test.ts` compares them with the
 * committed files. A system missing from the folders above is an error, so a new system cannot go
 * without its generated reducers unnoticed.
 */
export function generatedStepsFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const system of catalog.systems) {
    const folder = folders[system.name];
    if (folder === undefined)
      throw new Error(
        `generated-steps.ts: system ${system.name} has no folder for its generated reducers; add it to \`folders\``,
      );
    const up = "../".repeat(folder.split("/").length);
    files[`${folder}/steps.generated.ts`] = generatedStepsSource(
      system.name,
      system.lifecycles.map((lc) => [lc.kind, lc] as const),
      `${up}lifecycle/compile.js`,
    );
  }
  return files;
}

// Writes packages/core/src/systems/<system>/steps.generated.ts, each kind's step compiled ahead of time
// from its machine. The committed files are checked by packages/core/src/lifecycle/generated.test.ts,
// so run this (`pnpm reducers:gen`, or `pnpm docs:gen`, which runs it too) after changing a machine.
import { writeFileSync } from "node:fs";
import { generatedStepsFiles } from "../packages/core/src/catalog/generated-steps.js";

for (const [path, text] of Object.entries(generatedStepsFiles())) {
  writeFileSync(new URL(`../packages/core/src/${path}`, import.meta.url), text);
  console.log(`wrote packages/core/src/${path}`);
}

// Writes packages/cli/schema/*.json, the JSON Schemas of the scenario file and the spec JSON,
// from their zod schemas. The committed files are checked by packages/cli/src/schemas.test.ts.
import { writeFileSync } from "node:fs";
import { jsonSchemaFiles } from "../packages/cli/src/schemas.js";

for (const [name, text] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(new URL(`../packages/cli/schema/${name}`, import.meta.url), text);
  console.log(`wrote packages/cli/schema/${name}`);
}

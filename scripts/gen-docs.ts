// Writes docs/reference/<system>.md from the machines. The committed files are checked by
// packages/core/src/spec/reference.test.ts, so run this after changing a machine.
import { writeFileSync } from "node:fs";
import { catalog, markdown, phasesMarkdown } from "@phasekit/core";
import { openApiDocument } from "@phasekit/runtime";

for (const system of catalog.systems) {
  const file = new URL(`../docs/reference/${system.name}.md`, import.meta.url);
  writeFileSync(file, markdown(system));
  console.log(`wrote docs/reference/${system.name}.md`);
}

writeFileSync(new URL("../docs/reference/phases.md", import.meta.url), phasesMarkdown(catalog.systems));
console.log("wrote docs/reference/phases.md");

// The local Dyff's OpenAPI document, checked by packages/runtime/src/api/openapi.test.ts.
const openapi = new URL("../packages/runtime/openapi.json", import.meta.url);
writeFileSync(openapi, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log("wrote packages/runtime/openapi.json");

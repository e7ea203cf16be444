// Rewrites manifests/crds.yaml from the zod schemas (see src/crd/manifest.ts).
import { writeFileSync } from "node:fs";
import { crdManifest } from "../src/crd/manifest.js";

const target = new URL("../manifests/crds.yaml", import.meta.url);
writeFileSync(target, crdManifest());
console.log(`wrote ${target.pathname}`);

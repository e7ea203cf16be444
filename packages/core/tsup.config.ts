import { defineConfig } from "tsup";

export default defineConfig({
  // One entry per system, so a bundle that needs one system carries only that one.
  entry: {
    index: "src/index.ts",
    dyff: "src/dyff.ts",
    runai: "src/runai.ts",
    wallaroo: "src/wallaroo.ts",
    ray: "src/ray.ts",
    "testing/index": "src/testing/index.ts",
  },
  format: ["esm", "cjs"],
  // Shared code in shared chunks for CommonJS too: one TransitionError class whichever entry loads it.
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
});

import { defineConfig } from "tsup";

export default defineConfig({
  // The fuzzer is its own entry: only it needs fast-check (an optional peer dependency).
  entry: { index: "src/index.ts", "fuzz/index": "src/fuzz/index.ts" },
  format: ["esm", "cjs"],
  // Shared code in shared chunks for CommonJS too: one simulator whichever entry loads it.
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
});

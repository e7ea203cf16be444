import { defineConfig } from "vitest/config";

// Two projects: `unit` (pure, fast, the default) and `int` (needs a real Kafka broker or
// Kubernetes API server, started by ./test). Both resolve workspace packages to their sources
// through the `@phasekit/source` export condition, so no build is needed to test.
const shared = {
  resolve: { conditions: ["@phasekit/source"] },
  ssr: { resolve: { conditions: ["@phasekit/source"] } },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "docs/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
          setupFiles: ["./vitest.setup.ts"],
          testTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: "int",
          include: ["packages/*/src/**/*.int.test.ts"],
          setupFiles: ["./vitest.setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

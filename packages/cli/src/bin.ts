#!/usr/bin/env node
import { run } from "./main.js";

// A reader that stops early (`phasekit spec | head`) closes the pipe: that ends our output, as it
// does for any Unix tool, and is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug in phasekit, not bad input: say so, with the stack for the report.
    process.stderr.write(
      `phasekit: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);

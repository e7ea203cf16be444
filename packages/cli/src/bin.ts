#!/usr/bin/env node
import { run } from "./main.js";

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

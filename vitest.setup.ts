import fc from "fast-check";

// Property tests run 1000 times under CI and 200 times locally; a failure prints its seed and path,
// which `fc.assert(..., { seed, path })` replays.
fc.configureGlobal({ numRuns: process.env.CI ? 1000 : 200, verbose: 1 });

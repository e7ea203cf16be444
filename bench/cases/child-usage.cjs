// Preloaded (node --require) into a child process the cli-startup case measures: at exit it
// writes the process's CPU time and peak resident memory as one JSON line on fd 3.
const { writeSync } = require("node:fs");
process.on("exit", () => {
  const cpu = process.cpuUsage();
  const usage = process.resourceUsage();
  writeSync(3, `${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: usage.maxRSS })}\n`);
});

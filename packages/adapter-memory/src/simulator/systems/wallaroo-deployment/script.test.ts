import { describe, expect, it } from "vitest";
import { InferenceFailed, type ScriptCall, type ScriptReply, seedWakeUpScript } from "./script.js";

/** Runs the script against scripted answers: the status of each poll and the outcome of each infer. */
function trace(statuses: string[], inferences: boolean[]) {
  const script = seedWakeUpScript();
  const calls: string[] = [];
  let reply: ScriptReply;
  for (;;) {
    const next = script.next(reply);
    if (next.done) return { calls, outcome: "completed" };
    const call: ScriptCall = next.value;
    if (call.type === "status") {
      reply = statuses.shift() ?? "Running";
      calls.push(`status -> ${reply}`);
    } else if (call.type === "infer") {
      const ok = inferences.shift() ?? true;
      reply = ok ? { ok: true } : { ok: false, error: "InferenceTimeout" };
      calls.push(`infer(${call.data}) -> ${ok ? "ok" : "timeout"}`);
    } else {
      reply = undefined;
      calls.push(`sleep ${call.ms / 1000}s`);
    }
  }
}

describe("the seed's wake-up script", () => {
  it("polls, attempts an inference whose failure it swallows, sleeps 10 s, and repeats until Running", () => {
    expect(trace(["Starting", "Starting", "Running"], [false, false, true, true]).calls).toEqual([
      "status -> Starting",
      "infer(dataframe) -> timeout",
      "sleep 10s",
      "status -> Starting",
      "infer(dataframe) -> timeout",
      "sleep 10s",
      "status -> Running",
      "infer(dataframe2) -> ok",
      "infer(dataframe3) -> ok",
    ]);
  });

  it("does not attempt the wake-up inference when the deployment is already Running", () => {
    expect(trace(["Running"], []).calls).toEqual([
      "status -> Running",
      "infer(dataframe2) -> ok",
      "infer(dataframe3) -> ok",
    ]);
  });

  it("an inference failing after the loop is not caught: the script raises (its task run fails)", () => {
    expect(() => trace(["Running"], [true, false])).toThrow(InferenceFailed);
    expect(() => trace(["Running"], [true, false])).toThrow(
      "pipeline.infer(dataframe3) raised: InferenceTimeout",
    );
  });

  it("keeps polling while the pipeline is not deployed (its status text is never Running)", () => {
    const calls = trace(
      ["Pipeline ccfraud is not deployed", "Pipeline ccfraud is not deployed"],
      [false, false],
    ).calls;
    expect(calls.filter((c) => c.startsWith("infer(dataframe)"))).toHaveLength(2);
  });
});

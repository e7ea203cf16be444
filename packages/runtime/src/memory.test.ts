import { describe, expect, it } from "vitest";
import { startApiServer } from "./api/server.js";
import { startLocalDyff } from "./memory.js";

const headers = { authorization: "Bearer t", "content-type": "application/json" };
const model = { account: "alice", name: "m", artifact: {}, source: {}, resources: {} };

async function modelEnds(failureRate: number) {
  const dyff = startLocalDyff({ tokens: { t: "alice" }, stepMs: 0, failureRate });
  const api = await startApiServer({ backend: dyff.backend, authenticate: dyff.authenticate });
  try {
    const created = (await (
      await fetch(`${api.url}/models`, { method: "POST", headers, body: JSON.stringify(model) })
    ).json()) as { id: string };
    for (;;) {
      const m = (await (await fetch(`${api.url}/models/${created.id}`, { headers })).json()) as {
        status: string;
        reason: string | null;
      };
      if (m.status !== "Created" && m.status !== "Admitted") return `${m.status}/${m.reason}`;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await api.close();
    dyff.close();
  }
}

describe("the memory runtime on the wall clock", () => {
  it("with failure rate 0 a Model's fetch succeeds; with failure rate 1 it fails with its kind's work failure", async () => {
    expect(await modelEnds(0)).toBe("Ready/null");
    expect(await modelEnds(1)).toBe("Error/FetchFailed");
  });

  it("a bad step length or failure rate is refused, naming the option", () => {
    expect(() => startLocalDyff({ tokens: {}, stepMs: -1 })).toThrow(/stepMs: got -1/);
    expect(() => startLocalDyff({ tokens: {}, failureRate: 1.5 })).toThrow(/failureRate: got 1.5/);
  });
});

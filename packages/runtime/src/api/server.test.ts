import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalDyff, startLocalDyff } from "../memory.js";
import { openApiDocument } from "./openapi.js";
import { type ApiServer, startApiServer } from "./server.js";

// The routes over the memory backend, through real HTTP on a loopback port. Steps take 0 ms, so
// work ends at the next turn of the event loop; tests poll for statuses, they never time anything.

let dyff: LocalDyff;
let api: ApiServer;
const log: string[] = [];
const alice = { authorization: "Bearer alice-token", "content-type": "application/json" };
const bob = { authorization: "Bearer bob-token", "content-type": "application/json" };

beforeAll(async () => {
  dyff = startLocalDyff({ tokens: { "alice-token": "alice", "bob-token": "bob" }, stepMs: 0 });
  api = await startApiServer({
    backend: dyff.backend,
    authenticate: dyff.authenticate,
    maxBodyBytes: 4096,
    log: (l) => log.push(l),
  });
});
afterAll(async () => {
  await api.close();
  dyff.close();
});

async function call(method: string, path: string, headers: Record<string, string> = alice, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    body: text ? JSON.parse(text) : undefined,
  };
}

async function until(id: string, resource: string, statuses: string[]) {
  for (;;) {
    const r = await call("GET", `/${resource}/${id}`);
    if (statuses.includes(r.body.status)) return r.body;
    await new Promise((done) => setTimeout(done, 5));
  }
}

const schema = { arrowSchema: "" };
const datasetRequest = (account = "alice") => ({
  account,
  name: "mnist",
  artifacts: [{ kind: "parquet", path: "a.parquet" }],
  schema,
});
const modelRequest = {
  account: "alice",
  name: "m",
  artifact: { kind: "x" },
  source: { kind: "y" },
  resources: {},
};

describe("the Dyff routes over the memory control plane", () => {
  it("the committed openapi.json is what the schemas generate (run `pnpm docs:gen` after changing a route)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it("serves its OpenAPI document at /v0/openapi.json without a token", async () => {
    const r = await call("GET", "/openapi.json", {});
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.paths)).toContain("/evaluations/{id}/labels");
  });

  it("a Dataset, Model, InferenceService, Evaluation and Report reach their success statuses, embedding their dependencies", async () => {
    const d = await call("POST", "/datasets", alice, datasetRequest());
    expect(d).toMatchObject({
      status: 201,
      body: { kind: "Dataset", account: "alice", status: "Created", name: "mnist" },
    });
    expect((await call("POST", `/datasets/${d.body.id}/finalize`)).body).toEqual({
      status: "Ready",
      reason: null,
    });
    const m = await call("POST", "/models", alice, modelRequest);
    const s = await call("POST", "/inferenceservices", alice, {
      account: "alice",
      name: "svc",
      model: m.body.id,
      interface: { endpoint: "generate", outputSchema: schema },
    });
    expect(s.body.model).toMatchObject({ id: m.body.id, name: "m" });
    const e = await call("POST", "/evaluations", alice, {
      account: "alice",
      dataset: d.body.id,
      inferenceSession: { inferenceService: s.body.id },
    });
    expect(e.body.inferenceSession.inferenceService).toMatchObject({
      id: s.body.id,
      model: { id: m.body.id },
    });
    const r = await call("POST", "/reports", alice, {
      account: "alice",
      rubric: "acc",
      evaluation: e.body.id,
    });
    expect(r.body).toMatchObject({ dataset: d.body.id, inferenceService: s.body.id, model: m.body.id });
    expect((await until(e.body.id, "evaluations", ["Complete", "Failed"])).status).toBe("Complete");
    expect((await until(r.body.id, "reports", ["Complete", "Failed"])).status).toBe("Complete");

    expect(
      (await call("PATCH", `/evaluations/${e.body.id}/labels`, alice, { labels: { team: "a" } })).status,
    ).toBe(204);
    const found = await call(
      "GET",
      `/evaluations?status=Complete&labels=${encodeURIComponent('{"team":"a"}')}&id=`,
    );
    expect(found.body.map((x: { id: string }) => x.id)).toEqual([e.body.id]);
    expect((await call("GET", `/evaluations?model=${m.body.id}`)).body).toHaveLength(1);
    expect((await call("GET", "/evaluations", bob)).body).toEqual([]);
    expect((await call("PUT", `/reports/${r.body.id}/delete`)).body).toEqual({
      status: "Deleted",
      reason: "DeleteCommand",
    });
    expect((await call("GET", `/reports/${r.body.id}`)).body.status).toBe("Deleted");
  });

  it("each refusal is a problem naming the field, the value and what was expected, and changes nothing", async () => {
    const d = await call("POST", "/datasets", alice, datasetRequest());
    const events = dyff.simulation.backend.events.records().length;
    const cases: [number, string, string, Record<string, string>, unknown?][] = [
      [401, "GET", `/datasets/${d.body.id}`, {}],
      [401, "GET", `/datasets/${d.body.id}`, { authorization: "Bearer wrong" }],
      [403, "GET", `/datasets/${d.body.id}`, bob],
      [403, "POST", "/datasets", alice, datasetRequest("bob")],
      [404, "GET", "/datasets/nope", alice],
      [404, "GET", "/volumes", alice],
      [
        404,
        "POST",
        "/evaluations",
        alice,
        { account: "alice", dataset: "nope", inferenceSession: { inferenceService: "x" } },
      ],
      [409, "POST", `/datasets/${d.body.id}/finalize`, bob],
      [413, "POST", "/datasets", alice, { ...datasetRequest(), name: "x".repeat(5000) }],
      [422, "POST", "/evaluations", alice, { account: "alice" }],
      [422, "PATCH", `/datasets/${d.body.id}/labels`, alice, { labels: { "-bad": "x" } }],
      [422, "GET", "/datasets?colour=red", alice],
      [400, "POST", "/datasets", alice, "{not json"],
      [405, "DELETE", `/datasets/${d.body.id}`, alice],
    ];
    for (const [status, method, path, headers, body] of cases) {
      const r = await call(method, path, headers, body);
      // 409 with bob's token on alice's object is 403 first: authorization comes before the status.
      const expected = status === 409 ? 403 : status;
      expect({ method, path, status: r.status }).toEqual({ method, path, status: expected });
      expect(r.type).toBe("application/problem+json");
      expect(r.body).toMatchObject({
        status: expected,
        field: expect.any(String),
        expected: expect.any(String),
      });
      expect(r.body).toHaveProperty("value");
    }
    await call("POST", `/datasets/${d.body.id}/finalize`);
    const again = await call("POST", `/datasets/${d.body.id}/finalize`);
    expect(again.body).toMatchObject({ status: 409, field: "status", value: "Ready" });
    expect(dyff.simulation.backend.events.records().length).toBe(events + 1); // the one accepted finalize
    expect(JSON.stringify(log)).not.toContain("alice-token");
    expect(JSON.stringify(log)).not.toContain("wrong");
  });

  it("a create of any JSON body either creates one object or is a problem that produces no event", async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ account: fc.constantFrom("alice", "bob", ""), name: fc.oneof(fc.string(), fc.integer()) }),
      fc.record({ account: fc.constant("alice"), dataset: fc.string(), inferenceSession: fc.jsonValue() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("datasets", "evaluations", "models"), body, async (resource, b) => {
        const before = dyff.simulation.backend.events.records().length;
        const r = await call("POST", `/${resource}`, alice, b);
        const after = dyff.simulation.backend.events.records().length;
        if (r.status === 201) expect(after).toBe(before + 1);
        else {
          expect(r.body).toMatchObject({
            status: r.status,
            field: expect.any(String),
            expected: expect.any(String),
          });
          expect(after).toBe(before);
        }
      }),
      { numRuns: 60 },
    );
  });
});

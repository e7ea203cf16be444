import { describe, expect, it } from "vitest";
import { KubeApiError, TransportError } from "./client.js";
import { toClusterError } from "./errors.js";

describe("Kubernetes answers in the cluster port's words", () => {
  it.each([
    [new KubeApiError(404, "NotFound", "m"), "NotFound"],
    [new KubeApiError(409, "AlreadyExists", "m"), "AlreadyExists"],
    [new KubeApiError(409, "Conflict", "m"), "Conflict"],
    [new KubeApiError(403, "Forbidden", "m"), "Forbidden"],
    [new KubeApiError(401, "Unauthorized", "m"), "Forbidden"],
    [new KubeApiError(429, "TooManyRequests", "m"), "Unavailable"],
    [new KubeApiError(503, "ServiceUnavailable", "m"), "Unavailable"],
    [new KubeApiError(410, "Expired", "m"), "Unavailable"],
    [new TransportError("connect ECONNREFUSED"), "Unavailable"],
  ] as const)("%s -> %s", (error, code) => {
    expect(toClusterError("get", "Job", "j1", error)).toMatchObject({
      code,
      kind: "Job",
      name: "j1",
      operation: "get",
    });
  });

  it("what the port has no word for (422 Invalid, a bug) is not a ClusterError: the caller dies with the server's message", () => {
    expect(
      toClusterError("create", "Evaluation", "e1", new KubeApiError(422, "Invalid", "spec.x: bad")),
    ).toBeUndefined();
    expect(toClusterError("create", "Evaluation", "e1", new TypeError("boom"))).toBeUndefined();
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byResource } from "./kinds.js";
import { ApiProblem } from "./problem.js";
import { queryOf, selects } from "./query.js";

const evaluations = byResource("evaluations")!;
const params = (p: Record<string, string>) => new URLSearchParams(p);
const object = (labels: Record<string, string>, status = "Complete") => ({
  id: "e1",
  account: "alice",
  status,
  reason: null,
  labels,
  dataset: "d1",
  inferenceSession: { inferenceService: { id: "s1", name: "svc", model: { id: "m1", name: "tiny" } } },
});

describe("Dyff query parameters", () => {
  it("a labels query selects exactly the objects whose labels include every given pair", () => {
    const labelMap = fc.dictionary(fc.constantFrom("a", "b", "c"), fc.constantFrom("x", "y"));
    fc.assert(
      fc.property(labelMap, labelMap, (wanted, has) => {
        const q = queryOf(evaluations, params({ labels: JSON.stringify(wanted) }));
        const expected = Object.entries(wanted).every(([k, v]) => has[k] === v);
        expect(selects(q, object(has))).toBe(expected);
      }),
    );
  });

  it("empty values are no constraint; the kind's own parameters compare nested fields", () => {
    const q = queryOf(
      evaluations,
      params({ id: "", status: "Complete", model: "m1", inferenceServiceName: "svc" }),
    );
    expect(selects(q, object({}))).toBe(true);
    expect(selects(queryOf(evaluations, params({ modelName: "other" })), object({}))).toBe(false);
    expect(selects(queryOf(evaluations, params({ reason: "" })), object({}))).toBe(true);
  });

  it("a query object of dotted paths matches when any of a list matches", () => {
    const any = JSON.stringify([{ "inferenceSession.inferenceService.id": "nope" }, { dataset: "d1" }]);
    expect(selects(queryOf(evaluations, params({ query: any })), object({}))).toBe(true);
    expect(selects(queryOf(evaluations, params({ query: '{"dataset": "d2"}' })), object({}))).toBe(false);
  });

  it("an unknown parameter, bad labels, a bad query or limit is a 422 naming the parameter", () => {
    for (const [name, value] of [
      ["colour", "red"],
      ["labels", "[1]"],
      ["labels", "{"],
      ["query", "3"],
      ["limit", "0"],
    ] as const) {
      const thrown = (() => {
        try {
          queryOf(evaluations, params({ [name]: value }));
        } catch (e) {
          return e;
        }
      })();
      expect(thrown).toBeInstanceOf(ApiProblem);
      expect((thrown as ApiProblem).body()).toMatchObject({ status: 422, field: name, value });
    }
  });
});

import type { DecodeIssue } from "@phasekit/core";

/**
 * Every error of the API in one JSON shape: RFC 9457 problem details (`type`, `title`, `status`,
 * `detail`), plus the field at fault, the value it had and what was expected. A request with several
 * bad fields lists each in `errors`; the top-level `field`/`value`/`expected` repeat the first.
 *
 * @module
 */

/** One bad field of a request. */
export interface FieldProblem {
  /** Where: a body path (`inferenceSession.inferenceService`), a query parameter, a header, `path`. */
  readonly field: string;
  /** What it was (never a bearer token). */
  readonly value: unknown;
  readonly expected: string;
}

/** A problem details body (`application/problem+json`). */
export interface Problem extends FieldProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors: readonly FieldProblem[];
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  422: "Unprocessable Content",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** A refusal of the API, thrown by a handler and answered as a {@link Problem}. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: readonly FieldProblem[],
    /** A short code for `type` (`about:blank` when absent), e.g. `Terminal`, `DependencyDeleted`. */
    readonly code?: string,
  ) {
    super(detail);
  }

  /**
   * The problem details body.
   *
   * @example
   * ```ts
   * new ApiProblem(404, "no object e1", [{ field: "id", value: "e1", expected: "the id of an object" }]).body();
   * // { type: "about:blank", title: "Not Found", status: 404, detail: "no object e1", field: "id", ... }
   * ```
   */
  body(): Problem {
    // A missing field's value is undefined, which JSON drops: say null, so `value` is always there.
    const errors = this.errors.map((e) => ({ ...e, value: e.value === undefined ? null : e.value }));
    const first = errors[0] ?? { field: "request", value: null, expected: "a valid request" };
    return {
      type: this.code ? `https://phasekit.dev/problems/${this.code}` : "about:blank",
      title: titles[this.status] ?? "Error",
      status: this.status,
      detail: this.detail,
      field: first.field,
      value: first.value,
      expected: first.expected,
      errors,
    };
  }
}

/**
 * A problem for one field.
 *
 * @example
 * ```ts
 * throw problem(422, "dataset", 3, "the id of a Dataset");
 * ```
 */
export const problem = (
  status: number,
  field: string,
  value: unknown,
  expected: string,
  detail?: string,
  code?: string,
): ApiProblem =>
  new ApiProblem(
    status,
    detail ?? `${field}: got ${JSON.stringify(value) ?? String(value)}, expected ${expected}`,
    [{ field, value, expected }],
    code,
  );

/** A 422 from decode issues, each issue a field (paths prefixed with `prefix`). */
export const invalid = (detail: string, issues: readonly DecodeIssue[], prefix = ""): ApiProblem =>
  new ApiProblem(
    422,
    detail,
    issues.map((i) => ({
      field: i.path === "$" ? prefix.replace(/\.$/, "") || "body" : `${prefix}${i.path}`,
      value: i.value,
      expected: i.expected,
    })),
    "ValidationFailed",
  );

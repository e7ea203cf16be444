import * as z from "zod";
import { decode } from "../decode.js";
import type { DecodeError } from "../lifecycle/errors.js";
import { entityIdPattern, labelKeyPattern } from "../systems/dyff/entity.js";

/**
 * A hand-written check of a create request for the command API's hot path (one per workload): zod's
 * strict object schema `createRequest` costs a few microseconds a create. It accepts only what
 * `createRequest` accepts and returns what it returns (the spec as given or `{}`, the labels' entries
 * or `{}`); for anything else (a bad, missing or extra field, a `document`, a symbol or `__proto__`
 * key, an object that is not plain) it returns undefined, and the caller decodes with zod, which also
 * writes the error. A property test holds the two together (`create-request-fast-path.test.ts`).
 *
 * @module
 */

const accountName = "a non-empty account name";
/** An account name in a create request (zod). */
export const account = z.string({ error: accountName }).min(1, accountName);

/**
 * The one field of a create request read before authorization: whose the new object would be.
 *
 * @example
 * ```ts
 * requestAccount.parse({ kind: "Model", id: "m1", account: "alice" }); // { account: "alice" }
 * ```
 */
export const requestAccount = z.object({ account });

/**
 * `requestAccount` decoded: by hand when the request is well formed (zod's parse showed in the
 * profile of a burst of creates), by zod otherwise, which writes the error naming the field.
 *
 * @example
 * ```ts
 * requestOwner({ kind: "Model", id: "m1", account: "alice" }); // { account: "alice" }
 * requestOwner({ kind: "Model", id: "m1" }); // DecodeError: account, a non-empty account name
 * ```
 */
export function requestOwner(request: unknown): { readonly account: string } | DecodeError {
  if (typeof request === "object" && request !== null && !Array.isArray(request)) {
    const account = (request as { account?: unknown }).account;
    if (typeof account === "string" && account.length > 0) return { account };
  }
  return decode(requestAccount, request, "create request");
}

const requestKeys = new Set(["kind", "id", "account", "spec", "labels"]);

const enumerable = (v: object, k: string) => Object.prototype.propertyIsEnumerable.call(v, k);

/** The keys of a plain object (its prototype Object.prototype), all its own keys strings and enumerable. */
const plainKeys = (v: unknown): readonly string[] | undefined => {
  if (typeof v !== "object" || v === null || Object.getPrototypeOf(v) !== Object.prototype) return undefined;
  const keys = Reflect.ownKeys(v);
  for (const k of keys) if (typeof k !== "string" || k === "__proto__" || !enumerable(v, k)) return undefined;
  return keys as string[];
};

/**
 * What `createRequest` returns for `request`, when the hand check can tell; else undefined.
 *
 * @example
 * ```ts
 * fastCreateRequest({ kind: "Model", id: "m1", account: "alice" }); // { kind: "Model", id: "m1", account: "alice", spec: {}, labels: {} }
 * fastCreateRequest({ kind: "Model", id: "m1" }); // undefined: zod reports the missing account
 * ```
 */
export function fastCreateRequest(request: unknown):
  | {
      kind: string;
      id: string;
      account: string;
      spec: unknown;
      labels: Record<string, string>;
      document?: undefined;
    }
  | undefined {
  const keys = plainKeys(request);
  if (keys === undefined) return undefined;
  for (const k of keys) if (!requestKeys.has(k)) return undefined;
  const { kind, id, account, spec, labels } = request as Record<string, unknown>;
  if (typeof kind !== "string" || typeof id !== "string" || !entityIdPattern.test(id)) return undefined;
  if (typeof account !== "string" || account.length === 0) return undefined;
  const out: Record<string, string> = {};
  if (labels !== undefined) {
    const labelKeys = plainKeys(labels);
    if (labelKeys === undefined) return undefined;
    for (const k of labelKeys) {
      const v = (labels as Record<string, unknown>)[k];
      if (typeof v !== "string" || v.length > 63 || !labelKeyPattern.test(k)) return undefined;
      out[k] = v;
    }
  }
  return { kind, id, account, spec: spec === undefined ? {} : spec, labels: out };
}

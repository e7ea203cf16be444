import * as Effect from "effect/Effect";
import type * as Layer from "effect/Layer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Authorizer, type Principal, Unauthorized, type Verb } from "../../ports/Authorizer.js";
import { failureOf, runWith } from "./run.js";

const VERBS: readonly Verb[] = ["create", "terminate", "delete", "label", "get"];

/** The grants every test starts from. */
const GRANTS: Readonly<Record<string, Principal>> = {
  "alice-admin": { account: "alice", verbs: VERBS },
  "alice-reader": { account: "alice", verbs: ["get"] },
  "bob-token": { account: "bob", verbs: ["create", "get"] },
  "nobody-token": { account: "carol", verbs: [] },
};

/**
 * The authorizer's contract: a token grants its own account and its own verbs, nothing else; any
 * other request is `Unauthorized`, naming the verb and account but never echoing the token.
 * `layer(grants)` must build an authorizer that knows exactly these tokens.
 *
 * @example
 * ```ts
 * import { AuthorizerSuite } from "@phasekit/core/testing";
 * import { layerMemory } from "./layer.js"; // the adapter's own layer, in its test file
 *
 * AuthorizerSuite.suite("memory", (tokens) => layerMemory({ tokens }));
 * ```
 */
export function suite<E>(
  name: string,
  layer: (grants: Readonly<Record<string, Principal>>) => Layer.Layer<Authorizer, E>,
): void {
  const run = runWith(layer(GRANTS));

  describe(`${Authorizer.key} conformance: ${name}`, () => {
    it("a token grants its own account every verb it lists, and returns its principal", () =>
      run(
        Effect.gen(function* () {
          const auth = yield* Authorizer;
          for (const verb of VERBS) {
            expect(yield* auth.authorize("alice-admin", verb, "alice")).toEqual(GRANTS["alice-admin"]);
          }
          expect(yield* auth.authorize("bob-token", "create", "bob")).toEqual(GRANTS["bob-token"]);
        }),
      ));

    it("a verb the token lacks, another account, or an unknown token is Unauthorized, naming verb and account", () =>
      run(
        Effect.gen(function* () {
          const auth = yield* Authorizer;
          const refused = [
            ["alice-reader", "delete", "alice"],
            ["alice-admin", "get", "bob"],
            ["nobody-token", "get", "carol"],
            ["no-such-token", "get", "alice"],
            ["", "create", "alice"],
          ] as const;
          for (const [token, verb, account] of refused) {
            const error = yield* failureOf(auth.authorize(token, verb, account));
            expect(error).toBeInstanceOf(Unauthorized);
            expect(error).toMatchObject({ _tag: "Unauthorized", verb, account });
            expect(error.message.length).toBeGreaterThan(0);
            if (token !== "") expect(error.message).not.toContain(token);
          }
        }),
      ));

    it("authorize succeeds exactly when the token is known, its account is the object's and it lists the verb", () =>
      fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(GRANTS), "unknown"),
          fc.constantFrom(...VERBS),
          fc.constantFrom("alice", "bob", "carol", "dave"),
          (token, verb, account) =>
            run(
              Effect.gen(function* () {
                const auth = yield* Authorizer;
                const grant = GRANTS[token];
                const allowed =
                  grant !== undefined && grant.account === account && grant.verbs.includes(verb);
                const result = yield* Effect.result(auth.authorize(token, verb, account));
                expect(result._tag).toBe(allowed ? "Success" : "Failure");
              }),
            ),
        ),
        { numRuns: 100 },
      ));
  });
}

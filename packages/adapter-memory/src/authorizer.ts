import { type AuthorizerShape, type Principal, Unauthorized } from "@phasekit/core";
import { Effect } from "effect";

/** The memory authorizer: the port, and the grants it checks (changeable while it runs). */
export interface MemoryAuthorizer {
  readonly port: AuthorizerShape;
  /** Makes `token` stand for `principal` (replacing what it granted before). */
  readonly grant: (token: string, principal: Principal) => void;
  /** Forgets `token`: every later command carrying it is refused. */
  readonly revoke: (token: string) => void;
  /** Every token and what it grants, in token order. */
  readonly grants: () => ReadonlyMap<string, Principal>;
}

/**
 * A token table. A token grants one account and a list of verbs; anything else is `Unauthorized`,
 * with a message that says which part failed but never repeats the token.
 *
 * @example
 * ```ts
 * const auth = makeMemoryAuthorizer({ "alice-token": { account: "alice", verbs: ["create", "get"] } });
 * Effect.runSync(Effect.flip(auth.port.authorize("alice-token", "delete", "alice"))).message;
 * // 'the token grants "alice" create, get; not delete'
 * ```
 */
export function makeMemoryAuthorizer(initial: Readonly<Record<string, Principal>> = {}): MemoryAuthorizer {
  const principals = new Map<string, Principal>();
  const grant = (token: string, principal: Principal) => {
    principals.set(
      token,
      Object.freeze({ account: principal.account, verbs: Object.freeze([...principal.verbs]) }),
    );
  };
  for (const [token, principal] of Object.entries(initial)) grant(token, principal);

  const port: AuthorizerShape = {
    authorize: (token, verb, account) =>
      Effect.suspend(() => {
        const principal = principals.get(token);
        const refuse = (message: string) => Effect.fail(new Unauthorized({ verb, account, message }));
        if (principal === undefined) return refuse(`unknown token; cannot ${verb} objects of "${account}"`);
        if (principal.account !== account) {
          return refuse(`the token grants account "${principal.account}", not "${account}"`);
        }
        if (!principal.verbs.includes(verb)) {
          return refuse(
            `the token grants "${account}" ${principal.verbs.join(", ") || "no verb"}; not ${verb}`,
          );
        }
        return Effect.succeed(principal);
      }),
  };
  return {
    port,
    grant,
    revoke: (token) => void principals.delete(token),
    grants: () => new Map([...principals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

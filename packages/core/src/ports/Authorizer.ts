import * as Context from "effect/Context";
import * as Data from "effect/Data";
import type * as Effect from "effect/Effect";

/** What a command may do to an account's objects. */
export type Verb = "create" | "terminate" | "delete" | "label" | "get";

/** Who a bearer token stands for. */
export interface Principal {
  readonly account: string;
  readonly verbs: readonly Verb[];
}

/** The token is unknown, or does not grant this verb on this account. Nothing was changed. */
export class Unauthorized extends Data.TaggedError("Unauthorized")<{
  readonly verb: Verb;
  readonly account: string;
  readonly message: string;
}> {}

/** The shape of the authorizer (Dyff's api-server authorization database). */
export interface AuthorizerShape {
  /** The principal if `token` grants `verb` on `account`'s objects, else `Unauthorized`. */
  readonly authorize: (token: string, verb: Verb, account: string) => Effect.Effect<Principal, Unauthorized>;
}

export class Authorizer extends Context.Service<Authorizer, AuthorizerShape>()("@phasekit/core/Authorizer") {}

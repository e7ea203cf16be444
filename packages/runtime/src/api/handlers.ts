import {
  type Authorizer,
  CommandRefused,
  createEntity,
  DecodeError,
  type DyffEntity,
  decode,
  deleteEntity,
  type EventLog,
  editEntityLabels,
  getEntity,
  markEntityUploaded,
  terminateEntity,
  Unauthorized,
  ViewStore,
  viewEntity,
} from "@phasekit/core";
import { Cause, Effect, Exit } from "effect";
import { z } from "zod";
import { byResource, type DyffJson, type ServedKind, toDyff } from "./kinds.js";
import { ApiProblem, invalid, problem } from "./problem.js";
import { type Query, queryOf, selects } from "./query.js";

/**
 * The API's operations over the command API: each decodes its input, runs one program over the
 * ports through the backend, and answers with a Dyff object or an {@link ApiProblem}. Nothing here
 * touches HTTP; `server.ts` does.
 *
 * @module
 */

/** The ports the API uses: the command API's (authorization, the query view, the event log). */
export type ApiPorts = Authorizer | ViewStore | EventLog;

/**
 * Where the API's programs run: any backend whose Layers serve {@link ApiPorts}.
 *
 * @example
 * ```ts
 * const backend = backendFromLayer(layerMemory());
 * ```
 */
export interface ApiBackend {
  /** Runs a program over the ports and says how it ended (the memory runtime also lets its control plane settle). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, ApiPorts>) => Promise<Exit.Exit<A, E>>;
  /** Now, as RFC 3339 (creation times, command times). */
  readonly now: () => string;
  /** Told of every entity created through the API (the memory runtime arms simulated failures here). */
  readonly created?: (entity: DyffEntity) => void;
  /** A new id (Dyff uses 32 hex digits). */
  readonly newId: () => string;
}

/** What an operation answers: a status and a JSON body (undefined: no body). */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

/** The caller, as the bearer token says: the token (passed to the Authorizer, never logged) and its account. */
export interface Caller {
  readonly token: string;
  readonly account: string;
}

const refusalStatus: Record<string, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Terminal: 409,
  Deleted: 409,
  DependencyDeleted: 409,
  DependencyOfAnotherAccount: 409,
  NotUploadable: 409,
};

/** Any failure of a program as a problem. */
function toProblem(error: unknown, caller: Caller, id?: string): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof DecodeError) return invalid(error.message, error.issues);
  if (error instanceof Unauthorized)
    return problem(
      403,
      "account",
      error.account,
      `an object of account "${caller.account}", the account of the token`,
      error.message,
      "Forbidden",
    );
  if (error instanceof CommandRefused)
    return problem(
      refusalStatus[error.code] ?? 409,
      "id",
      id ?? error.id,
      error.code === "NotFound" ? "the id of an existing object" : "an object this command applies to",
      error.message,
      error.code,
    );
  const message = error instanceof Error ? error.message : String(error);
  return problem(503, "backend", null, "a backend that answers", `the backend failed: ${message}`, "Backend");
}

async function run<A>(
  backend: ApiBackend,
  effect: Effect.Effect<A, unknown, ApiPorts>,
  caller: Caller,
  id?: string,
): Promise<A> {
  const exit = await backend.run(effect);
  if (Exit.isSuccess(exit)) return exit.value;
  throw toProblem(Cause.squash(exit.cause), caller, id);
}

const lookup = (id: string) =>
  Effect.gen(function* () {
    const doc = yield* (yield* ViewStore).get(id);
    if (!doc) return undefined;
    const entity = viewEntity(doc);
    return entity instanceof DecodeError ? yield* Effect.fail(entity) : entity;
  });

/** The served kind of a path segment, or a 404 naming it. */
export function servedKind(resource: string): ServedKind {
  const kind = byResource(resource);
  if (!kind)
    throw problem(404, "path", `/${resource}`, "a resource this server serves (see /v0/openapi.json)");
  return kind;
}

/** Gets an object of the kind: 404 when there is none (of that kind), 403 when it is another account's. */
const getOfKind = (kind: ServedKind, caller: Caller, id: string) =>
  Effect.gen(function* () {
    const entity = yield* getEntity(caller.token, id);
    if (entity.kind !== kind.kind)
      return yield* Effect.fail(
        problem(404, "id", id, `the id of a ${kind.kind}`, `${id} is a ${entity.kind}, not a ${kind.kind}`),
      );
    return entity;
  });

/** `GET /<resource>/<id>`. */
export async function getOne(
  backend: ApiBackend,
  kind: ServedKind,
  caller: Caller,
  id: string,
): Promise<Reply> {
  const entity = await run(backend, getOfKind(kind, caller, id), caller, id);
  return { status: 200, body: toDyff(entity) };
}

/** `POST /<resource>`: a 201 with the new Dyff object. */
export async function create(
  backend: ApiBackend,
  kind: ServedKind,
  caller: Caller,
  body: unknown,
): Promise<Reply> {
  const request = decode(kind.request, body, `${kind.kind} create request`);
  if (request instanceof DecodeError) throw invalid(request.message, request.issues);
  if (request.account !== caller.account)
    throw problem(403, "account", request.account, `"${caller.account}", the account of the token`);
  const program = Effect.gen(function* () {
    const dependencies = new Map<string, DyffJson>();
    for (const ref of kind.dependencies(request)) {
      const dependency = yield* lookup(ref.id);
      if (!dependency)
        return yield* Effect.fail(
          problem(404, ref.field, ref.id, `the id of an existing ${ref.kind ?? "object"}`),
        );
      if (ref.kind !== undefined && dependency.kind !== ref.kind)
        return yield* Effect.fail(
          problem(422, ref.field, ref.id, `the id of a ${ref.kind}`, `${ref.id} is a ${dependency.kind}`),
        );
      dependencies.set(ref.field, toDyff(dependency));
    }
    const labels = request.labels && typeof request.labels === "object" ? request.labels : {};
    const { labels: _labels, ...rest } = request;
    return yield* createEntity(
      caller.token,
      {
        kind: kind.kind,
        id: backend.newId(),
        account: request.account,
        spec: kind.spec(request),
        labels,
        document: kind.document(rest, dependencies),
      },
      backend.now(),
    );
  });
  const entity = await run(backend, program, caller);
  backend.created?.(entity);
  const dyff = toDyff(entity);
  return {
    status: 201,
    body: kind.kind === "InferenceSession" ? { inferencesession: dyff, token: "" } : dyff,
  };
}

/** `GET /<resource>?...`: the caller's objects of the kind that match every given parameter. */
export async function query(
  backend: ApiBackend,
  kind: ServedKind,
  caller: Caller,
  params: URLSearchParams,
): Promise<Reply> {
  const q: Query = queryOf(kind, params);
  if (q.account !== undefined && q.account !== caller.account)
    throw problem(403, "account", q.account, `"${caller.account}", the account of the token`);
  const program = Effect.gen(function* () {
    const documents = yield* (yield* ViewStore).list();
    const found: DyffJson[] = [];
    for (const doc of documents) {
      const entity = viewEntity(doc);
      if (entity instanceof DecodeError) return yield* Effect.fail(entity);
      if (entity.kind !== kind.kind || entity.account !== caller.account) continue;
      const dyff = toDyff(entity);
      if (selects(q, dyff)) found.push(dyff);
      if (q.limit !== undefined && found.length >= q.limit) break;
    }
    return found;
  });
  return { status: 200, body: await run(backend, program, caller) };
}

const commandTargets = {
  delete: { status: "Deleted", reason: "DeleteCommand" },
  terminate: { status: "Terminated", reason: "TerminateCommand" },
  finalize: { status: "Ready", reason: null },
} as const;

/** `PUT .../delete`, `PUT .../terminate`, `POST .../finalize`: answers the Status the command moves the object to. */
export async function command(
  backend: ApiBackend,
  kind: ServedKind,
  caller: Caller,
  id: string,
  name: keyof typeof commandTargets,
): Promise<Reply> {
  const program = Effect.gen(function* () {
    const entity = yield* getOfKind(kind, caller, id);
    const at = backend.now();
    const effect =
      name === "delete"
        ? deleteEntity(caller.token, id, at)
        : name === "terminate"
          ? terminateEntity(caller.token, id, at)
          : markEntityUploaded(caller.token, id, at);
    yield* Effect.catchTag(effect, "CommandRefused", (refused) =>
      Effect.fail(
        problem(
          409,
          "status",
          entity.status,
          name === "delete"
            ? "a status other than Deleted"
            : name === "terminate"
              ? `a status that is not terminal (${kind.kind} is over once it is ${entity.status})`
              : `Created (a ${kind.kind} is finalized once)`,
          refused.message,
          refused.code,
        ),
      ),
    );
  });
  await run(backend, program, caller, id);
  return { status: 200, body: commandTargets[name] };
}

const labelsBody = z.looseObject({
  labels: z.record(z.string(), z.string().nullable(), { error: "an object of label values (null removes)" }),
});

/** `PATCH .../labels`: a merge patch (`null` removes a label); 204. */
export async function label(
  backend: ApiBackend,
  kind: ServedKind,
  caller: Caller,
  id: string,
  body: unknown,
): Promise<Reply> {
  const request = decode(labelsBody, body, "labels request");
  if (request instanceof DecodeError) throw invalid(request.message, request.issues);
  const program = Effect.gen(function* () {
    yield* getOfKind(kind, caller, id);
    yield* Effect.catchTag(
      editEntityLabels(caller.token, id, request.labels, backend.now()),
      "DecodeError",
      (e) => Effect.fail(invalid(e.message, e.issues, "labels.")),
    );
  });
  await run(backend, program, caller, id);
  return { status: 204 };
}

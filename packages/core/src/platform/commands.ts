import * as Data from "effect/Data";
import * as Effect from "effect/Effect";
import * as z from "zod";
import { article, decode } from "../decode.js";
import { DecodeError } from "../lifecycle/errors.js";
import { Authorizer, type Unauthorized, type Verb } from "../ports/Authorizer.js";
import { EventLog } from "../ports/EventLog.js";
import type { LogError } from "../ports/Log.js";
import { type ViewDocument, ViewStore, type ViewStoreError } from "../ports/ViewStore.js";
import { type DyffEntity, entityDocument, entityId, labels } from "../systems/dyff/index.js";
import { uploadKinds } from "./aggregator.js";
import { fastEntity } from "./create-fast-path.js";
import { account, fastCreateRequest, requestOwner } from "./create-request-fast-path.js";
import { decodeEntity, type EventMessage, eventRecord, kindOf } from "./messages.js";
import { viewEntity } from "./sink.js";

/**
 * The command API (Dyff's api-server, walkthrough steps 1-4): create, terminate, delete, edit labels,
 * report an upload. Every command that names an object looks it up in the query view (to learn whose
 * it is), checks the bearer token for that account and verb, and only then applies its own rules.
 * A refused command produces nothing. Commands never write the view or the state log: they produce
 * events, which reach the view through the aggregator and the sink (CQRS), so the view they read may
 * lag; the aggregator checks every event again against the machine.
 *
 * @module
 */

export type CommandName = "create" | "terminate" | "delete" | "labels" | "uploaded" | "get";

export type RefusalCode =
  | "NotFound"
  | "AlreadyExists"
  | "Terminal"
  | "Deleted"
  | "DependencyDeleted"
  | "DependencyOfAnotherAccount"
  | "NotUploadable";

/**
 * The command breaks a rule of the platform; nothing was produced.
 *
 * @example
 * ```ts
 * Effect.catchTag(terminateEntity(token, "e1", now), "CommandRefused", (e) => Console.error(e.code, e.message));
 * ```
 */
export class CommandRefused extends Data.TaggedError("CommandRefused")<{
  readonly command: CommandName;
  readonly id: string;
  readonly code: RefusalCode;
  readonly message: string;
}> {}

export { requestAccount, requestOwner } from "./create-request-fast-path.js";

/**
 * What a client sends to create an entity; the platform fills in status, times and schema version.
 *
 * @example
 * ```ts
 * createRequest.parse({ kind: "Dataset", id: "d1", account: "alice" });
 * ```
 */
export const createRequest = z
  .object({
    kind: z.string(),
    id: entityId,
    account,
    spec: z.unknown().default({}),
    labels: labels.default({}),
    document: entityDocument.optional(),
  })
  .strict();
export type CreateRequest = z.input<typeof createRequest>;

/**
 * A labels merge patch: a string sets a label, `null` removes it.
 *
 * @example
 * ```ts
 * labelsPatch.parse({ team: "vision", obsolete: null });
 * ```
 */
export const labelsPatch = z.record(z.string(), z.string().nullable());

const refuse = (command: CommandName, id: string, code: RefusalCode, message: string) =>
  new CommandRefused({ command, id, code, message });

/**
 * Builds the full new entity of a create request at time `at` (Created, no reason), or a DecodeError
 * naming each bad field (`spec.dataset`, `kind`...).
 *
 * @example
 * ```ts
 * newEntity({ kind: "Dataset", id: "d1", account: "alice" }, "2026-01-01T00:00:00Z");
 * ```
 */
export function newEntity(request: unknown, at: string): DyffEntity | DecodeError {
  const r = fastCreateRequest(request) ?? decode(createRequest, request, "create request");
  if (r instanceof DecodeError) return r;
  const input = {
    kind: r.kind,
    id: r.id,
    account: r.account,
    schemaVersion: 0,
    revision: 1,
    creationTime: at,
    lastTransitionTime: at,
    status: "Created",
    reason: null,
    message: null,
    labels: r.labels,
    spec: r.spec,
    ...(r.document ? { document: r.document } : {}),
  };
  // The Create's hand check where it can tell (what the kind's schema returns: create-fast-path.test.ts), else zod.
  const kind = kindOf(r.kind);
  return (kind && fastEntity(input, kind)) || decodeEntity(input, "create request");
}

/**
 * The ids a new entity depends on (`dyffKinds[kind].dependencies`).
 *
 * @example
 * ```ts
 * dependenciesOf(evaluation); // ["svc1", "d1"]
 * ```
 */
export const dependenciesOf = (entity: DyffEntity): readonly string[] =>
  kindOf(entity.kind)!.dependencies(entity.spec);

/**
 * Decides a create: refused when the id is taken, a dependency is Deleted (a Deleted object is never
 * used by new work) or belongs to another account (an account's work uses its own objects). A
 * dependency that does not exist yet is fine: the orchestrator waits for it.
 *
 * @example
 * ```ts
 * decideCreate(entity, undefined, new Map()); // { type: "Create", entity }
 * ```
 */
export function decideCreate(
  entity: DyffEntity,
  existing: DyffEntity | undefined,
  dependencies: ReadonlyMap<string, DyffEntity | undefined>,
): EventMessage | CommandRefused {
  if (existing) return refuse("create", entity.id, "AlreadyExists", `${entity.id} already exists`);
  for (const id of dependenciesOf(entity)) {
    const dependency = dependencies.get(id);
    if (dependency?.status === "Deleted")
      return refuse("create", entity.id, "DependencyDeleted", `dependency ${id} is Deleted`);
    if (dependency && dependency.account !== entity.account)
      return refuse(
        "create",
        entity.id,
        "DependencyOfAnotherAccount",
        `dependency ${id} belongs to account "${dependency.account}", not "${entity.account}"`,
      );
  }
  return { type: "Create", entity };
}

const isTerminal = (e: DyffEntity) => kindOf(e.kind)!.lifecycle.isTerminal(e.status);

/**
 * Terminate applies to work that has not reached a terminal status.
 *
 * @example
 * ```ts
 * decideTerminate(completeEvaluation, "alice", now); // CommandRefused, code "Terminal"
 * ```
 */
export function decideTerminate(entity: DyffEntity, by: string, at: string): EventMessage | CommandRefused {
  if (isTerminal(entity))
    return refuse("terminate", entity.id, "Terminal", `${entity.id} is already ${entity.status}`);
  return { type: "Terminate", by, at };
}

/**
 * Delete applies to everything but a Deleted object.
 *
 * @example
 * ```ts
 * decideDelete(readyModel, "alice", now); // { type: "Delete", by: "alice", at: now }
 * ```
 */
export function decideDelete(entity: DyffEntity, by: string, at: string): EventMessage | CommandRefused {
  if (entity.status === "Deleted")
    return refuse("delete", entity.id, "Deleted", `${entity.id} is already Deleted`);
  return { type: "Delete", by, at };
}

/**
 * A labels patch, checked so that the resulting labels are valid (each bad key or value is named).
 *
 * @example
 * ```ts
 * decideLabels(entity, { team: "a", old: null }, "alice", now); // { type: "Labels", ... }
 * ```
 */
export function decideLabels(
  entity: DyffEntity,
  patch: unknown,
  by: string,
  at: string,
): EventMessage | DecodeError {
  const p = decode(labelsPatch, patch, "labels patch");
  if (p instanceof DecodeError) return p;
  const next: Record<string, string> = { ...entity.labels };
  for (const [k, v] of Object.entries(p)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  const ok = decode(labels, next, "labels patch");
  return ok instanceof DecodeError ? ok : { type: "Labels", labels: p, by, at };
}

/**
 * An upload report applies to an upload kind (Dataset) still in Created.
 *
 * @example
 * ```ts
 * decideUploaded(createdDataset, "alice", now); // { type: "Uploaded", by: "alice", at: now }
 * ```
 */
export function decideUploaded(entity: DyffEntity, by: string, at: string): EventMessage | CommandRefused {
  if (!uploadKinds.has(entity.kind))
    return refuse("uploaded", entity.id, "NotUploadable", `${article(entity.kind)} is not uploaded`);
  if (entity.status !== "Created")
    return refuse("uploaded", entity.id, "Terminal", `${entity.id} is ${entity.status}, not Created`);
  return { type: "Uploaded", by, at };
}

/** Every way a command can fail. */
export type CommandError = DecodeError | Unauthorized | CommandRefused | LogError | ViewStoreError;
type Services = Authorizer | ViewStore | EventLog;

// Generator functions made once (`fnUntraced`): every command runs these, and a fresh `function*`
// per call costs V8 a new generator map.
const viewed = (doc: ViewDocument | undefined) => (doc === undefined ? undefined : viewEntity(doc));

const lookup = Effect.fnUntraced(function* (id: string) {
  const entity = viewed(yield* (yield* ViewStore).get(id));
  return entity instanceof DecodeError ? yield* Effect.fail(entity) : entity;
});

const produce = Effect.fnUntraced(function* (id: string, message: EventMessage) {
  yield* (yield* EventLog).append([eventRecord(id, message)]);
});

const orFail = <A>(x: A | DecodeError | CommandRefused) =>
  x instanceof DecodeError || x instanceof CommandRefused ? Effect.fail(x) : Effect.succeed(x);

/**
 * Creates an entity: authorizes `create` on the request's account, then decodes the request, refuses
 * a taken id or a Deleted dependency, and produces the Create event. Returns the entity as created.
 *
 * @example
 * ```ts
 * const e = yield* createEntity("alice-token", { kind: "Dataset", id: "d1", account: "alice" }, now);
 * ```
 */
export const createEntity: (
  token: string,
  request: unknown,
  at: string,
) => Effect.Effect<DyffEntity, CommandError, Services> = Effect.fnUntraced(function* (
  token: string,
  request: unknown,
  at: string,
) {
  // Authorization first: only the account is read before the token is checked, so a caller
  // without the right learns nothing about what the platform would accept. Plain checks between the
  // port calls, not an Effect per step: this runs once per workload.
  const owner = requestOwner(request);
  if (owner instanceof DecodeError) return yield* Effect.fail(owner);
  yield* (yield* Authorizer).authorize(token, "create", owner.account);
  const entity = newEntity(request, at);
  if (entity instanceof DecodeError) return yield* Effect.fail(entity);
  const view = yield* ViewStore;
  const dependencies = new Map<string, DyffEntity | undefined>();
  for (const id of dependenciesOf(entity)) {
    const dependency = viewed(yield* view.get(id));
    if (dependency instanceof DecodeError) return yield* Effect.fail(dependency);
    dependencies.set(id, dependency);
  }
  const existing = viewed(yield* view.get(entity.id));
  if (existing instanceof DecodeError) return yield* Effect.fail(existing);
  const message = decideCreate(entity, existing, dependencies);
  if (message instanceof CommandRefused) return yield* Effect.fail(message);
  yield* (yield* EventLog).append([eventRecord(entity.id, message)]);
  return entity;
});

const onObjectBody = Effect.fnUntraced(function* (
  command: CommandName,
  verb: Verb,
  decide: (e: DyffEntity, by: string) => EventMessage | DecodeError | CommandRefused,
  token: string,
  id: string,
) {
  const entity = yield* lookup(id);
  if (!entity) return yield* Effect.fail(refuse(command, id, "NotFound", `no object ${id}`));
  const principal = yield* (yield* Authorizer).authorize(token, verb, entity.account);
  yield* produce(id, yield* orFail(decide(entity, principal.account)));
  return entity;
});

/** Looks the object up, authorizes `verb` on its account, decides, produces. */
const onObject =
  (
    command: CommandName,
    verb: Verb,
    decide: (e: DyffEntity, by: string) => EventMessage | DecodeError | CommandRefused,
  ) =>
  (token: string, id: string): Effect.Effect<DyffEntity, CommandError, Services> =>
    onObjectBody(command, verb, decide, token, id);

/**
 * Terminates non-terminal work (`Terminated/TerminateCommand`); an error on terminal work. Returns the object as the view had it.
 *
 * @example
 * ```ts
 * yield* terminateEntity("alice-token", "e1", "2026-01-01T00:05:00Z");
 * ```
 */
export const terminateEntity = (token: string, id: string, at: string) =>
  onObject("terminate", "terminate", (e, by) => decideTerminate(e, by, at))(token, id);

/**
 * Deletes an object (`Deleted/DeleteCommand`); allowed in every status but Deleted.
 *
 * @example
 * ```ts
 * yield* deleteEntity("alice-token", "m1", "2026-01-01T00:05:00Z");
 * ```
 */
export const deleteEntity = (token: string, id: string, at: string) =>
  onObject("delete", "delete", (e, by) => decideDelete(e, by, at))(token, id);

/**
 * Edits labels with a merge patch (`{ team: "a", old: null }`).
 *
 * @example
 * ```ts
 * yield* editEntityLabels("alice-token", "e1", { team: "vision" }, now);
 * ```
 */
export const editEntityLabels = (token: string, id: string, patch: unknown, at: string) =>
  onObject("labels", "label", (e, by) => decideLabels(e, patch, by, at))(token, id);

/**
 * Reports that a Dataset's data is uploaded (authorized as `create`): it becomes Ready.
 *
 * @example
 * ```ts
 * yield* markEntityUploaded("alice-token", "d1", "2026-01-01T00:00:10Z");
 * ```
 */
export const markEntityUploaded = (token: string, id: string, at: string) =>
  onObject("uploaded", "create", (e, by) => decideUploaded(e, by, at))(token, id);

/**
 * Reads an object from the query view, authorized as `get`.
 *
 * @example
 * ```ts
 * const e1 = yield* getEntity("alice-token", "e1"); // as the query view has it
 * ```
 */
export const getEntity = (
  token: string,
  id: string,
): Effect.Effect<DyffEntity, CommandError, Authorizer | ViewStore> =>
  Effect.gen(function* () {
    const entity = yield* lookup(id);
    if (!entity) return yield* Effect.fail(refuse("get", id, "NotFound", `no object ${id}`));
    yield* (yield* Authorizer).authorize(token, "get", entity.account);
    return entity;
  });

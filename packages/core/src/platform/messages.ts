import * as z from "zod";
import { decode } from "../decode.js";
import { DecodeError, type DecodeIssue } from "../lifecycle/errors.js";
import type { LogPosition, ProducerRecord } from "../ports/Log.js";
import { type AnyDyffKind, type DyffEntity, dyffKinds } from "../systems/dyff/index.js";
import { fastEntity, scanCreateEntity } from "./create-fast-path.js";
import { fastEvent, scanEvent } from "./event-fast-path.js";

/**
 * What travels on the two logs of the control plane (status-catalog §1.6). The event log
 * (`dyff.workflows.events`) carries commands and status patches keyed by entity id; the compacted
 * state log (`dyff.workflows.state`) carries the full entity of each id with a version that grows by
 * one on every change. Values are JSON text; decoding returns a {@link DecodeError}, never throws.
 *
 * @module
 */

/**
 * Who wrote a status patch: the orchestrator (admission, waiting, dependencies) or the informer (the cluster).
 *
 * @example
 * ```ts
 * statusAuthor.parse("informer");
 * ```
 */
export const statusAuthor = z.enum(["orchestrator", "informer"]);
export type StatusAuthor = z.infer<typeof statusAuthor>;

const time = z.string().min(1);
const account = z.string().min(1);

/**
 * A new entity, complete, as the command API built it.
 *
 * @example
 * ```ts
 * encodeEvent({ type: "Create", entity });
 * ```
 */
export const createEvent = z.object({ type: z.literal("Create"), entity: z.unknown() }).strict();
/**
 * A status change by target (`{"status": "Admitted", "reason": "Unverified"}`), with its author and time.
 *
 * @example
 * ```ts
 * encodeEvent({ type: "Status", status: "Admitted", reason: "Unverified", author: "informer", at });
 * ```
 */
export const statusEvent = z
  .object({
    type: z.literal("Status"),
    status: z.string().min(1),
    reason: z.string().min(1).nullable(),
    message: z.string().nullable().optional(),
    author: statusAuthor,
    at: time,
  })
  .strict();
/**
 * A user's terminate command (`Terminated/TerminateCommand`); `by` is the account of the token.
 *
 * @example
 * ```ts
 * encodeEvent({ type: "Terminate", by: "alice", at });
 * ```
 */
export const terminateEvent = z.object({ type: z.literal("Terminate"), by: account, at: time }).strict();
/**
 * A user's delete command (`Deleted/DeleteCommand`).
 *
 * @example
 * ```ts
 * encodeEvent({ type: "Delete", by: "alice", at });
 * ```
 */
export const deleteEvent = z.object({ type: z.literal("Delete"), by: account, at: time }).strict();
/**
 * A merge patch of labels: a string sets a label, `null` removes it.
 *
 * @example
 * ```ts
 * encodeEvent({ type: "Labels", labels: { team: "a", old: null }, by: "alice", at });
 * ```
 */
export const labelsEvent = z
  .object({
    type: z.literal("Labels"),
    labels: z.record(z.string(), z.string().nullable()),
    by: account,
    at: time,
  })
  .strict();
/**
 * The user reports that a Dataset's data is uploaded: Created -> Ready.
 *
 * @example
 * ```ts
 * encodeEvent({ type: "Uploaded", by: "alice", at });
 * ```
 */
export const uploadedEvent = z.object({ type: z.literal("Uploaded"), by: account, at: time }).strict();

/**
 * Any event-log message, by `type` (a Create's entity is checked by {@link decodeEvent}).
 *
 * @example
 * ```ts
 * eventMessage.safeParse({ type: "Delete", by: "alice", at: "2026-01-01T00:00:00Z" });
 * ```
 */
export const eventMessage = z.discriminatedUnion("type", [
  createEvent,
  statusEvent,
  terminateEvent,
  deleteEvent,
  labelsEvent,
  uploadedEvent,
]);

/** A decoded event-log value; for `Create`, `entity` has been checked against its kind. */
export type EventMessage =
  | { readonly type: "Create"; readonly entity: DyffEntity }
  | z.infer<typeof statusEvent>
  | z.infer<typeof terminateEvent>
  | z.infer<typeof deleteEvent>
  | z.infer<typeof labelsEvent>
  | z.infer<typeof uploadedEvent>;

/**
 * A state-log value: the full entity and its version (1 for the Create, +1 on every change), and
 * where on the event log the event that made this version was (`applied`). The aggregator skips a
 * record at or before `applied` of the same partition: after a crash between its append and its
 * commit, Kafka delivers those records again, and folding them a second time onto the newer state
 * is not always a no-op (a labels patch `{k: "a"}` re-applied after `{k: "b"}`).
 */
export interface StateMessage {
  readonly version: number;
  readonly entity: DyffEntity;
  readonly applied?: LogPosition;
}

const position = z.number().int().nonnegative();
const stateEnvelope = z
  .object({
    version: z.number().int().positive(),
    entity: z.unknown(),
    applied: z.object({ partition: position, offset: position }).strict().optional(),
  })
  .strict();

/**
 * The kind definition of a kind name, or undefined for a name Dyff does not have.
 *
 * @example
 * ```ts
 * kindOf("Evaluation")?.lifecycle.kind; // "Evaluation"
 * ```
 */
export function kindOf(kind: string): AnyDyffKind | undefined {
  return Object.hasOwn(dyffKinds, kind) ? (dyffKinds as Record<string, AnyDyffKind>)[kind] : undefined;
}

const prefixed = (prefix: string, issues: readonly DecodeIssue[]): DecodeIssue[] =>
  issues.map((i) => ({ ...i, path: i.path === "$" ? prefix : `${prefix}.${i.path}` }));

function parseJson(text: string, subject: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return new DecodeError(subject, [{ path: "$", value: text, expected: "JSON text" }]);
  }
}

/**
 * Decodes an entity of any Dyff kind: its kind picks the schema, which checks the spec and that the
 * status and reason are a state of that kind. `path` prefixes the issue paths (`entity.spec.dataset`).
 *
 * @example
 * ```ts
 * const e = decodeEntity(JSON.parse(text));
 * if (e instanceof DecodeError) console.error(e.message);
 * ```
 */
export function decodeEntity(input: unknown, subject = "Dyff entity", path = ""): DyffEntity | DecodeError {
  const kindName = (input as { kind?: unknown } | null)?.kind;
  const kind = typeof kindName === "string" ? kindOf(kindName) : undefined;
  const issues = (list: DecodeIssue[]) => new DecodeError(subject, path ? prefixed(path, list) : list);
  if (!kind) {
    return issues([
      { path: "kind", value: kindName, expected: `one of ${Object.keys(dyffKinds).join(", ")}` },
    ]);
  }
  const entity = decode(kind.entity, input, subject);
  return entity instanceof DecodeError ? issues([...entity.issues]) : entity;
}

const keyMismatch = (subject: string, path: string, id: string, key: string) =>
  new DecodeError(subject, [{ path, value: id, expected: `the record key "${key}"` }]);

/**
 * Decodes an event-log record's value. A `Create` whose entity id differs from the record key is
 * refused (the key is what orders an entity's messages).
 *
 * @example
 * ```ts
 * const m = decodeEvent("e1", '{"type":"Terminate","by":"alice","at":"2026-01-01T00:00:00Z"}');
 * m instanceof DecodeError ? m.issues : m.type; // "Terminate"
 * ```
 */
export function decodeEvent(key: string, value: string): EventMessage | DecodeError {
  // Five events of six, as `encodeEvent` wrote them, are read without JSON.parse (event-fast-path.ts).
  const scanned = scanEvent(value) ?? scannedCreate(value, key);
  if (scanned) return scanned;
  const subject = `event ${key}`;
  const json = parseJson(value, subject);
  if (json instanceof DecodeError) return json;
  const fast = fastEvent(json) ?? fastCreate(json, key);
  if (fast) return fast;
  const message = decode(eventMessage, json, subject);
  if (message instanceof DecodeError || message.type !== "Create")
    return message as EventMessage | DecodeError;
  const entity = decodeEntity(message.entity, subject, "entity");
  if (entity instanceof DecodeError) return entity;
  if (entity.id !== key) return keyMismatch(subject, "entity.id", entity.id, key);
  return { type: "Create", entity };
}

/** A well-formed Create of the record's entity, checked by hand (`create-fast-path.ts`); else undefined. */
function fastCreate(json: unknown, key: string): EventMessage | undefined {
  const o = json as { type?: unknown; entity?: unknown } | null;
  if (typeof o !== "object" || o === null || o.type !== "Create") return undefined;
  const keys = Object.keys(o);
  if (keys.length !== 2 || !Object.hasOwn(o, "entity")) return undefined;
  const kindName = (o.entity as { kind?: unknown } | null)?.kind;
  const kind = typeof kindName === "string" ? kindOf(kindName) : undefined;
  const entity = kind && fastEntity(o.entity, kind);
  return entity && entity.id === key ? { type: "Create", entity } : undefined;
}

/** A Create read from its text without JSON.parse but for its spec (`scanCreateEntity`), checked by hand; else undefined. */
function scannedCreate(text: string, key: string): EventMessage | undefined {
  const input = scanCreateEntity(text);
  const kind = input && kindOf(input.kind as string);
  const entity = kind && fastEntity(input, kind);
  return entity && entity.id === key ? { type: "Create", entity } : undefined;
}

/**
 * Decodes a state-log record's value; the entity id must equal the key (Dyff's orchestrator skips others).
 *
 * @example
 * ```ts
 * const s = decodeState(record.key, record.value);
 * if (!(s instanceof DecodeError)) s.version;
 * ```
 */
export function decodeState(key: string, value: string): StateMessage | DecodeError {
  const subject = `state ${key}`;
  const json = parseJson(value, subject);
  if (json instanceof DecodeError) return json;
  const envelope = decode(stateEnvelope, json, subject);
  if (envelope instanceof DecodeError) return envelope;
  const entity = decodeEntity(envelope.entity, subject, "entity");
  if (entity instanceof DecodeError) return entity;
  if (entity.id !== key) return keyMismatch(subject, "entity.id", entity.id, key);
  return envelope.applied
    ? { version: envelope.version, entity, applied: envelope.applied }
    : { version: envelope.version, entity };
}

/**
 * The JSON text of an event message (the record value; the key is the entity id).
 *
 * @example
 * ```ts
 * yield* events.append([{ key: "e1", value: encodeEvent({ type: "Delete", by: "alice", at }) }]);
 * ```
 */
export const encodeEvent = (message: EventMessage): string => JSON.stringify(message);

/**
 * The JSON text of a state message.
 *
 * @example
 * ```ts
 * yield* stateLog.append([{ key: "e1", value: encodeState({ version: 2, entity }) }]);
 * ```
 */
export const encodeState = (message: StateMessage): string => JSON.stringify(message);

/** Freezes `o` and what it holds, stopping at what is frozen already (a spec shared by versions). */
function freeze<T>(o: T): T {
  if (typeof o === "object" && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const k in o) freeze((o as Record<string, unknown>)[k]);
  }
  return o;
}

/**
 * Whether decoding the text of an entity gives the entity back exactly. Core's entities are what
 * zod's entity schema returned (its key order, its defaults): JSON data that decodes to itself. A
 * `document` is a client's opaque JSON object that the control plane cannot vouch for (a value
 * JSON drops or changes), so an entity with one is not carried and its readers decode the text.
 */
const carriable = (entity: DyffEntity): boolean => entity.document === undefined;

/** False for a status message with `message: undefined`: its text has no such key, so neither would its decoding. */
const definedFields = (m: EventMessage): boolean =>
  m.type !== "Status" || m.message !== undefined || !Object.hasOwn(m, "message");

/**
 * An event-log record of `message` under `key`: its JSON text, and the message itself for readers in
 * this process ({@link ProducerRecord.decoded}; the Kafka adapter sends only the text). The message
 * is frozen: its readers share it. A Create whose entity has a `document` carries nothing.
 *
 * @example
 * ```ts
 * yield* events.append([eventRecord("e1", { type: "Delete", by: "alice", at })]);
 * ```
 */
export function eventRecord(key: string, message: EventMessage): ProducerRecord<EventMessage> {
  const value = JSON.stringify(message);
  if (message.type === "Create" ? !carriable(message.entity) : !definedFields(message)) return { key, value };
  return { key, value, decoded: { key, value, message: freeze(message) } };
}

/**
 * A state-log record of `state` under `key` (the entity id): its JSON text, and the message itself
 * for readers in this process, as {@link eventRecord} does.
 *
 * @example
 * ```ts
 * yield* stateLog.append([stateRecord(entity.id, { version: 2, entity })]);
 * ```
 */
export function stateRecord(key: string, state: StateMessage): ProducerRecord<StateMessage> {
  const value = JSON.stringify(state);
  if (!carriable(state.entity)) return { key, value };
  return { key, value, decoded: { key, value, message: freeze(state) } };
}

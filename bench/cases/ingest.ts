import {
  DecodeError,
  decode,
  type Lifecycle,
  type StatusPatch,
  type StatusRecord,
  TransitionError,
} from "@phasekit/core";
import { z } from "zod";
import { pairedRatio, race } from "../harness.js";
import { mulberry32, SEED } from "../prng.js";
import type { Figure } from "../report.js";
import { generateStream } from "../stream.js";
import type { Subject } from "../subjects/index.js";

/**
 * Validated ingest: what a consumer of Dyff's event log does with each status message. The message
 * is the informer's status change by target (seed dyff-architecture.txt, step 10: `ID: {"status":
 * "Admitted", "reason": "Unverified"}`), with the fields phasekit's control plane adds (`type`,
 * `message`, `author`, `at`; see `statusEvent` in packages/core/src/platform/messages.ts). The record
 * key is the entity id. Per message: JSON.parse, zod validation against the kind's own statuses and
 * reasons, then `moveTo` on the entity's record. Baseline: JSON.parse alone. Goal: at least 40% of
 * the baseline's throughput. The goal's figure finds the record by slot (an array), as the step case
 * does, so it measures what the issue names (decode, validate, step); a second figure finds it by
 * key in a Map, the cost any consumer pays for its state store, phasekit or not.
 *
 * At-least-once delivery is in the stream: 5% of messages are redeliveries of an earlier one, which
 * `moveTo` turns into no-ops (the entity is still there) or rejections (it has moved on).
 */
export interface IngestSize {
  readonly messages: number;
  readonly live: number;
  readonly rounds: number;
}

/** A decoded status message: a `StatusPatch` with its envelope. */
export interface StatusMessage extends StatusPatch {
  readonly type: "Status";
  readonly reason: string | null;
  readonly author: "orchestrator" | "informer";
  readonly at: string;
}

/**
 * The schema of a status message for one lifecycle: `statusEvent` of the control plane, but with the
 * kind's own statuses and reasons as enums (the control plane takes any non-empty string there and
 * leaves the check to `moveTo`).
 */

export function statusMessage(lc: Lifecycle): z.ZodType<StatusMessage> {
  // The cast: zod types an absent optional field as `undefined`, which exactOptionalPropertyTypes
  // refuses; zod omits the key, so StatusMessage is what parsing returns.
  return z
    .object({
      type: z.literal("Status"),
      status: lc.schemas.status,
      reason: lc.schemas.reason,
      message: z.string().nullable().optional(),
      author: z.enum(["orchestrator", "informer"]),
      at: z.string().min(1),
    })
    .strict() as unknown as z.ZodType<StatusMessage>;
}

interface Messages {
  readonly keys: string[];
  readonly texts: string[];
  /** The live slot of the message's entity, and 1 where the entity is new there. */
  readonly slots: Int32Array;
  readonly fresh: Uint8Array;
  /** The entity's record just before the message, as the generator saw it (for the dropped variant). */
  readonly before: StatusRecord[];
  readonly live: number;
  readonly redelivered: number;
}

/** Status messages from a seeded, valid event stream: one per accepted event, plus redeliveries. */
function messages(subject: Subject, size: IngestSize): Messages {
  const lc = subject.lifecycle;
  const s = generateStream(lc, {
    events: size.messages,
    live: size.live,
    seed: SEED,
    weights: subject.weights,
    noise: 0,
    retire: 0.7,
  });
  const rng = mulberry32(SEED + 2);
  const keys: string[] = [];
  const texts: string[] = [];
  const slots: number[] = [];
  const fresh: number[] = [];
  const before: StatusRecord[] = [];
  const entities: number[] = [];
  const records = new Map<number, StatusRecord>();
  let redelivered = 0;
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; keys.length < size.messages && i < s.length; i++) {
    const e = s.entity[i]!;
    const ev = s.pool[s.event[i]!]!;
    const previous = records.get(e) ?? lc.initial();
    const next = lc.step(previous, ev);
    if (next instanceof Error) continue;
    records.set(e, next);
    before.push(previous);
    entities.push(e);
    slots.push(s.slot[i]!);
    fresh.push(s.fresh[i]!);
    keys.push(`ev-${e.toString(16).padStart(8, "0")}`);
    texts.push(
      JSON.stringify({
        type: "Status",
        status: next.status,
        reason: next.reason,
        message: `${ev.type}: ${next.status}${next.reason ? `/${next.reason}` : ""} after ${i} events`,
        author: ev.type === "wait" || ev.type === "admit" ? "orchestrator" : "informer",
        at: new Date(t0 + i * 10).toISOString(),
      }),
    );
    if (rng() < 0.05 && keys.length > 1) {
      const j = keys.length - 1 - Math.floor(rng() * Math.min(keys.length - 1, 2000));
      keys.push(keys[j]!);
      texts.push(texts[j]!);
      slots.push(slots[j]!);
      fresh.push(0);
      before.push(records.get(entities[j]!)!);
      entities.push(entities[j]!);
      redelivered++;
    }
  }
  return {
    keys,
    texts,
    slots: Int32Array.from(slots),
    fresh: Uint8Array.from(fresh),
    before,
    live: size.live,
    redelivered,
  };
}

function parseOnly(m: Messages): number {
  let n = 0;
  for (let i = 0; i < m.texts.length; i++) if (JSON.parse(m.texts[i]!) !== null) n++;
  return n;
}

function parseValidate(schema: z.ZodType, m: Messages): number {
  let n = 0;
  for (let i = 0; i < m.texts.length; i++) {
    if (!(decode(schema, JSON.parse(m.texts[i]!), "status message") instanceof DecodeError)) n++;
  }
  return n;
}

function ingest(lc: Lifecycle, schema: z.ZodType<StatusMessage>, m: Messages, records: StatusRecord[]) {
  const initial = lc.initial();
  let rejected = 0;
  for (let i = 0; i < m.texts.length; i++) {
    const msg = decode(schema, JSON.parse(m.texts[i]!), "status message");
    if (msg instanceof DecodeError) {
      rejected++;
      continue;
    }
    const k = m.slots[i]!;
    const record = m.fresh[i] === 1 ? initial : records[k]!;
    const next = lc.moveTo(record, msg);
    if (next instanceof Error) rejected++;
    else records[k] = next;
  }
  return rejected;
}

/**
 * The same moves, from the record each entity had before the message (kept by the generator), with
 * the next record dropped: what moveTo costs without keeping state, whose allocations then survive
 * young-generation GCs and get promoted.
 */
function ingestDropped(lc: Lifecycle, schema: z.ZodType<StatusMessage>, m: Messages) {
  let rejected = 0;
  for (let i = 0; i < m.texts.length; i++) {
    const msg = decode(schema, JSON.parse(m.texts[i]!), "status message");
    if (msg instanceof DecodeError) {
      rejected++;
      continue;
    }
    if (lc.moveTo(m.before[i]!, msg) instanceof TransitionError) rejected++;
  }
  return rejected;
}

function ingestKeyed(
  lc: Lifecycle,
  schema: z.ZodType<StatusMessage>,
  m: Messages,
  state: Map<string, StatusRecord>,
) {
  const initial = lc.initial();
  let rejected = 0;
  for (let i = 0; i < m.texts.length; i++) {
    const msg = decode(schema, JSON.parse(m.texts[i]!), "status message");
    if (msg instanceof DecodeError) {
      rejected++;
      continue;
    }
    const key = m.keys[i]!;
    const record = state.get(key) ?? initial;
    const next = lc.moveTo(record, msg);
    if (next instanceof Error) rejected++;
    else if (next !== record) state.set(key, next);
  }
  return rejected;
}

export function ingestCase(subject: Subject, size: IngestSize): Figure[] {
  const lc = subject.lifecycle;
  const m = messages(subject, size);
  const schema = statusMessage(lc);
  let records: StatusRecord[] = new Array(m.live).fill(lc.initial());
  let state = new Map<string, StatusRecord>();
  const rejected = ingest(lc, schema, m, records);
  const rounds = race(
    [
      { name: "parse", ops: m.texts.length, run: () => parseOnly(m) },
      { name: "parse+zod", ops: m.texts.length, run: () => parseValidate(schema, m) },
      {
        name: "parse+zod+moveTo",
        ops: m.texts.length,
        setup: () => (records = new Array(m.live).fill(lc.initial())),
        run: () => ingest(lc, schema, m, records),
      },
      {
        name: "parse+zod+moveTo, dropped",
        ops: m.texts.length,
        run: () => ingestDropped(lc, schema, m),
      },
      {
        name: "parse+zod+Map+moveTo",
        ops: m.texts.length,
        setup: () => (state = new Map()),
        run: () => ingestKeyed(lc, schema, m, state),
      },
    ],
    size.rounds,
  );
  const med = (name: string) => [...rounds[name]!].sort((a, b) => a - b)[rounds[name]!.length >> 1]!;
  const bytes = Math.round(m.texts.reduce((a, t) => a + t.length, 0) / m.texts.length);
  const note = `${m.texts.length} messages (~${bytes} B), ${m.redelivered} redeliveries, ${rejected} rejected by moveTo, ${size.rounds} interleaved rounds`;
  /** One figure: `run`'s messages per second, and its share of the parse-only rate in the same rounds. */
  const figure = (run: string, metric: string, note: string, goal?: Figure["goal"]): Figure => ({
    case: "ingest",
    subject: `${subject.name} status message`,
    metric: `${metric} / parse`,
    value: med(run),
    unit: "msg/s",
    baseline: { name: "JSON.parse", value: med("parse") },
    ratio: pairedRatio(rounds, run, "parse"),
    ratioUnit: "%",
    ...(goal && { goal }),
    note,
  });
  return [
    figure("parse+zod+moveTo", "parse+zod+moveTo", note, { op: ">=", value: 0.4 }),
    figure(
      "parse+zod+Map+moveTo",
      "parse+zod+Map+moveTo",
      "the record found by its key (a fresh string per message, as a consumer gets it) in a Map",
    ),
    figure(
      "parse+zod+moveTo, dropped",
      "parse+zod+moveTo, record dropped",
      "moveTo from the record the entity had, next record not kept: the difference to the goal's figure is what keeping state costs (GC)",
    ),
    figure("parse+zod", "parse+zod", "validation alone, to show where the time goes"),
  ];
}

import * as z from "zod";
import { decode } from "../decode.js";
import type { DecodeError } from "../lifecycle/errors.js";
import type { ResourceRequest } from "./scheduling.js";

/**
 * The orchestrator's admission records in the strongly consistent key-value store, one per workflow
 * under `admission/<id>`. The first write is a compare-and-set against "absent", so a workflow is
 * admitted at most once whatever the duplicates and restarts; later writes (release) compare against
 * the version read. The key-value store cannot delete: a released record stays, marked released.
 *
 * @module
 */

/**
 * The key prefix of admission records.
 *
 * @example
 * ```ts
 * yield* kv.list(admissionPrefix);
 * ```
 */
export const admissionPrefix = "admission/";
/**
 * The key of one workflow's admission record.
 *
 * @example
 * ```ts
 * admissionKey("e1"); // "admission/e1"
 * ```
 */
export const admissionKey = (id: string): string => admissionPrefix + id;

const nonNegative = z.number().nonnegative();

/**
 * The schema of a stored admission record.
 *
 * @example
 * ```ts
 * admissionRecord.safeParse(JSON.parse(stored.value));
 * ```
 */
export const admissionRecord = z
  .object({
    id: z.string().min(1),
    account: z.string().min(1),
    kind: z.string().min(1),
    request: z
      .object({ gpu: nonNegative, cpu: nonNegative, memoryGiB: nonNegative, slots: nonNegative })
      .strict(),
    admittedAt: z.string(),
    /** When the quota was given back (the entity reached a terminal status); null while held. */
    releasedAt: z.string().nullable(),
    /** Whether the workflow object was deleted from the cluster (Terminated, Deleted, FailedDependency). */
    resourceDeleted: z.boolean(),
  })
  .strict();

/** One workflow's admission, as stored. */
export interface AdmissionRecord {
  readonly id: string;
  readonly account: string;
  readonly kind: string;
  readonly request: ResourceRequest;
  readonly admittedAt: string;
  readonly releasedAt: string | null;
  readonly resourceDeleted: boolean;
}

/**
 * The stored text of an admission record.
 *
 * @example
 * ```ts
 * yield* kv.compareAndSet(admissionKey("e1"), null, encodeAdmission(record));
 * ```
 */
export const encodeAdmission = (record: AdmissionRecord): string => JSON.stringify(record);

/**
 * Reads an admission record back, or a DecodeError naming the bad field.
 *
 * @example
 * ```ts
 * const stored = yield* kv.get(admissionKey("e1"));
 * const record = stored && decodeAdmission(admissionKey("e1"), stored.value);
 * ```
 */
export function decodeAdmission(key: string, text: string): AdmissionRecord | DecodeError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return decode(admissionRecord, json, key);
}

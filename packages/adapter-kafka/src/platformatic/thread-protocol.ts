/**
 * What the main thread and the client thread (`client-thread.ts`) say to each other. Types only, so
 * the thread loads this file as it is (Node strips the types). A request that is answered carries a
 * call number, echoed in its {@link Done}.
 *
 * @module
 */

import type { JoinOptions, PartitionOffset } from "../client.js";
import type { ConnectionOptions } from "./group-consumer.js";
import type { ProducerConnection } from "./produce.js";

/** Main thread to client thread. `member` and `producer` are numbers the main thread gives out. */
export type Request =
  | {
      readonly type: "join";
      readonly member: number;
      readonly call: number;
      readonly connection: ConnectionOptions;
      readonly group: string;
      readonly topic: string;
      readonly options: JoinOptions;
    }
  | {
      readonly type: "commit";
      readonly member: number;
      readonly call: number;
      readonly offsets: readonly PartitionOffset[];
    }
  | { readonly type: "close"; readonly member: number; readonly call: number }
  /** The main thread's buffer is full (`pause`) or has room again (`resume`). */
  | { readonly type: "pause" | "resume"; readonly member: number }
  | {
      readonly type: "produce";
      readonly producer: number;
      readonly call: number;
      /** For the producer's first request (on this thread): it connects with these. */
      readonly connection: ProducerConnection;
      readonly topic: string;
      /** Key and value of record i at 2i and 2i + 1. */
      readonly texts: string[];
    }
  /** The producer's client closed. */
  | { readonly type: "release"; readonly producer: number; readonly call: number };

/**
 * Records of one member, in the order the client handed them out. Column by column: one array of
 * strings and two typed arrays cross the threads faster than an object a record.
 */
export interface Records {
  readonly type: "records";
  readonly member: number;
  readonly topic: string;
  readonly partitions: Int32Array;
  readonly offsets: Float64Array;
  /** Key and value of record i at 2i and 2i + 1 ("" for a null key or value). */
  readonly texts: string[];
}

/** Where produced record i landed: `partitions[i]`, `offsets[i]`. */
export interface Positions {
  readonly partitions: Int32Array;
  readonly offsets: Float64Array;
}

/** The answer to a request with a call number: `error` is the failure's text (see `messageOf`). */
export interface Done {
  readonly type: "done";
  readonly call: number;
  readonly error?: string;
  /** The answer to a `produce`. */
  readonly positions?: Positions;
}

/** Client thread to main thread. */
export type Reply =
  | Records
  | Done
  /** The member's consumer failed (its stream errored or closed, or a rejoin failed). */
  | { readonly type: "failed"; readonly member: number; readonly error: string };

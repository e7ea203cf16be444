import {
  createEntity,
  deleteEntity,
  editEntityLabels,
  markEntityUploaded,
  terminateEntity,
} from "@phasekit/core";
import { createRequestOf, type ResourceToCreate } from "./requests.js";

/**
 * What a simulation can be asked to do now, as data, so that one loop serves a synchronous and an
 * asynchronous driver (`Simulation.run`, `AsyncSimulation.run`).
 *
 * @module
 */

/** One operation of a simulation. */
export type Operation =
  | { readonly type: "create"; readonly resource: ResourceToCreate; readonly token: string }
  | { readonly type: "uploaded" | "terminate" | "delete"; readonly id: string; readonly token: string }
  | {
      readonly type: "label";
      readonly id: string;
      readonly labels: Readonly<Record<string, string | null>>;
      readonly token: string;
    }
  | { readonly type: "fail"; readonly id: string; readonly reason: string }
  | {
      readonly type: "advance";
      readonly until: number;
      readonly onInstant?: ((now: number) => void) | undefined;
    }
  | { readonly type: "settle" };

/** The operations that are commands of the command API, sent with a token. */
export type CommandOperation = Extract<Operation, { readonly token: string }>;

/**
 * The command API program of a command operation at the RFC 3339 time `at`, and the entity it is about.
 *
 * @example
 * ```ts
 * commandOf({ type: "terminate", id: "m1", token: "t" }, "2026-01-01T00:00:00.000Z").id; // "m1"
 * ```
 */
export function commandOf(op: CommandOperation, at: string) {
  switch (op.type) {
    case "create":
      return { id: op.resource.id, effect: createEntity(op.token, createRequestOf(op.resource), at) };
    case "uploaded":
      return { id: op.id, effect: markEntityUploaded(op.token, op.id, at) };
    case "terminate":
      return { id: op.id, effect: terminateEntity(op.token, op.id, at) };
    case "delete":
      return { id: op.id, effect: deleteEntity(op.token, op.id, at) };
    case "label":
      return { id: op.id, effect: editEntityLabels(op.token, op.id, op.labels, at) };
  }
}

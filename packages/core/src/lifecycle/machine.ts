import { type AnyStateMachine, setup } from "xstate";
import { fromEntry, type LifecycleSpec, leafReasons, NO_REASON, validateSpec } from "./spec.js";

/**
 * An event offered to a lifecycle. `reason` selects the target reason where the transition takes it
 * from the event; `message` is human text kept on the record; `at` becomes `lastTransitionTime` when
 * the event changes the record (an RFC 3339 timestamp; without it the new record's time is `null`,
 * unknown, never the previous one's).
 *
 * `E` is the event's type and `R` the reasons it may carry; a typed lifecycle takes
 * {@link EventUnion} of its own events, so a wrong type or reason does not compile.
 *
 * @example
 * ```ts
 * const fail: LifecycleEvent<"fail", "SchemaError"> = { type: "fail", reason: "SchemaError", at: "2026-01-01T00:00:00Z" };
 * ```
 */
export interface LifecycleEvent<E extends string = string, R extends string = string> {
  readonly type: E;
  readonly reason?: R | null;
  readonly message?: string | null;
  readonly at?: string | null;
}

/**
 * An event as the table lists it (type and carried reason), typed per event like {@link EventUnion};
 * with the defaults it is {@link EventDescriptor}. What `Lifecycle.allowed` returns, and what
 * `Lifecycle.step` accepts back.
 */
export type EventDescriptorUnion<
  E extends string = string,
  M extends EventReasons<E, string> = EventReasons<E, string>,
> = { [K in E]: { readonly type: K; readonly reason: M[K] | null } }[E];

/** The reasons each event of a kind may carry (`never`: the event carries none). */
export type EventReasons<E extends string = string, R extends string = string> = { readonly [K in E]: R };

/**
 * The events of a kind as a discriminated union on `type`, each with its own reasons: for Dyff's
 * Evaluation, `{ type: "fail"; reason?: "SchemaError" | ... | null } | { type: "admit"; reason?: null } | ...`.
 */
export type EventUnion<
  E extends string = string,
  M extends EventReasons<E, string> = EventReasons<E, string>,
> = {
  [K in E]: LifecycleEvent<K, M[K]>;
}[E];

/** The xstate id of every lifecycle machine's root, used in absolute targets. */
const ROOT = "lifecycle";

/** The xstate state key of a reason (`_` stands for no reason). */
export const reasonKey = (reason: string | null): string => reason ?? NO_REASON;

/** The state value of a (status, reason) leaf, as xstate writes it. */
export const leafValue = (status: string, reason: string | null) => ({ [status]: reasonKey(reason) });

const target = (status: string, reason: string | null) => `#${ROOT}.${status}.${reasonKey(reason)}`;

type Guarded = {
  target: string;
  guard: { type: "reasonIs" | "reasonAbsentOr"; params: { reason: string | null } };
};

/**
 * Builds the xstate machine of a spec: each status is a parent state, each reason a child state
 * (`_` for none), each table column a tag or meta. The machine has no actions, actors, delays or
 * context: it is a definition, stepped with xstate's pure `transition()`.
 */
export function buildMachine(spec: LifecycleSpec): AnyStateMachine {
  validateSpec(spec);
  type On = Record<string, Guarded[]>;
  const statusOn: Record<string, On> = {};
  const leafOn: Record<string, On> = {};
  const push = (on: On, event: string, g: Guarded) => {
    on[event] ??= [];
    on[event].push(g);
  };
  for (const t of spec.transitions) {
    const branches: Guarded[] =
      t.reasons !== undefined
        ? t.reasons.map((r) => ({
            target: target(t.to, r),
            guard: { type: "reasonIs", params: { reason: r } },
          }))
        : [
            {
              target: target(t.to, t.reason ?? null),
              guard: { type: "reasonAbsentOr", params: { reason: t.reason ?? null } },
            },
          ];
    for (const f of t.from) {
      const [status, reason] = fromEntry(f);
      const on =
        reason === undefined
          ? (statusOn[status] ??= {})
          : (leafOn[`${status}\u0000${reasonKey(reason)}`] ??= {});
      for (const b of branches) push(on, t.event, b);
    }
  }
  const states: Record<string, unknown> = {};
  for (const [name, st] of Object.entries(spec.statuses)) {
    const children: Record<string, unknown> = {};
    for (const r of leafReasons(st)) {
      children[reasonKey(r)] = { on: leafOn[`${name}\u0000${reasonKey(r)}`] ?? {} };
    }
    const tags = [st.terminal ? "terminal" : "active", `outcome:${st.outcome ?? "none"}`];
    states[name] = {
      initial: reasonKey(name === spec.initial.status ? spec.initial.reason : (leafReasons(st)[0] ?? null)),
      tags,
      meta: { status: st },
      states: children,
      on: statusOn[name] ?? {},
    };
  }
  const machineSetup = setup({
    types: { events: {} as LifecycleEvent },
    guards: {
      reasonIs: ({ event }, params: { reason: string | null }) => (event.reason ?? null) === params.reason,
      reasonAbsentOr: ({ event }, params: { reason: string | null }) =>
        event.reason == null || event.reason === params.reason,
    },
  });
  type Config = Parameters<typeof machineSetup.createMachine>[0];
  const config = {
    id: ROOT,
    initial: spec.initial.status,
    states,
  } as unknown as Config;
  return machineSetup.createMachine(config) as unknown as AnyStateMachine;
}

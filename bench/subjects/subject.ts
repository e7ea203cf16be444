import type { Lifecycle, LifecycleEvent, StatusRecord } from "@phasekit/core";

/**
 * A machine the step and replay cases measure: its compiled lifecycle, and the same machine written
 * by hand as a switch reducer, which is what a team would write instead of using phasekit. The hand
 * reducer is the baseline, so it must agree with the lifecycle on every event (the cases check it).
 *
 * To add a machine (Run:ai's TrainingJob when it lands): write `subjects/<system>-<kind>.ts` exporting
 * a Subject, and list it in `subjects/index.ts`.
 */
export interface Subject {
  /** `system/Kind`, as the tables print it. */
  readonly name: string;
  readonly lifecycle: Lifecycle;
  /**
   * The hand-written reducer: the next record, the same record when nothing changes, or `null` when
   * the event is not allowed (where the lifecycle returns a TransitionError).
   */
  readonly reduce: (record: StatusRecord, event: LifecycleEvent) => StatusRecord | null;
  /** How often each event type is picked among those allowed, so streams look like real lifecycles. */
  readonly weights: Readonly<Record<string, number>>;
}

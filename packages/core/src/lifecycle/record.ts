/**
 * The status record we persist, shaped like Kubernetes' `metav1.Condition`: never an xstate snapshot,
 * whose format changes between minors.
 */
export interface StatusRecord<S extends string = string, R extends string = string> {
  readonly status: S;
  /** A CamelCase identifier, or `null` where the status carries none. */
  readonly reason: R | null;
  /** Human text; never parsed. */
  readonly message: string | null;
  /** When (status, reason, message) last changed, as RFC 3339 text; `null` before anything happened. */
  readonly lastTransitionTime: string | null;
}

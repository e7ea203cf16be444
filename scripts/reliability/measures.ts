/**
 * Measures the reliability tests take of a run, shared by the tests that record a figure
 * (`recordReliability`): here, the quota breaches counted from the orchestrator's admission records.
 *
 * @module
 */

/** What a breach count reads of an admission record. */
export interface AdmissionSpan {
  readonly account: string;
  readonly admittedAt: string;
  readonly releasedAt: string | null;
}

/**
 * At each admission, whether it took its account over its slots: the number of admissions that
 * did, over every account with a quota (a release at the same instant as an admission counts first).
 *
 * @example
 * ```ts
 * quotaBreaches([{ account: "a", admittedAt: "t1", releasedAt: null }], { a: { slots: 0 } }); // 1
 * ```
 */
export function quotaBreaches(
  records: Iterable<AdmissionSpan>,
  quotas: Readonly<Record<string, { readonly slots: number }>>,
): number {
  const all = [...records];
  let breaches = 0;
  for (const [account, quota] of Object.entries(quotas)) {
    const moves = all
      .filter((r) => r.account === account)
      .flatMap((r) => [
        { at: r.admittedAt, delta: 1 },
        ...(r.releasedAt === null ? [] : [{ at: r.releasedAt, delta: -1 }]),
      ])
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.delta - b.delta));
    let held = 0;
    for (const m of moves) if ((held += m.delta) > quota.slots && m.delta > 0) breaches++;
  }
  return breaches;
}

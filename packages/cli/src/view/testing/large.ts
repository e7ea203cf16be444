import { catalog } from "@phasekit/core";
import { kindViews } from "../data.js";

/**
 * A large run for the page's scale test and bench: `entities` entities spread over every kind of the
 * catalog, each walking its kind's machine from the initial status along real transitions (seeded,
 * so the same size gives the same run), in the simulator's JSONL records. The simulator itself takes
 * about 45 s for 10,000 workloads on this machine (bench `simulator`), all of one kind; this walks
 * every kind's diagram in well under a second.
 *
 * @example
 * ```ts
 * const page = runPage(largeRunJsonl(10_000), "10,000 entities");
 * ```
 */
export function largeRunJsonl(entities: number, seed = 1): string {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const kinds = kindViews(catalog.systems);
  const lines: string[] = [];
  const records: { t: number; line: string }[] = [];
  let end = 0;
  for (let i = 0; i < entities; i++) {
    const k = kinds[i % kinds.length]!;
    const id = `${k.kind.toLowerCase()}-${String(i).padStart(5, "0")}`;
    const statusOf = new Map(k.statuses.map((s) => [s.name, s]));
    let t = Math.floor(random() * 3600);
    let at = k.initial;
    const push = (status: string) => {
      const st = statusOf.get(status)!;
      const reason =
        st.reasons.length > 0 && (st.reasonRequired || random() < 0.3) ? pick(st.reasons).name : null;
      const phase = st.phase;
      records.push({
        t,
        line: JSON.stringify({
          record: "status",
          version: 1,
          t,
          system: k.system,
          kind: k.kind,
          id,
          status,
          reason,
          phase,
        }),
      });
      end = Math.max(end, t);
    };
    if (i % 10 === 0)
      records.push({
        t,
        line: JSON.stringify({
          record: "note",
          version: 1,
          t,
          type: "command",
          command: "create",
          id,
          refused: null,
        }),
      });
    push(at);
    for (let step = 0; step < 8; step++) {
      const next = k.edges.filter((e) => e.from === at && e.to !== at);
      if (next.length === 0 || (statusOf.get(at)!.terminal && random() < 0.8)) break;
      t += 10 + Math.floor(random() * 600);
      at = pick(next).to;
      if (i % 50 === 0 && step === 1)
        records.push({
          t,
          line: JSON.stringify({
            record: "note",
            version: 1,
            t,
            type: "fail",
            id,
            reason: "Injected",
            effect: "now",
          }),
        });
      push(at);
    }
  }
  records.sort((a, b) => a.t - b.t); // stable: each entity's own records keep their order
  for (const r of records) lines.push(r.line);
  lines.push(
    JSON.stringify({
      record: "invariant",
      version: 1,
      name: "a generated run checks nothing",
      held: true,
      detail: null,
    }),
  );
  lines.push(
    JSON.stringify({ record: "summary", version: 1, summary: { seed, until: null, end, held: true } }),
  );
  return `${lines.join("\n")}\n`;
}

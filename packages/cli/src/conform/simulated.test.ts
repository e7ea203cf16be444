import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createSimulator,
  parseScenario,
  readWallarooZips,
  renderJsonl,
  type SimulationResult,
  simulate,
} from "@phasekit/adapter-memory";
import {
  type ConformReport,
  catalog,
  conform,
  DecodeError,
  type Lifecycle,
  type Observation,
  reachability,
  type ViolationType,
} from "@phasekit/core";
import { Effect } from "effect";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ConformPipeline } from "./pipeline.js";

const root = join(import.meta.dirname, "../../../..");
const examples = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => join(root, "examples", f));

/**
 * Runs an example scenario with a seed through the simulator's Promise API. The example that names
 * Wallaroo zips is read as `phasekit simulate` reads it (the zips from disk), then run the same way.
 */
const cache = new Map<string, SimulationResult>();
async function run(file: string, seed: number): Promise<SimulationResult> {
  const key = `${file}#${seed}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const text = readFileSync(file, "utf8");
  let result: SimulationResult;
  if (text.includes(".zip")) {
    const scenario = readWallarooZips(parseScenario(text, file), file, (p) => readFileSync(p));
    if (scenario instanceof DecodeError) throw scenario;
    result = await Effect.runPromise(simulate(scenario, { seed }));
  } else result = await createSimulator(text, file).run({ seed });
  cache.set(key, result);
  return result;
}

const judge = (obs: readonly Observation[]): ConformReport => {
  const r = conform(obs);
  if (r instanceof DecodeError) throw r;
  return r;
};

/** The simulator's history read back through the JSONL reader, as `phasekit conform` reads it. */
function throughReader(result: SimulationResult): { report: ConformReport; observations: Observation[] } {
  const observations: Observation[] = [];
  const p = new ConformPipeline({ format: "phasekit" });
  const text = renderJsonl(result);
  // Odd chunk sizes: a record may be split anywhere.
  for (let i = 0; i < text.length; i += 997) p.push(text.slice(i, i + 997));
  const report = p.end();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const v = JSON.parse(line);
    if ("status" in v) observations.push({ ...v, at: v.t });
  }
  return { report, observations };
}

const scenario = fc.tuple(fc.constantFrom(...examples), fc.nat(1000));
const runs = { numRuns: process.env.CI ? 150 : 40 };
/**
 * Every example file, each with seed 0, run before the random draws of every property below. Only
 * ray-resume.yaml yields Ray histories, so 40 random draws out of 13 files missed it about one run in
 * 25 ((12/13)^40 ≈ 4%), and the "all four systems" check then failed with no seed to replay (it sits
 * outside fc.assert). With these examples each file, hence each system, is always exercised; the random
 * draws still vary the file and the seed on top.
 */
const everyFile = examples.map((f) => [f, 0] as [string, number]);

describe("simulated histories conform", () => {
  it("every history the simulator produces (all four systems, any seed) conforms", async () => {
    const systems = new Set<string>();
    await fc.assert(
      fc.asyncProperty(scenario, async ([file, seed]) => {
        const { report, observations } = throughReader(await run(file, seed));
        for (const o of observations) systems.add(o.system);
        expect(report.violations.map((v) => v.violations[0]!.message)).toEqual([]);
        expect(report.totals.observations).toBe(observations.length);
      }),
      { ...runs, examples: everyFile.map((s) => [s] as [[string, number]]) },
    );
    // Deterministic: the examples above run every file whatever fast-check's seed.
    expect([...systems].sort(), "systems seen across examples/*.yaml").toEqual([
      "dyff",
      "ray",
      "runai",
      "wallaroo",
    ]);
  });

  it("every subsequence keeping each entity's first and last observation conforms (sampling never creates a violation)", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.nat(), async ([file, seed], pick) => {
        const { observations } = throughReader(await run(file, seed));
        const first = new Map<string, number>();
        const last = new Map<string, number>();
        observations.forEach((o, i) => {
          const k = `${o.system}/${o.kind}/${o.id}`;
          if (!first.has(k)) first.set(k, i);
          last.set(k, i);
        });
        let bits = pick;
        const kept = observations.filter((o, i) => {
          const k = `${o.system}/${o.kind}/${o.id}`;
          bits = (Math.imul(bits ^ (bits >>> 15), 0x2c1b3c6d) + i) >>> 0;
          return first.get(k) === i || last.get(k) === i || (bits & 1) === 1;
        });
        expect(judge(kept).violations.map((v) => v.violations[0]!.message)).toEqual([]);
      }),
      { ...runs, examples: everyFile.map((s) => [s, 0] as [[string, number], number]) },
    );
  });
});

type Mutation =
  | "swap"
  | "terminal-earlier"
  | "foreign-reason"
  | "time-backwards"
  | "unknown-status"
  | "after-terminal"
  | "no-path";
const mutations: Mutation[] = [
  "swap",
  "terminal-earlier",
  "foreign-reason",
  "time-backwards",
  "unknown-status",
  "after-terminal",
  "no-path",
];
const expectedType: Record<Mutation, ViolationType> = {
  swap: "time-backwards",
  "terminal-earlier": "after-terminal",
  "foreign-reason": "reason-not-allowed",
  "time-backwards": "time-backwards",
  "unknown-status": "unknown-status",
  "after-terminal": "after-terminal",
  "no-path": "no-path",
};

const lifecycleOf = (o: Observation) => catalog.lifecycle(o.system, o.kind) as Lifecycle;
const leafOf = (o: Observation) =>
  lifecycleOf(o).leafOf(o.status.replace(/^Init:\d+\/\d+$/, "Init:<done>/<total>"), o.reason)!;
const terminal = (o: Observation) => lifecycleOf(o).spec.statuses[leafOfStatus(o)]!.terminal;
const leafOfStatus = (o: Observation) => lifecycleOf(o).leaves[leafOf(o)]!.status;

/**
 * Applies one mutation to one entity's observations (positions in the whole history), choosing with
 * `pick`; returns the mutated history and the entity, or undefined when this history offers no place
 * for the mutation.
 */
function mutate(
  obs: readonly Observation[],
  m: Mutation,
  pick: number,
): { history: Observation[]; id: string } | undefined {
  const byEntity = new Map<string, number[]>();
  obs.forEach((o, i) => {
    const k = `${o.system}/${o.kind}/${o.id}`;
    byEntity.set(k, [...(byEntity.get(k) ?? []), i]);
  });
  const entities = [...byEntity.values()];
  for (let tries = 0; tries < entities.length; tries++) {
    const at = entities[(pick + tries) % entities.length]!;
    const h = [...obs];
    const o = (i: number) => h[at[i]!]!;
    const lc = lifecycleOf(o(0));
    const closure = reachability(lc);
    const lastIdx = at.length - 1;
    switch (m) {
      case "swap": {
        const pairs = at.flatMap((p, i) =>
          at.slice(i + 1).flatMap((q) => (h[p]!.at! < h[q]!.at! ? [[p, q]] : [])),
        );
        if (pairs.length === 0) continue;
        const [p, q] = pairs[pick % pairs.length]!;
        [h[p!], h[q!]] = [h[q!]!, h[p!]!];
        return { history: h, id: o(0).id };
      }
      case "terminal-earlier": {
        const end = o(lastIdx);
        if (!terminal(end)) continue;
        const T = leafOf(end);
        const ks = at.slice(0, -1).filter((p) => leafOf(h[p]!) !== T && !closure.reachable(T, leafOf(h[p]!)));
        if (ks.length === 0) continue;
        const k = ks[pick % ks.length]!;
        h.splice(at[lastIdx]!, 1);
        h.splice(k, 0, { ...end, at: h[k]!.at });
        return { history: h, id: end.id };
      }
      case "foreign-reason": {
        const i = at[pick % at.length]!;
        const target = h[i]!;
        const allowed = new Set(
          lc.leaves.filter((l) => l.status === leafOfStatus(target)).map((l) => l.reason),
        );
        const foreign = lc.leaves
          .map((l) => l.reason)
          .filter((r): r is string => r !== null && !allowed.has(r));
        if (foreign.length === 0) continue;
        h[i] = { ...target, reason: foreign[pick % foreign.length]! };
        return { history: h, id: target.id };
      }
      case "time-backwards": {
        if (at.length < 2) continue;
        const k = 1 + (pick % lastIdx);
        h[at[k]!] = { ...o(k), at: (o(0).at as number) - 1 };
        return { history: h, id: o(0).id };
      }
      case "unknown-status": {
        const i = at[pick % at.length]!;
        h[i] = { ...h[i]!, status: "NoSuchStatus" };
        return { history: h, id: h[i]!.id };
      }
      case "after-terminal": {
        const end = o(lastIdx);
        if (!terminal(end)) continue;
        const T = leafOf(end);
        const targets = lc.leaves.filter((_, l) => l !== T && !closure.reachable(T, l));
        if (targets.length === 0) continue;
        const leaf = targets[pick % targets.length]!;
        h.splice(at[lastIdx]! + 1, 0, { ...end, status: leaf.status, reason: leaf.reason });
        return { history: h, id: end.id };
      }
      case "no-path": {
        const ks = at.filter((p) => !terminal(h[p]!));
        if (ks.length === 0) continue;
        const k = ks[pick % ks.length]!;
        const F = leafOf(h[k]!);
        const targets = lc.leaves.filter((_, l) => l !== F && !closure.reachable(F, l));
        if (targets.length === 0) continue;
        const leaf = targets[pick % targets.length]!;
        h.splice(k + 1, 0, { ...h[k]!, status: leaf.status, reason: leaf.reason });
        return { history: h, id: h[k]!.id };
      }
    }
  }
  return undefined;
}

describe("mutated histories are caught", () => {
  const applied = new Map<Mutation, number>(mutations.map((m) => [m, 0]));
  afterAll(() => {
    // Every mutation kind found a place in some history: none of them passed vacuously.
    for (const [m, n] of applied) expect(n, m).toBeGreaterThan(0);
  });

  it.each(mutations)("%s: produces its violation, naming the entity", async (m) => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.nat(), async ([file, seed], pick) => {
        const { observations } = throughReader(await run(file, seed));
        const mutated = mutate(observations, m, pick);
        if (mutated === undefined) return;
        applied.set(m, applied.get(m)! + 1);
        const report = judge(mutated.history);
        const found = report.violations.filter(
          (v) =>
            v.id === mutated.id &&
            v.violations.some((x) => x.type === expectedType[m] && x.message.includes(mutated.id)),
        );
        expect(
          found.length,
          `${m} on ${mutated.id}: ${JSON.stringify(report.totals.byType)}`,
        ).toBeGreaterThan(0);
      }),
      // Every file is tried, so the afterAll check below never depends on which files were drawn.
      { ...runs, examples: everyFile.map((s) => [s, 0] as [[string, number], number]) },
    );
  });
});

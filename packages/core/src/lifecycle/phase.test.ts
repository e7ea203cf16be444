import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalog } from "../catalog/catalog.js";
import { reasonTransitions } from "../spec/json.js";
import { dyff } from "../systems/dyff/index.js";
import { rayWorkflowLifecycle } from "../systems/ray/workflow.js";
import { arbitraryPath } from "../testing/arbitraries.js";
import { DecodeError } from "./errors.js";
import { isTerminalPhase, type Phase, phaseOf, phaseOfOutcome, phases } from "./phase.js";
import type { StatusSpec } from "./spec.js";

/** Every (system/kind, status, spec) of the catalog. */
const everyStatus = catalog
  .all()
  .flatMap((lc) =>
    (Object.entries(lc.spec.statuses) as [string, StatusSpec][]).map(
      ([name, st]) => [`${lc.system}/${lc.kind}`, name, st] as const,
    ),
  );

describe("the common phase vocabulary", () => {
  it("every status of every kind has exactly one phase from the vocabulary, with a reason (the list names each status lacking one)", () => {
    const lacking = everyStatus
      .filter(([, , st]) => !(phases as readonly unknown[]).includes(st.phase) || !st.phaseRationale?.trim())
      .map(
        ([kind, name, st]) =>
          `${kind} status ${name}: phase ${JSON.stringify(st.phase)}${st.phaseRationale?.trim() ? "" : ", no phaseRationale"} (declare \`phase\`, one of ${phases.join(", ")}, and \`phaseRationale\` beside the status in its machine file)`,
      );
    expect(lacking).toEqual([]);
  });

  it("a terminal status maps to a terminal phase (its outcome's) and a terminal phase only to terminal statuses", () => {
    const wrong = everyStatus
      .filter(([, , st]) =>
        st.terminal
          ? st.outcome === null || st.phase !== phaseOfOutcome[st.outcome]
          : isTerminalPhase(st.phase),
      )
      .map(
        ([kind, name, st]) =>
          `${kind} status ${name}: terminal ${st.terminal}, outcome ${st.outcome}, phase ${st.phase}`,
      );
    expect(wrong).toEqual([]);
  });

  it("no kind's transition leaves a terminal phase for a non-terminal one, except by an event the kind declares in reopenedBy", () => {
    const leaks: string[] = [];
    const unused: string[] = [];
    for (const lc of catalog.all()) {
      const declared = new Set(Object.keys(lc.spec.reopenedBy ?? {}));
      const used = new Set<string>();
      for (const t of reasonTransitions(lc)) {
        const from = phaseOf(lc, t.from.status);
        const to = phaseOf(lc, t.to.status);
        if (!isTerminalPhase(from) || isTerminalPhase(to)) continue;
        if (declared.has(t.event.type)) used.add(t.event.type);
        else
          leaks.push(
            `${lc.system}/${lc.kind}: ${t.from.status} (${from}) -${t.event.type}-> ${t.to.status} (${to})`,
          );
      }
      for (const e of declared)
        if (!used.has(e)) unused.push(`${lc.system}/${lc.kind}: reopenedBy ${e} is never taken`);
    }
    expect(leaks).toEqual([]);
    expect(unused).toEqual([]);
  });

  for (const lc of catalog.all()) {
    it(`${lc.system}/${lc.kind}: on any path, once in a terminal phase the phase stays terminal unless a declared reopening event is taken`, () => {
      const reopeners = new Set(Object.keys(lc.spec.reopenedBy ?? {}));
      fc.assert(
        fc.property(arbitraryPath(lc), ({ events, records }) => {
          let previous: Phase = phaseOf(lc, lc.initial().status);
          records.forEach((r, i) => {
            const phase = phaseOf(lc, r.status);
            if (isTerminalPhase(previous) && !isTerminalPhase(phase))
              expect(reopeners).toContain(events[i]!.type);
            previous = phase;
          });
        }),
      );
    });
  }

  it("given the examples of the TSDoc: Admitted is Running, Terminated is Stopped, Ray's RESUMABLE is Failed", () => {
    expect(phaseOf(dyff.Evaluation, "Admitted")).toBe("Running");
    expect(phaseOf(dyff.Evaluation, "Terminated")).toBe("Stopped");
    expect(phaseOf(rayWorkflowLifecycle, "RESUMABLE")).toBe("Failed");
    expect(phaseOf(rayWorkflowLifecycle, "PENDING")).toBe("Queued");
  });

  it("the phase of a status is literal-typed: a status the kind lacks does not compile", () => {
    // @ts-expect-error: Evaluation has no status Ready
    expect(() => phaseOf(dyff.Evaluation, "Ready")).toThrow(/no status Ready/);
  });
});

describe("catalog.phase", () => {
  it("reads a status's phase by names, Run:ai's displayed Init:1/2 as Init:<done>/<total>", () => {
    expect(catalog.phase("ray", "Workflow", "PENDING")).toBe("Queued");
    expect(catalog.phase("runai", "DistributedJob", "Init:1/2")).toBe("Starting");
    expect(catalog.phase("dyff", "Evaluation", "Created")).toBe("Pending");
  });

  it("given an unknown status or kind: a DecodeError naming the field, the value and what exists", () => {
    const status = catalog.phase("dyff", "Evaluation", "Bogus");
    expect(status).toBeInstanceOf(DecodeError);
    expect((status as DecodeError).message).toMatch(/status.*Bogus.*Created, Admitted/);
    expect(catalog.phase("dyff", "Nope", "Created")).toBeInstanceOf(DecodeError);
    expect(catalog.phase("dyff", "Evaluation", "toString")).toBeInstanceOf(DecodeError);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runaiJobAttributes } from "./attributes.js";
import { deriveRunaiStatus } from "./derive.js";
import { type ContainerSketch, podFixture } from "./pod-fixtures.js";

/** Containers that neither wait with a reason nor failed: what is left for the phase to decide. */
const quiet: fc.Arbitrary<ContainerSketch> = fc.oneof(
  fc.record({ waiting: fc.constant(null) }),
  fc.record({ running: fc.constant(true as const), ready: fc.boolean() }),
);
const exitedZero: fc.Arbitrary<ContainerSketch> = fc.record({
  terminated: fc.record(
    { exitCode: fc.constant(0), reason: fc.constantFrom("Completed", "Whatever") },
    { requiredKeys: ["exitCode"] },
  ),
});
const interactive = fc
  .record({ preemptible: fc.boolean(), retries: fc.nat(3) })
  .map((a) => runaiJobAttributes.parse({ type: "interactive", ...a }));

describe("Run:ai pod derivation: exit 0 and phase Unknown", () => {
  it("an interactive pod whose containers exited 0, or whose phase is Succeeded, never derives CrashLoopBackOff nor an end state", () => {
    fc.assert(
      fc.property(
        interactive,
        fc.constantFrom("Running" as const, "Succeeded" as const),
        fc.array(fc.oneof(exitedZero, quiet), { minLength: 1, maxLength: 3 }),
        (attributes, phase, main) => {
          const d = deriveRunaiStatus({ pods: [podFixture({ phase, main })], attributes });
          expect(d.status).not.toBe("CrashLoopBackOff");
          expect(d.status).not.toBe("Error");
          expect(d.endState).toBe(false);
          if (phase === "Succeeded") expect(["Pending", "Running"]).toContain(d.status);
        },
      ),
    );
  });

  it("phase Unknown derives Running only when a container was last seen running", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("training" as const, "interactive" as const, "distributed" as const),
        fc.array(quiet, { maxLength: 3 }),
        fc.option(fc.constant("node-1"), { nil: undefined }),
        (type, main, nodeName) => {
          const pod = podFixture({ phase: "Unknown", main, ...(nodeName ? { nodeName } : {}) });
          const d = deriveRunaiStatus({ pods: [pod], attributes: runaiJobAttributes.parse({ type }) });
          const seenRunning = main.some((c) => "running" in c);
          expect(d.status === "Running").toBe(seenRunning);
          if (!seenRunning) expect(d.status).toBe(nodeName ? "ContainerCreating" : "Pending");
        },
      ),
    );
  });
});

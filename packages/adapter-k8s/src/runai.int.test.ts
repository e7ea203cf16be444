import { type Lifecycle, runai, runaiLifecycleOf } from "@phasekit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeClient } from "./client.js";
import { nativeTypes, podType } from "./kinds.js";
import { type RunaiStatusChange, type RunaiWatch, watchRunaiStatuses } from "./runai.js";
import { testCluster } from "./testing/env.js";
import { type AdapterNamespace, adapterNamespace } from "./testing/setup.js";
import { waitFor } from "./testing/wait.js";

/**
 * Run:ai statuses from real objects: Jobs created on the API server are turned into pods by the
 * Job controller, bound by the scheduler and played by kwok's stages (annotations choose image
 * pull failures, exit codes, crash loops, init failures); the adapter's watcher, running as its
 * ServiceAccount, derives each job's status with core's `deriveRunaiStatus` on every change. Each
 * test asserts the SEQUENCE of statuses seen through the watch. A status in brackets may be missed:
 * the pod and the Job arrive on two watches, so the Job's verdict can overtake the pod's update.
 */
const { admin, adminClient } = await testCluster();
let ns: AdapterNamespace;
let watch: RunaiWatch;
let client: ReturnType<typeof createKubeClient>;

beforeAll(async () => {
  ns = await adapterNamespace(adminClient, admin, "runai");
  client = createKubeClient({ ...admin, token: ns.token }, { requestTimeoutMs: 10_000 });
  watch = watchRunaiStatuses({ client, namespace: ns.namespace });
  await watch.ready();
});
afterAll(async () => {
  await watch?.stop();
  client?.close();
  await ns?.cleanup();
});

interface JobOptions {
  readonly annotations?: Record<string, string>;
  readonly jobAnnotations?: Record<string, string>;
  readonly restartPolicy?: "Never" | "OnFailure";
  readonly backoffLimit?: number;
  readonly initContainer?: boolean;
  readonly gpu?: number;
}

/** Submits a Job as a user would (admin token); the watcher sees it through its own token. */
const submit = (name: string, o: JobOptions = {}) =>
  adminClient.create(nativeTypes.Job!, ns.namespace, {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, annotations: o.jobAnnotations ?? {} },
    spec: {
      backoffLimit: o.backoffLimit ?? 0,
      template: {
        metadata: { annotations: o.annotations ?? {} },
        spec: {
          restartPolicy: o.restartPolicy ?? "Never",
          ...(o.initContainer
            ? { initContainers: [{ name: "fetch", image: "registry.invalid/fetch:1" }] }
            : {}),
          containers: [
            {
              name: "train",
              image: "registry.invalid/train:1",
              ...(o.gpu ? { resources: { limits: { "nvidia.com/gpu": String(o.gpu) } } } : {}),
            },
          ],
        },
      },
    },
  });

const shown = (c: RunaiStatusChange) => (c.reason ? `${c.display}/${c.reason}` : c.display);

/** Whether `seen` follows `pattern`, where a status in brackets may be missing. */
function follows(seen: readonly string[], pattern: readonly string[], i = 0, j = 0): boolean {
  if (j === pattern.length) return i === seen.length;
  const optional = pattern[j]!.startsWith("[");
  const status = optional ? pattern[j]!.slice(1, -1) : pattern[j];
  if (i < seen.length && seen[i] === status && follows(seen, pattern, i + 1, j + 1)) return true;
  return optional && follows(seen, pattern, i, j + 1);
}

/** Waits for the job's last status, then checks the whole sequence (optional steps in brackets) and that the machine accepts it. */
async function expectSequence(job: string, expected: readonly string[], timeoutMs = 30_000) {
  const final = expected.at(-1)!;
  const seen = await waitFor(
    () => {
      const changes = watch.changes(`Job/${job}`);
      return changes.length > 0 && shown(changes.at(-1)!) === final ? changes : undefined;
    },
    `Job/${job} to show ${final} (so far: ${watch.changes(`Job/${job}`).map(shown).join(" -> ")})`,
    timeoutMs,
  );
  // A change of the workload status alone repeats the job status: compare job statuses without repeats.
  const statuses = seen.map(shown).filter((s, i, all) => i === 0 || s !== all[i - 1]);
  const why = seen.map(
    (c) => `${shown(c)} (${c.decidedBy.object} ${c.decidedBy.field}: ${c.decidedBy.rule})`,
  );
  expect(follows(statuses, expected), `${why.join(" -> ")} does not follow ${expected.join(" -> ")}`).toBe(
    true,
  );
  const lifecycle: Lifecycle =
    runaiLifecycleOf[seen[0]!.kind === "InteractiveJob" ? "interactive" : "training"];
  let record = lifecycle.initial();
  for (const c of seen) {
    const next = lifecycle.moveTo(record, { status: c.status, reason: c.reason });
    expect(next instanceof Error, `${record.status} -> ${c.status}`).toBe(false);
    if (!(next instanceof Error)) record = next;
  }
  // The same objects in Run:ai's workload model: every step is one its machine accepts.
  let workload = runai.Workload.initial();
  for (const c of seen) {
    const next = runai.Workload.moveTo(workload, { status: c.workload.status, reason: null });
    expect(next instanceof Error, `Workload ${workload.status} -> ${c.workload.status}`).toBe(false);
    if (!(next instanceof Error)) workload = next;
  }
  return seen;
}

describe("Run:ai statuses of real Jobs, through the watch", () => {
  it("a training job that succeeds: Pending -> ContainerCreating -> Running -> Succeeded", async () => {
    await submit("ok");
    const seen = await expectSequence("ok", ["Pending", "ContainerCreating", "Running", "Succeeded"]);
    expect(seen.at(-1)!.endState).toBe(true);
    const workload = seen.map((c) => c.workload.status).filter((s, i, all) => i === 0 || s !== all[i - 1]);
    expect(
      follows(workload, ["[Creating]", "Pending", "Initializing", "Running", "Completed"]),
      workload.join(" -> "),
    ).toBe(true);
  });

  it("an image that cannot be pulled: ErrImagePull, then ImagePullBackOff (kubelet's waiting reasons)", async () => {
    await submit("pull", { annotations: { "kwok.phasekit.dev/image-pull-error": "true" } });
    const seen = await expectSequence("pull", [
      "Pending",
      "ContainerCreating",
      "ErrImagePull",
      "ImagePullBackOff",
    ]);
    expect(seen.at(-1)!.decidedBy.field).toContain("state.waiting.reason");
  });

  it("a container that exits with code 3 and no retry left: Running -> [Error] -> Fail, decided by the Job's Failed condition", async () => {
    await submit("exit3", { annotations: { "kwok.phasekit.dev/exit-code": "3" } });
    const seen = await expectSequence("exit3", [
      "Pending",
      "ContainerCreating",
      "Running",
      "[Error]",
      "Fail",
    ]);
    expect(seen.at(-1)!.decidedBy.rule).toBe("job-failed");
    const pods = await adminClient.list(podType, ns.namespace, { labelSelector: "job-name=exit3" });
    const terminated = (
      pods.items[0]!.status as { containerStatuses: { state: { terminated: { exitCode: number } } }[] }
    ).containerStatuses[0]!.state.terminated;
    expect(terminated.exitCode).toBe(3);
  });

  it("an OOM-killed container (exit 137, reason OOMKilled): kubectl shows OOMKilled while Run:ai shows [Error], then Fail", async () => {
    await submit("oom", {
      annotations: { "kwok.phasekit.dev/exit-code": "137", "kwok.phasekit.dev/exit-reason": "OOMKilled" },
    });
    const seen = await expectSequence("oom", ["Pending", "ContainerCreating", "Running", "[Error]", "Fail"]);
    const error = seen.find((c) => c.status === "Error");
    if (error) expect(error.kubectl).toBe("OOMKilled");
  });

  it("a failed attempt with a retry left: Error, a new pod, Running again, then Fail when the retry fails too", async () => {
    // The Job controller waits ~10 s before the second pod (its failure back-off).
    await submit("retry", { backoffLimit: 1, annotations: { "kwok.phasekit.dev/exit-code": "4" } });
    await expectSequence(
      "retry",
      [
        "Pending",
        "ContainerCreating",
        "Running",
        "Error",
        "[Pending]",
        "ContainerCreating",
        "Running",
        "[Error]",
        "Fail",
      ],
      60_000,
    );
  });

  it("an interactive job whose container keeps crashing (restartPolicy OnFailure): Running -> CrashLoopBackOff", async () => {
    await submit("crash", {
      restartPolicy: "OnFailure",
      backoffLimit: 6,
      jobAnnotations: { "runai.phasekit.dev/job-type": "interactive" },
      annotations: { "kwok.phasekit.dev/exit-code": "1", "runai.phasekit.dev/job-type": "interactive" },
    });
    const seen = await expectSequence("crash", [
      "Pending",
      "ContainerCreating",
      "Running",
      "CrashLoopBackOff",
    ]);
    expect(seen[0]!.kind).toBe("InteractiveJob");
  });

  it("an init container that fails (exit 2, restartPolicy Never): the training job shows [Error], then Fail", async () => {
    await submit("init", { initContainer: true, annotations: { "kwok.phasekit.dev/init-exit-code": "2" } });
    await expectSequence("init", ["Pending", "ContainerCreating", "[Error]", "Fail"]);
  });

  it("a job that asks for more GPUs than any node has: Pending/NotEnoughResources (the scheduler's Unschedulable)", async () => {
    await submit("greedy", { gpu: 64 });
    const seen = await expectSequence("greedy", ["Pending", "Pending/NotEnoughResources"]);
    expect(seen.at(-1)!.decidedBy.value).toBe("Unschedulable");
  });

  it("a running job deleted with foreground propagation: Running -> Terminating -> Deleted", async () => {
    await submit("long", { annotations: { "kwok.phasekit.dev/run-duration": "1h" } });
    await waitFor(() => watch.changes("Job/long").at(-1)?.status === "Running", "Job/long Running");
    await client.delete(nativeTypes.Job!, ns.namespace, "long", "Foreground");
    await expectSequence("long", ["Pending", "ContainerCreating", "Running", "Terminating", "Deleted"]);
  });
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Io } from "../io.js";
import { run } from "../main.js";

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), interactive: false };
  const code = await run(argv, io);
  return { code, out, err };
}

const examples = new URL("../../../../examples/runai/", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "phasekit-explain-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

/** What each example must show: status (display), end state, resources allocated, deciding field. */
const expected: Record<string, [string, boolean, boolean, string]> = {
  "pending-unscheduled-pod.yaml": ["Pending", false, false, "status.conditions[0].reason"],
  "running-training-pod.yaml": ["Running", false, true, "status.phase"],
  "succeeded-job.yaml": ["Succeeded", true, false, "status.conditions[1].type"],
  "crashloop-interactive-pod.yaml": [
    "CrashLoopBackOff",
    false,
    true,
    "status.containerStatuses[0].state.waiting.reason",
  ],
  "image-pull-backoff-pod.yaml": [
    "ImagePullBackOff",
    false,
    true,
    "status.containerStatuses[0].state.waiting.reason",
  ],
  "mpi-launcher-init.yaml": ["Init:1/2", false, true, "status.initContainerStatuses[1].state"],
  "terminating-pod.yaml": ["Terminating", false, true, "metadata.deletionTimestamp"],
  "failed-job-backoff.json": ["Fail", true, false, "status.conditions[1].type"],
  "workspace-pod-runai-owned.yaml": ["Running", false, true, "status.phase"],
};

describe("phasekit explain runai", () => {
  it("every example under examples/runai has an expected status", () => {
    const files = readdirSync(examples).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, [display, endState, allocated, field]] of Object.entries(expected)) {
    it(`${name} shows ${display}`, async () => {
      const { code, out } = await cli("explain", "runai", join(examples, name), "--format", "json");
      expect(code).toBe(0);
      const { results } = JSON.parse(out);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({
        display,
        endState,
        resourcesAllocated: allocated,
        decidedBy: { field },
      });
    });
  }

  it("the text format names the status, end state, resources and the deciding field", async () => {
    const { code, out } = await cli("explain", "runai", join(examples, "pending-unscheduled-pod.yaml"));
    expect(code).toBe(0);
    expect(out).toContain("status               Pending (NotEnoughResources)");
    expect(out).toContain("end state            no");
    expect(out).toContain("resources allocated  no");
    expect(out).toContain(
      'decided by           Pod/train-resnet-0-0 status.conditions[0].reason = "Unschedulable"',
    );
    expect(out).toContain("workload status      Pending (Run:ai 2.16+ workload model; end state no)");
  });

  it("shows both models: the seed's job status and the current workload status, for every example", async () => {
    const workload: Record<string, string> = {
      "pending-unscheduled-pod.yaml": "Pending",
      "running-training-pod.yaml": "Running",
      "succeeded-job.yaml": "Completed",
      "crashloop-interactive-pod.yaml": "Degraded",
      "image-pull-backoff-pod.yaml": "Degraded",
      "mpi-launcher-init.yaml": "Initializing",
      "terminating-pod.yaml": "Pending",
      "failed-job-backoff.json": "Failed",
      "workspace-pod-runai-owned.yaml": "Running",
    };
    for (const [name, status] of Object.entries(workload)) {
      const { out } = await cli("explain", "runai", join(examples, name), "--format", "json");
      const [r] = JSON.parse(out).results;
      expect(r.workload, name).toMatchObject({ status, since: "2.16" });
      expect(r.status, name).toBe(expected[name]![0].replace(/^Init:.*/, "Init:<done>/<total>"));
    }
  });

  it("flags override annotations: the same pod is Preempted or Pending depending on --preemptible", async () => {
    const evicted = file(
      "evicted.yaml",
      `apiVersion: v1
kind: Pod
metadata: { name: nb-0, annotations: { runai.phasekit.dev/job-type: interactive, runai.phasekit.dev/preemptible: "true" } }
spec: { containers: [{ name: nb }] }
status: { phase: Failed, reason: Evicted }
`,
    );
    const json = async (...flags: string[]) =>
      JSON.parse((await cli("explain", "runai", evicted, "--format", "json", ...flags)).out).results[0];
    expect(await json()).toMatchObject({ status: "Preempted", endState: true });
    expect(await json("--preemptible", "false")).toMatchObject({ status: "Pending" });
    expect(await json("--scheduler-running", "false")).toMatchObject({
      status: "Unknown",
      decidedBy: { rule: "scheduler-was-down" },
    });
  });

  it("a List of several pods gives one result per job; YAML documents separated by --- make a List", async () => {
    const two = file(
      "two.yaml",
      `apiVersion: v1
kind: Pod
metadata: { name: a }
spec: { containers: [{ name: c }] }
---
apiVersion: v1
kind: Pod
metadata: { name: b }
spec: { containers: [{ name: c }] }
status: { phase: Running }
`,
    );
    const { code, out } = await cli("explain", "runai", two, "--type", "training", "--format", "json");
    expect(code).toBe(0);
    expect(
      JSON.parse(out).results.map((r: { subject: string; status: string }) => `${r.subject}=${r.status}`),
    ).toEqual(["Pod/a=Pending", "Pod/b=Running"]);
  });

  it("a file that is not a Pod or Job exits 2 naming the file, the path and what was expected", async () => {
    const service = file("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: { name: s }\n");
    const r = await cli("explain", "runai", service);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${service}: 1 problem`);
    expect(r.err).toContain('kind: got "Service", expected one of Pod, Job, List, PodList, JobList');
  });

  it("a missing required field exits 2 with its path, its value and what was expected", async () => {
    const bad = file(
      "bad.json",
      JSON.stringify({
        kind: "List",
        items: [
          { apiVersion: "v1", kind: "Pod", metadata: {}, spec: { containers: [] } },
          {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "p" },
            spec: { containers: [{ name: "c" }] },
            status: { phase: "Bogus" },
          },
        ],
      }),
    );
    const r = await cli("explain", "runai", bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain(bad);
    expect(r.err).toContain("items[0].metadata.name: got nothing, expected a string (the field is required)");
    expect(r.err).toContain("items[0].spec.containers: got [], expected at least one container");
    expect(r.err).toContain(
      'items[1].status.phase: got "Bogus", expected one of Pending, Running, Succeeded, Failed, Unknown',
    );
    expect(r.err).not.toContain("    at ");
  });

  it("Run:ai's own marks give the type: its workload owner kinds, then its priority class; --type overrides", async () => {
    const ws = join(examples, "workspace-pod-runai-owned.yaml");
    const json = async (path: string, ...flags: string[]) =>
      JSON.parse((await cli("explain", "runai", path, "--format", "json", ...flags)).out).results[0];
    expect(await json(ws)).toMatchObject({
      kind: "InteractiveJob",
      typeFrom: {
        object: "Pod/ws-alice-0-0",
        field: "metadata.ownerReferences[0].kind",
        value: "InteractiveWorkload",
      },
    });
    expect(await json(ws, "--type", "training")).toMatchObject({
      kind: "TrainingJob",
      typeFrom: { object: "flags", field: "--type", value: "training" },
    });
    const { out } = await cli("explain", "runai", ws);
    expect(out).toContain(
      'type from            Pod/ws-alice-0-0 metadata.ownerReferences[0].kind = "InteractiveWorkload"',
    );
    // interactive-preemptible also says preemptible: an eviction ends the job as Preempted.
    const evicted = file(
      "runai-evicted.yaml",
      `apiVersion: v1
kind: Pod
metadata: { name: nb-1 }
spec: { containers: [{ name: nb }], priorityClassName: interactive-preemptible }
status: { phase: Failed, reason: Evicted }
`,
    );
    expect(await json(evicted)).toMatchObject({
      kind: "InteractiveJob",
      status: "Preempted",
      typeFrom: { field: "spec.priorityClassName", value: "interactive-preemptible" },
    });
    expect(await json(evicted, "--preemptible", "false")).toMatchObject({ status: "Pending" });
    // Two pods of one RunaiJob (no batch Job) are one job; a build label makes it interactive.
    const runaiJob = file(
      "runaijob.yaml",
      `apiVersion: v1
kind: Pod
metadata:
  name: dev-0
  labels: { priorityClassName: build }
  ownerReferences: [{ apiVersion: run.ai/v1, kind: RunaiJob, name: dev, uid: u1 }]
spec: { containers: [{ name: c }] }
status: { phase: Running }
---
apiVersion: v1
kind: Pod
metadata:
  name: dev-1
  ownerReferences: [{ apiVersion: run.ai/v1, kind: RunaiJob, name: dev, uid: u1 }]
spec: { containers: [{ name: c }] }
`,
    );
    const both = JSON.parse((await cli("explain", "runai", runaiJob, "--format", "json")).out).results;
    expect(both).toHaveLength(1);
    expect(both[0]).toMatchObject({ subject: "RunaiJob/dev", kind: "InteractiveJob" });
  });

  it("a lone pod without a Run:ai type, a bad flag, a missing file or broken YAML exit 2", async () => {
    const lone = file(
      "lone.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c }] }\n",
    );
    const noType = await cli("explain", "runai", lone);
    expect(noType).toMatchObject({
      code: 2,
      err: expect.stringContaining('Pod/p metadata.annotations["runai.phasekit.dev/job-type"]'),
    });
    expect((await cli("explain", "runai", lone, "--type", "batch")).err).toContain('--type: got "batch"');
    expect((await cli("explain", "runai", lone, "--retries", "-1")).code).toBe(2);
    expect((await cli("explain", "runai", join(scratch, "nope.yaml"))).err).toContain("no such file");
    expect((await cli("explain", "runai", file("broken.yaml", "a: [\n"))).err).toContain("not valid YAML");
    expect((await cli("explain", "ray", lone)).err).toContain("expected runai");
  });
});

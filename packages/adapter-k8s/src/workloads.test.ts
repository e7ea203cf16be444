import { describe, expect, it } from "vitest";
import { deploymentSpec, jobSpec } from "./workloads.js";

const step = {
  kind: "Job",
  name: "e1-client",
  owner: "e1",
  labels: {},
  spec: {
    workflow: { kind: "Evaluation", id: "e1" },
    role: "client",
    resources: { gpu: 2, cpu: 4, memoryGiB: 1.5 },
  },
};

describe("the workloads that run steps", () => {
  it("a Job: one pod, never restarted, asking for the step's resources (GPUs as limits too)", () => {
    const spec = jobSpec(step, { steps: "kubernetes" }, { a: "b" });
    expect(spec).toEqual({
      backoffLimit: 0,
      template: {
        metadata: { labels: { a: "b" } },
        spec: {
          restartPolicy: "Never",
          containers: [
            {
              name: "client",
              image: "registry.invalid/phasekit/client:latest",
              resources: {
                requests: { cpu: "4", memory: "1536Mi", "nvidia.com/gpu": "2" },
                limits: { "nvidia.com/gpu": "2" },
              },
            },
          ],
        },
      },
    });
  });

  it("external steps: the Job controller is told to leave the Job alone (spec.managedBy)", () => {
    expect(jobSpec(step, { steps: "external" }, {}).managedBy).toBe("phasekit.dev/external");
  });

  it("hooks choose the image and the pod's annotations; a spec that is not a step runs a plain container", () => {
    const spec = jobSpec(
      { ...step, spec: { anything: true } },
      {
        steps: "kubernetes",
        image: () => "my/image:1",
        podAnnotations: () => ({ "kwok.phasekit.dev/exit-code": "3" }),
      },
      {},
    );
    expect(spec.template.metadata).toEqual({
      labels: {},
      annotations: { "kwok.phasekit.dev/exit-code": "3" },
    });
    expect(spec.template.spec.containers).toEqual([
      { name: "main", image: "my/image:1", resources: { requests: {} } },
    ]);
  });

  it("a Deployment: one replica, selected by the step's name", () => {
    const spec = deploymentSpec({ ...step, kind: "Deployment" }, { steps: "kubernetes" }, { a: "b" });
    expect(spec.replicas).toBe(1);
    expect(spec.selector).toEqual({ matchLabels: { "phasekit.dev/step": "e1-client" } });
    expect(spec.template.metadata.labels).toEqual({ a: "b", "phasekit.dev/step": "e1-client" });
  });
});

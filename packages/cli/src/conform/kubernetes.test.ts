import { describe, expect, it } from "vitest";
import { KubernetesReader } from "./kubernetes.js";

const runaiPod = (name: string, phase: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "runai-a",
    labels: { priorityClassName: "build" },
    ownerReferences: [{ apiVersion: "run.ai/v1", kind: "RunaiJob", name: "dev", uid: "u1" }],
  },
  spec: { containers: [{ name: "c" }] },
  status: { phase },
});

describe("conform --input kubernetes: Run:ai's own owners", () => {
  it("pods of one RunaiJob (no batch Job) are one entity, typed by Run:ai's priority class", () => {
    const seen: { kind: string; id: string; status: string }[] = [];
    const reader = new KubernetesReader({}, (o) => seen.push({ kind: o.kind, id: o.id, status: o.status }));
    reader.json(runaiPod("dev-0", "Pending"), 1);
    reader.json(runaiPod("dev-1", "Running"), 2);
    expect(seen).toEqual([
      { kind: "InteractiveJob", id: "runai-a/dev", status: "Pending" },
      { kind: "InteractiveJob", id: "runai-a/dev", status: "Running" },
    ]);
  });
});

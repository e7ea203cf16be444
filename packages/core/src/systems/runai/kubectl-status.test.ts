import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kubectlPodStatus } from "./kubectl-status.js";
import { podFixture } from "./pod-fixtures.js";

const ready = { type: "Ready", status: "True" as const };

describe("kubectlPodStatus follows kubectl's printPod", () => {
  it("a new pod shows its phase", () => {
    expect(kubectlPodStatus(podFixture({}))).toMatchObject({
      text: "Pending",
      source: "phase",
      field: "status.phase",
    });
  });

  it("a waiting container's reason wins over the phase, and the first container with a reason wins", () => {
    expect(kubectlPodStatus(podFixture({ main: [{ waiting: "ContainerCreating" }] }))).toMatchObject({
      text: "ContainerCreating",
      field: "status.containerStatuses[0].state.waiting.reason",
    });
    const two = podFixture({ phase: "Running", main: [{ running: true }, { waiting: "ErrImagePull" }] });
    expect(kubectlPodStatus(two)).toMatchObject({
      text: "ErrImagePull",
      field: "status.containerStatuses[1].state.waiting.reason",
    });
    const both = podFixture({ main: [{ waiting: "ImagePullBackOff" }, { waiting: "ErrImagePull" }] });
    expect(kubectlPodStatus(both).text).toBe("ImagePullBackOff");
  });

  it("a terminated container shows its reason, or ExitCode:N / Signal:N without one", () => {
    const at = (terminated: { exitCode: number; reason?: string; signal?: number }) =>
      kubectlPodStatus(podFixture({ phase: "Failed", main: [{ terminated }] }));
    expect(at({ exitCode: 1, reason: "Error" })).toMatchObject({ text: "Error", value: "Error" });
    expect(at({ exitCode: 3 })).toMatchObject({
      text: "ExitCode:3",
      field: "status.containerStatuses[0].state.terminated.exitCode",
    });
    expect(at({ exitCode: 137, signal: 9 }).text).toBe("Signal:9");
  });

  it("Completed while another container runs is Running (NotReady without the Ready condition)", () => {
    const main = [{ terminated: { exitCode: 0, reason: "Completed" } }, { running: true as const }];
    expect(kubectlPodStatus(podFixture({ phase: "Running", main, conditions: [ready] })).text).toBe(
      "Running",
    );
    expect(kubectlPodStatus(podFixture({ phase: "Running", main })).text).toBe("NotReady");
  });

  it("init containers: Init:i/N, Init:<waiting reason>, Init:<terminated reason>, Init:ExitCode:N", () => {
    const main = [{ waiting: "PodInitializing" }];
    const init = (init: NonNullable<Parameters<typeof podFixture>[0]["init"]>) =>
      kubectlPodStatus(podFixture({ initTotal: 2, init, main }));
    expect(init([{ waiting: "PodInitializing" }])).toMatchObject({
      text: "Init:0/2",
      init: { index: 0, total: 2 },
    });
    expect(init([{ terminated: { exitCode: 0, reason: "Completed" } }, { running: true }]).text).toBe(
      "Init:1/2",
    );
    expect(init([{ waiting: "CrashLoopBackOff" }]).text).toBe("Init:CrashLoopBackOff");
    expect(init([{ terminated: { exitCode: 1, reason: "Error" } }])).toMatchObject({
      text: "Init:Error",
      field: "status.initContainerStatuses[0].state.terminated.reason",
    });
    expect(init([{ terminated: { exitCode: 2 } }]).text).toBe("Init:ExitCode:2");
    const done = [
      { terminated: { exitCode: 0, reason: "Completed" } },
      { terminated: { exitCode: 0, reason: "Completed" } },
    ];
    expect(init(done).text).toBe("PodInitializing");
  });

  it("with init container statuses but no spec.initContainers, kubectl prints Init:0/0 (it divides by the spec)", () => {
    const pod = podFixture({
      initTotal: 0,
      init: [{ waiting: "PodInitializing" }],
      main: [{ waiting: null }],
    });
    expect(pod.spec.initContainers).toBeUndefined();
    expect(kubectlPodStatus(pod)).toMatchObject({ text: "Init:0/0", init: { index: 0, total: 0 } });
  });

  it("Init:i/N: N is always len(spec.initContainers), i the first unfinished status, whatever statuses are reported", () => {
    const state = fc.constantFrom<NonNullable<Parameters<typeof podFixture>[0]["init"]>[number]>(
      { waiting: "PodInitializing" },
      { waiting: null },
      { running: true },
      { terminated: { exitCode: 0, reason: "Completed" } },
    );
    fc.assert(
      fc.property(fc.nat(4), fc.array(state, { maxLength: 5 }), (total, init) => {
        const k = kubectlPodStatus(podFixture({ initTotal: total, init, main: [{ waiting: null }] }));
        const first = init.findIndex((c) => !("terminated" in c));
        if (first < 0) expect(k.init).toBeUndefined();
        else expect(k.text).toBe(`Init:${first}/${total}`);
      }),
    );
  });

  it("a started restartable init container (a sidecar) does not hold initialisation back", () => {
    const pod = podFixture({
      initTotal: 1,
      init: [{ running: true }],
      main: [{ waiting: "ContainerCreating" }],
    });
    const sidecar = {
      ...pod,
      spec: { ...pod.spec, initContainers: [{ name: "init-0", restartPolicy: "Always" }] },
    };
    expect(kubectlPodStatus(pod).text).toBe("Init:0/1");
    expect(kubectlPodStatus(sidecar).text).toBe("ContainerCreating");
  });

  it("deletion overrides everything while the phase is not terminal; NodeLost shows Unknown", () => {
    const deletion = "2026-01-01T00:10:00Z";
    expect(
      kubectlPodStatus(podFixture({ deletion, phase: "Running", main: [{ running: true }] })),
    ).toMatchObject({
      text: "Terminating",
      field: "metadata.deletionTimestamp",
    });
    expect(kubectlPodStatus(podFixture({ deletion, initTotal: 1, init: [{ running: true }] })).text).toBe(
      "Terminating",
    );
    expect(kubectlPodStatus(podFixture({ deletion, phase: "Running", reason: "NodeLost" })).text).toBe(
      "Unknown",
    );
    const stopped = podFixture({
      deletion,
      phase: "Failed",
      main: [{ terminated: { exitCode: 143, reason: "Error" } }],
    });
    expect(kubectlPodStatus(stopped).text).toBe("Error");
  });

  it("the pod's reason overrides its phase, and a scheduling gate overrides the reason", () => {
    expect(kubectlPodStatus(podFixture({ phase: "Failed", reason: "Evicted" }))).toMatchObject({
      text: "Evicted",
      field: "status.reason",
    });
    const gate = { type: "PodScheduled", status: "False" as const, reason: "SchedulingGated" };
    expect(kubectlPodStatus(podFixture({ conditions: [gate] }))).toMatchObject({
      text: "SchedulingGated",
      field: "status.conditions[0].reason",
    });
  });
});

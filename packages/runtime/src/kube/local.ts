import { randomUUID } from "node:crypto";
import { type Cluster, type ControlPlane, makeControlPlane } from "@phasekit/core";
import { Cause, type Context, Effect, Exit, Layer, Scope } from "effect";
import type { ApiBackend } from "../api/handlers.js";
import { layerBackend } from "../backend.js";

/**
 * `serve api --kube`: the whole control plane in this process on the memory adapter (logs,
 * key-value store, view, authorizer), with its cluster on a real Kubernetes API server, where the
 * steps run as Jobs and Deployments (on kwok, pods follow its stages). The control plane steps every
 * `pollMs` on the wall clock and after every API request, one round at a time, so a read right after
 * a write sees it as the memory backend does.
 *
 * @module
 */

export interface KubeDyffOptions {
  /** Bearer token -> account. Every token may create, get, label, terminate and delete its account's objects. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The cluster port on Kubernetes (see `kubeCluster`). */
  readonly cluster: Layer.Layer<Cluster, unknown>;
  /** How often the control plane steps when no request comes, milliseconds (default 200). */
  readonly pollMs?: number;
  /** Told when a round of the control plane fails (it goes on with the next round). */
  readonly onError?: (message: string) => void;
}

/** A running control plane over a Kubernetes cluster, for the API server. */
export interface KubeDyff {
  readonly backend: ApiBackend;
  /** Stops the control plane and the cluster's watches. */
  readonly close: () => Promise<void>;
}

const verbs = ["create", "get", "label", "terminate", "delete"] as const;

/**
 * Builds the layers once and starts the control plane; rejects with the cluster's error when the
 * API server cannot be used.
 *
 * @example
 * ```ts
 * const dyff = await startKubeDyff({ tokens: { s3cret: "alice" }, cluster: (await kubeCluster(path)).layer });
 * const api = await startApiServer({ backend: dyff.backend, authenticate });
 * ```
 */
export async function startKubeDyff(options: KubeDyffOptions): Promise<KubeDyff> {
  const principals = Object.fromEntries(
    Object.entries(options.tokens).map(([token, account]) => [token, { account, verbs: [...verbs] }]),
  );
  const layer = layerBackend({
    tokens: principals,
    cluster: { layer: options.cluster, where: "Kubernetes" },
  });
  const scope = Effect.runSync(Scope.make());
  const started = await Effect.runPromiseExit(
    Effect.gen(function* () {
      const context = yield* Layer.buildWithScope(layer, scope);
      const plane = yield* makeControlPlane().pipe(Scope.provide(scope), Effect.provideContext(context));
      return { context, plane };
    }),
  );
  if (Exit.isFailure(started)) {
    await Effect.runPromise(Scope.close(scope, Exit.void));
    throw Cause.squash(started.cause);
  }
  const { context, plane } = started.value as { context: Context.Context<never>; plane: ControlPlane };
  const now = () => new Date().toISOString();
  // One thing at a time: a request's program, then a round of the control plane.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <A>(task: () => Promise<A>): Promise<A> => {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  };
  const round = () =>
    Effect.runPromiseExit(plane.settle(now(), 20)).then((exit) => {
      if (Exit.isFailure(exit)) options.onError?.(String(Cause.squash(exit.cause)));
    });
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    timer = undefined;
    void serial(round).then(() => {
      if (!closed) timer = setTimeout(tick, options.pollMs ?? 200);
    });
  };
  tick();
  return {
    backend: {
      run: (effect) =>
        serial(async () => {
          const exit = await Effect.runPromiseExit(Effect.provideContext(effect, context as never));
          await round();
          return exit as never;
        }),
      now,
      newId: () => randomUUID().replaceAll("-", ""),
    },
    close: async () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await serial(() => Effect.runPromise(Scope.close(scope, Exit.void)));
    },
  };
}

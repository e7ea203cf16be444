import { setTimeout as sleep } from "node:timers/promises";
import {
  isGone,
  KubeApiError,
  type KubeClient,
  type KubeObject,
  type ResourceType,
  TransportError,
} from "../client.js";
import { backoffMs, type WatchTiming } from "./timing.js";

/**
 * A list-then-watch loop over one resource in one namespace, with the cache it feeds: what
 * client-go's reflector does, and what the Node client's informer does not (it stops for good on
 * any error but 410). Lists, then watches from the list's resourceVersion with bookmarks; each
 * event moves the resourceVersion on. A clean close (the server's `timeoutSeconds`) re-watches from
 * there. `410 Gone` (HTTP or a watch ERROR event) lists again, and the relist's differences with the
 * cache are delivered as events, so a listener misses no object's latest state. Any other error
 * re-watches (or re-lists, if no list succeeded yet) after an exponential back-off. A watch silent
 * for `stallMs` (no event, bookmark or close) is presumed stalled: it is dropped and opened again.
 *
 * Level-based: a listener sees every state the watch delivers, but after a relist only the latest
 * state of each object, so it must decide from the state, never count events.
 *
 * @module
 */

/** What happened to an object: from the watch, or found by a relist. */
export interface CacheEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly object: KubeObject;
  readonly previous: KubeObject | undefined;
  readonly source: "watch" | "relist";
}

export type CacheListener = (event: CacheEvent) => void;

/** Counters, for tests and logs. */
export interface ListWatchStats {
  lists: number;
  /** Relists forced by 410 Gone. */
  expired: number;
  /** Restarts after an error (each followed by a back-off). */
  errors: number;
  /** Watches dropped by the watchdog. */
  stalls: number;
  watches: number;
  events: number;
}

export interface ListWatchOptions {
  readonly client: KubeClient;
  readonly type: ResourceType;
  readonly namespace: string;
  readonly labelSelector?: string;
  readonly timing: WatchTiming;
  readonly log?: (message: string) => void;
}

/** An error that retrying cures: no connection, throttling, a server error. */
const passing = (error: unknown): boolean =>
  error instanceof TransportError ||
  (error instanceof KubeApiError && (error.status === 429 || error.status >= 500));

/**
 * One list/watch loop and its cache (see the module note).
 *
 * @example
 * ```ts
 * const jobs = new ListWatch({ client, type: nativeTypes.Job!, namespace: "team-a", timing: defaultWatchTiming });
 * jobs.subscribe((e) => console.log(e.type, e.object.metadata.name));
 * await jobs.ready();
 * // ...
 * await jobs.stop();
 * ```
 */
export class ListWatch {
  private readonly cache = new Map<string, KubeObject>();
  private readonly listeners = new Set<CacheListener>();
  private readonly stopping = new AbortController();
  private resourceVersion: string | undefined;
  private synced = false;
  private lastError: unknown;
  private loop: Promise<void> | undefined;
  private attempted!: () => void;
  /** Settles after the first list attempt, whatever its outcome. */
  private readonly firstAttempt = new Promise<void>((resolve) => {
    this.attempted = resolve;
  });
  readonly stats: ListWatchStats = { lists: 0, expired: 0, errors: 0, stalls: 0, watches: 0, events: 0 };

  constructor(private readonly options: ListWatchOptions) {}

  /** Starts the loop (once). */
  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /** Stops the loop and waits for it to end. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /**
   * Resolves once the cache holds a full list. While the list fails for a passing reason (the
   * server is unreachable, 429 "storage is (re)initializing" right after a CRD is created, 5xx) it
   * waits for the loop's retries, up to `timeoutMs`; any other failure (403, 404) rejects at once
   * with that error, as does the timeout with the last one. The loop keeps trying either way.
   */
  async ready(timeoutMs = 30_000): Promise<void> {
    this.start();
    await this.firstAttempt;
    const deadline = Date.now() + timeoutMs;
    while (!this.synced) {
      if (!passing(this.lastError) || Date.now() > deadline)
        throw this.lastError ?? new Error(`${this.label()}: stopped before a list succeeded`);
      await sleep(50);
    }
  }

  /** The cached objects, by name. */
  items(): ReadonlyMap<string, KubeObject> {
    return this.cache;
  }

  /** The resourceVersion the cache is at. */
  version(): string | undefined {
    return this.resourceVersion;
  }

  /** Calls `listener` on every change from now on; returns the unsubscribe. */
  subscribe(listener: CacheListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: CacheEvent): void {
    this.stats.events++;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log?.(`${this.label()}: listener failed: ${(error as Error).message}`);
      }
    }
  }

  private label(): string {
    return `${this.options.type.plural} in ${this.options.namespace}`;
  }

  private async run(): Promise<void> {
    const { timing } = this.options;
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const healthy = await this.watchOnce();
        // A watch that closes at once with nothing in it is a failure in disguise (a server shutting down).
        failures = healthy ? 0 : failures + 1;
        if (failures > 0)
          await sleep(backoffMs(timing, failures), undefined, { signal: this.stopping.signal });
      } catch (error) {
        this.attempted();
        if (this.stopping.signal.aborted) break;
        if (isGone(error)) {
          this.stats.expired++;
          this.resourceVersion = undefined;
          this.options.log?.(`${this.label()}: ${(error as Error).message}: listing again`);
          continue;
        }
        this.lastError = error;
        this.stats.errors++;
        failures++;
        const wait = backoffMs(timing, failures);
        this.options.log?.(`${this.label()}: ${(error as Error).message}: retrying in ${wait} ms`);
        try {
          await sleep(wait, undefined, { signal: this.stopping.signal });
        } catch {
          break;
        }
      }
    }
    this.attempted();
  }

  private async relist(): Promise<void> {
    const { client, type, namespace, labelSelector } = this.options;
    const list = await client.list(type, namespace, labelSelector ? { labelSelector } : {});
    this.stats.lists++;
    const fresh = new Map(list.items.map((o) => [o.metadata.name, o]));
    const old = new Map(this.cache);
    this.cache.clear();
    for (const [name, o] of fresh) this.cache.set(name, o);
    this.resourceVersion = list.resourceVersion;
    this.synced = true;
    this.attempted();
    for (const [name, o] of fresh) {
      const before = old.get(name);
      if (before === undefined)
        this.emit({ type: "ADDED", object: o, previous: undefined, source: "relist" });
      else if (before.metadata.resourceVersion !== o.metadata.resourceVersion)
        this.emit({ type: "MODIFIED", object: o, previous: before, source: "relist" });
    }
    for (const [name, o] of old)
      if (!fresh.has(name)) this.emit({ type: "DELETED", object: o, previous: o, source: "relist" });
  }

  /**
   * One watch, until the server closes it or the watchdog drops it. False when it closed within a
   * second with nothing in it.
   */
  private async watchOnce(): Promise<boolean> {
    const { client, type, namespace, labelSelector, timing } = this.options;
    // Stopped while listing: an abort that already happened fires no listener, so look first.
    if (this.stopping.signal.aborted) return true;
    const attempt = new AbortController();
    const onStop = () => attempt.abort();
    this.stopping.signal.addEventListener("abort", onStop);
    let stalled = false;
    let delivered = false;
    const opened = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        attempt.abort();
      }, timing.stallMs);
    };
    arm();
    this.stats.watches++;
    try {
      const events = await client.watch(
        type,
        namespace,
        {
          resourceVersion: this.resourceVersion ?? "",
          timeoutSeconds: timing.watchTimeoutSeconds,
          ...(labelSelector ? { labelSelector } : {}),
        },
        attempt.signal,
      );
      for await (const event of events) {
        arm();
        delivered = true;
        if (event.type === "ERROR") throw event.error;
        if (event.type === "BOOKMARK") {
          this.resourceVersion = event.resourceVersion;
          continue;
        }
        const name = event.object.metadata.name;
        const previous = this.cache.get(name);
        if (event.type === "DELETED") this.cache.delete(name);
        else this.cache.set(name, event.object);
        this.resourceVersion = event.object.metadata.resourceVersion ?? this.resourceVersion;
        this.emit({ type: event.type, object: event.object, previous, source: "watch" });
      }
      return delivered || this.stopping.signal.aborted || Date.now() - opened >= 1000;
    } catch (error) {
      if (stalled && !this.stopping.signal.aborted) {
        this.stats.stalls++;
        this.options.log?.(`${this.label()}: no event for ${timing.stallMs} ms: watching again`);
        return true;
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.stopping.signal.removeEventListener("abort", onStop);
      attempt.abort();
    }
  }
}

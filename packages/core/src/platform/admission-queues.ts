import { type OrchestratorAction, quotaLimitMessages } from "./orchestration-rules.js";
import { type HeapItem, makeOrderedHeap, type OrderedHeap } from "./ordered-heap.js";
import {
  type AccountQuota,
  addRequest,
  emptyResourceRequest,
  fitsQuota,
  type Quotas,
  type ResourceRequest,
} from "./scheduling.js";

/**
 * The orchestrator's admission queues, one per account, kept as work changes instead of sorted per
 * decision (issue 9: 15,000 workloads waiting in 30 queues). An account's walk gives the admission
 * actions of `decideOrchestration` for that account: its candidates in `admissionOrder`, admitted from
 * the head while they fit, strict FIFO behind the first that does not, an item larger than the whole
 * quota waiting without blocking, Created/QuotaLimit produced for the items that are not marked yet.
 * The walk touches the admitted items, the blocking head and the unmarked items only: its cost follows
 * the actions, not the queue. Only accounts whose queue or usage changed, or whose last walk acted, are
 * walked again.
 *
 * @module
 */

/** A candidate for admission: computes, Created, dependencies satisfied, no admission record. */
export interface QueuedWork {
  readonly id: string;
  readonly account: string;
  readonly creationTime: string;
  readonly request: ResourceRequest;
  /** Whether Created/QuotaLimit would be produced for it (`wouldEmit`): not shown, not produced for this version. */
  readonly unmarked: boolean;
}

interface Entry extends QueuedWork, HeapItem {
  /** `Date.parse(creationTime)`, parsed once; NaN when it does not parse. */
  readonly time: number;
  /** Requests more than the account's whole quota: waits forever, never blocks. */
  readonly tooBig: boolean;
}

interface Account {
  readonly quota: AccountQuota;
  /** The candidates that can fit the quota, in {@link order}. */
  readonly heap: OrderedHeap<Entry>;
  readonly tooBig: Set<Entry>;
  readonly unmarked: Set<Entry>;
  /** Candidates whose creation time does not parse: `admissionOrder` is no total order then. */
  unparsed: number;
  /** The requests of its admitted, unfinished work by id, and their sum while it is exact. */
  readonly holders: Map<string, ResourceRequest>;
  readonly sum: { gpu: number; cpu: number; memoryGiB: number; slots: number };
  inexact: number;
}

/** `admissionOrder` over parsed times (the same comparison, without parsing per call). */
const order = (a: Entry, b: Entry): number => {
  const byTime = Number.isNaN(a.time)
    ? Number.isNaN(b.time)
      ? a.creationTime.localeCompare(b.creationTime)
      : 1
    : Number.isNaN(b.time)
      ? -1
      : a.time - b.time;
  return byTime !== 0 ? byTime : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

const dimensions = ["gpu", "cpu", "memoryGiB", "slots"] as const;
/** Integer requests this small, at most 2^20 of them, sum exactly in any order (below 2^53). */
const exactRequest = (r: ResourceRequest) =>
  dimensions.every((d) => Number.isInteger(r[d]) && Math.abs(r[d]) <= 2 ** 32);
const sameRequest = (a: ResourceRequest, b: ResourceRequest) => dimensions.every((d) => a[d] === b[d]);

/** The per-account queues and usage; change them only through their methods. */
export interface AdmissionQueues {
  /** Files `id` as a candidate (or as none), in the account its work names. */
  readonly setCandidate: (id: string, work: QueuedWork | undefined) => void;
  /** Records what `id` holds of its account's quota: admitted, unreleased, unfinished work (or none). */
  readonly setHolder: (id: string, holder: { account: string; request: ResourceRequest } | undefined) => void;
  /** The admission actions of the accounts that changed or acted last time, accounts in name order. */
  readonly decide: () => OrchestratorAction[];
}

/**
 * Empty queues for accounts with these quotas (an account without one is unlimited).
 *
 * @example
 * ```ts
 * const queues = makeAdmissionQueues({ alice: { gpu: 1 } });
 * queues.setCandidate("e1", { id: "e1", account: "alice", creationTime, request, unmarked: true });
 * queues.decide(); // [{ type: "admit", id: "e1", request }]
 * ```
 */
export function makeAdmissionQueues(quotas: Quotas): AdmissionQueues {
  const accounts = new Map<string, Account>();
  const entries = new Map<string, Entry>();
  const holders = new Map<string, { account: string; request: ResourceRequest }>();
  let dirty = new Set<string>();
  const account = (name: string): Account => {
    let a = accounts.get(name);
    if (!a) {
      const quota = quotas[name] ?? {};
      const sum = { ...emptyResourceRequest };
      a = {
        quota,
        heap: makeOrderedHeap(order),
        tooBig: new Set(),
        unmarked: new Set(),
        unparsed: 0,
        holders: new Map(),
        sum,
        inexact: 0,
      };
      accounts.set(name, a);
    }
    return a;
  };

  const usage = (a: Account): ResourceRequest => {
    if (a.inexact === 0 && a.holders.size <= 2 ** 20) return a.sum;
    // as decideOrchestration sums it: in id order, from nothing
    let used = emptyResourceRequest;
    for (const id of [...a.holders.keys()].sort()) used = addRequest(used, a.holders.get(id)!);
    return used;
  };

  const walk = (a: Account): OrchestratorAction[] => {
    const out: { entry: Entry; action: OrchestratorAction }[] = [];
    const emit = (entry: Entry, message: string) =>
      out.push({
        entry,
        action: { type: "emit", id: entry.id, status: "Created", reason: "QuotaLimit", message },
      });
    let used = usage(a);
    const fits = (entry: Entry) => {
      if (!fitsQuota(used, entry.request, a.quota)) return false;
      out.push({ entry, action: { type: "admit", id: entry.id, request: entry.request } });
      used = addRequest(used, entry.request);
      return true;
    };
    if (a.unparsed > 0) {
      // decideOrchestration's own walk: the queue in id order, sorted, every item visited
      const queue = [...a.heap.items(), ...a.tooBig]
        .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
        .sort(order);
      let blocked = false;
      for (const entry of queue) {
        if (entry.tooBig) {
          if (entry.unmarked) emit(entry, quotaLimitMessages.tooBig);
        } else if (blocked || !fits(entry)) {
          blocked = true;
          if (entry.unmarked) emit(entry, quotaLimitMessages.waiting);
        }
      }
      return out.map((x) => x.action);
    }
    let head: Entry | undefined;
    a.heap.ascending((entry) => {
      if (fits(entry)) return true;
      head = entry;
      return false;
    });
    for (const entry of a.unmarked) {
      if (entry.tooBig) emit(entry, quotaLimitMessages.tooBig);
      else if (head && order(entry, head) >= 0) emit(entry, quotaLimitMessages.waiting);
    }
    return out.sort((x, y) => order(x.entry, y.entry)).map((x) => x.action);
  };

  /** Adds (sign 1) or takes back (-1) what `id` holds to its account's usage. */
  const count = (id: string, h: { account: string; request: ResourceRequest }, sign: 1 | -1) => {
    const a = account(h.account);
    if (sign > 0) a.holders.set(id, h.request);
    else a.holders.delete(id);
    if (exactRequest(h.request)) for (const d of dimensions) a.sum[d] += sign * h.request[d];
    else a.inexact += sign;
    dirty.add(h.account);
  };

  const remove = (entry: Entry) => {
    const a = accounts.get(entry.account)!;
    if (entry.tooBig) a.tooBig.delete(entry);
    else a.heap.remove(entry);
    a.unmarked.delete(entry);
    if (Number.isNaN(entry.time)) a.unparsed--;
    entries.delete(entry.id);
    dirty.add(entry.account);
  };

  return {
    setCandidate: (id, work) => {
      const held = entries.get(id);
      if (
        held &&
        work &&
        held.account === work.account &&
        held.creationTime === work.creationTime &&
        held.unmarked === work.unmarked &&
        sameRequest(held.request, work.request)
      )
        return;
      if (held) remove(held);
      if (!work) return;
      const a = account(work.account);
      const time = held?.creationTime === work.creationTime ? held.time : Date.parse(work.creationTime);
      const tooBig = !fitsQuota(emptyResourceRequest, work.request, a.quota);
      const entry: Entry = { ...work, time, tooBig, slot: -1 };
      entries.set(id, entry);
      if (tooBig) a.tooBig.add(entry);
      else a.heap.push(entry);
      if (work.unmarked) a.unmarked.add(entry);
      if (Number.isNaN(time)) a.unparsed++;
      dirty.add(work.account);
    },
    setHolder: (id, holder) => {
      const held = holders.get(id);
      if (held === undefined && holder === undefined) return; // most work holds nothing: no change
      if (held && holder && held.account === holder.account && sameRequest(held.request, holder.request))
        return;
      if (held) count(id, held, -1);
      if (holder) {
        count(id, holder, 1);
        holders.set(id, holder);
      } else holders.delete(id);
    },
    decide: () => {
      const actions: OrchestratorAction[] = [];
      const walked = dirty;
      dirty = new Set();
      for (const name of [...walked].sort()) {
        const a = accounts.get(name)!;
        if (a.heap.size() === 0 && a.tooBig.size === 0) continue;
        const acted = walk(a);
        // an account that acted is walked again: its actions may not have been performed
        if (acted.length > 0) dirty.add(name);
        actions.push(...acted);
      }
      return actions;
    },
  };
}

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { EventBus } from '../../../platform/events/index.ts';
import type { Resources } from '../../../platform/resources.ts';
import { LeaseLostError, StepCancelledError, WorkerStoppingError } from '../errors.ts';
import { CANCEL_CHANNEL, STEPS_CHANNEL } from '../events/channels.ts';
import { operationMetrics } from '../metrics.ts';
import { type ClaimedStep, claimSteps } from './claim-steps.ts';
import { StepCompleter } from './complete-steps.ts';
import { reapExpiredLeases } from './reap-leases.ts';
import type { Registry } from './registry.ts';
import { renewLeases } from './renew-leases.ts';
import { runStep, type StepRunnerDeps } from './run-step.ts';
import { hasStepsAwaitingOperations, wakeDueSteps } from './wake-steps.ts';

export interface WorkerPoolOptions {
  res: Resources & { bus: EventBus };
  registry: Registry;
  /** Queue names; `name:n` gives a queue its own concurrency. Empty: every queue the registry knows. */
  queues: string[];
  /** Steps run at once (shared by the queues without their own `:n`). */
  concurrency: number;
  workerId?: string;
  leaseMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  /** Work claimed ahead, in ms of recent step durations (default: config `workers.prefetchMs`). */
  prefetchMs?: number;
  /** How long `stop()` lets running steps finish before aborting and releasing them (default 10 s). */
  stopGraceMs?: number;
  /** Jitter source for retry backoff (tests inject it). */
  random?: () => number;
  /** Told when a step fails for good (error reporting records unexpected errors). */
  onStepFailed?: StepRunnerDeps['onStepFailed'];
}

export interface WorkerPool {
  readonly id: string;
  start(): Promise<void>;
  /** Graceful: stops claiming, lets running steps finish (up to the grace), then releases the rest. */
  stop(): Promise<void>;
  /** Claims now instead of at the next notification or poll. */
  wake(): void;
  /** Steps whose handlers run in this pool now. */
  readonly running: number;
  /** Steps claimed ahead (leased to this pool) that have not started yet. */
  readonly prefetched: number;
}

interface Lane {
  queues: string[];
  concurrency: number;
  /** Steps whose handlers run now. */
  active: Set<Held>;
  /** Claimed ahead, not started yet, oldest first. */
  waiting: Held[];
  /** Handlers done, outcomes being stored. */
  recording: number;
  claiming: boolean;
  again: boolean;
  turn: number;
  /** Recent wall time of a step here, ms (moving average); unknown until one finished. */
  averageMs: number | undefined;
}

/** A step this pool holds the lease of: waiting in its lane, or running. */
interface Held {
  job: ClaimedStep;
  controller: AbortController;
  lane: Lane;
  leaseExpiresAt: number;
  claimedAt: number;
  startedAt?: number;
  done: Promise<unknown>;
}

/** At most this many steps are claimed ahead per lane. */
const MAX_AHEAD = 64;

const QUEUE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Parses `a,b,c:2` into lanes: each `:n` queue gets its own slots, the rest share `concurrency`. */
export function parseLanes(specs: string[], concurrency: number, registry: Registry): Lane[] {
  const shared: string[] = [];
  const lanes: Lane[] = [];
  const lane = (queues: string[], n: number): Lane => ({
    queues,
    concurrency: n,
    active: new Set(),
    waiting: [],
    recording: 0,
    claiming: false,
    again: false,
    turn: 0,
    averageMs: undefined,
  });
  for (const spec of specs) {
    const [name = '', n] = spec.split(':');
    if (!QUEUE.test(name)) throw new Error(`Invalid queue name "${name}"`);
    if (n === undefined) shared.push(name);
    else if (/^[1-9]\d{0,3}$/.test(n)) lanes.push(lane([name], Number(n)));
    else throw new Error(`Invalid concurrency "${n}" for queue "${name}"`);
  }
  if (specs.length === 0) shared.push(...registry.queues());
  if (shared.length) lanes.unshift(lane([...new Set(shared)], concurrency));
  return lanes;
}

/**
 * Workers that claim steps from PostgreSQL, run them with leases and heartbeats, and report.
 *
 * Each lane claims for its free slots; while its steps are short it also claims ahead — about
 * `workers.prefetchMs` of work per slot, judged by the lane's recent step durations — so that one
 * statement claims many steps and a slot that frees starts the next step without a round trip.
 * Steps claimed ahead are leased and heartbeated like running ones; they go back to the queue when
 * the pool stops, when their operation is cancelled, or when the lane's slots are taken by long steps.
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { res, registry } = options;
  const { db, clock, bus } = res;
  const logger = res.logger.child({ component: 'worker' });
  const id = options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? res.config.workers.leaseMs;
  const heartbeatMs = options.heartbeatMs ?? res.config.workers.heartbeatMs;
  const pollMs = options.pollMs ?? res.config.workers.pollMs;
  const prefetchMs = options.prefetchMs ?? res.config.workers.prefetchMs;
  // A running step older than this no longer counts as short: its slot gets nothing claimed ahead,
  // and steps that waited this long for a slot go back to the queue for other workers.
  const longMs = Math.max(1_000, prefetchMs * 20);
  const metrics = operationMetrics(res.metrics);
  const lanes = parseLanes(options.queues, options.concurrency, registry);
  const held = new Map<number, Held>();
  const timers = new Set<NodeJS.Timeout>();
  const unsubscribes: Array<() => void> = [];
  let started = false;
  let stopping = false;
  /** Some step is parked until another operation ends (see wakeAwaiting). */
  let awaitingOperations = false;
  const runner = {
    db,
    registry,
    clock,
    logger,
    metrics,
    random: options.random,
    completer: new StepCompleter(db, clock),
    tracing: res.tracing,
    onStepFailed: options.onStepFailed,
    onParkedOnOperation: () => {
      awaitingOperations = true;
    },
  };

  const every = (ms: number, fn: () => void) => {
    const timer = setInterval(fn, ms);
    timers.add(timer);
  };

  /** How many steps a lane keeps claimed beyond its busy slots. */
  const ahead = (lane: Lane) => {
    if (prefetchMs === 0 || lane.averageMs === undefined || stopping) return 0;
    const perSlot = Math.floor(prefetchMs / Math.max(lane.averageMs, 1));
    if (perSlot === 0) return 0;
    const now = performance.now();
    let short = lane.concurrency;
    for (const h of lane.active) if (now - h.startedAt! > longMs) short -= 1;
    return Math.min(MAX_AHEAD, short * perSlot);
  };

  const fill = async (lane: Lane) => {
    if (!started || stopping) return;
    startWaiting(lane);
    if (lane.claiming) {
      lane.again = true;
      return;
    }
    lane.claiming = true;
    try {
      do {
        lane.again = false;
        const extra = ahead(lane);
        const have = lane.active.size + lane.waiting.length;
        // Claim for a free slot, or once what waits fell to half of what is wanted ahead.
        if (have >= lane.concurrency + Math.floor(extra / 2)) break;
        // Outcomes not yet stored hold leases too: while the database falls behind, claim no more.
        if (lane.recording >= MAX_AHEAD) break;
        const want = lane.concurrency + extra - have;
        // Rotate the queue order so that one busy queue cannot starve the others of a lane.
        const turn = lane.turn++ % lane.queues.length;
        const queues = [...lane.queues.slice(turn), ...lane.queues.slice(0, turn)];
        const jobs = await claimSteps(db, { queues, limit: want, owner: id, leaseMs, clock });
        for (const job of jobs) hold(lane, job);
        startWaiting(lane);
        if (jobs.length === want) lane.again = true;
      } while (lane.again && !stopping);
    } catch (error) {
      logger.warn({ err: error }, 'claiming steps failed; retrying at the next poll');
    } finally {
      lane.claiming = false;
    }
  };
  const fillAll = () => {
    for (const lane of lanes) void fill(lane);
  };

  const hold = (lane: Lane, job: ClaimedStep) => {
    const h: Held = {
      job,
      controller: new AbortController(),
      lane,
      leaseExpiresAt: job.leaseExpiresAt.getTime(),
      claimedAt: performance.now(),
      done: Promise.resolve(),
    };
    held.set(job.id, h);
    lane.waiting.push(h);
    metrics.stepsPrefetchedHere.inc({ queue: job.queue });
    // Stopped before it started (cancelled, lease lost, handed back): record that, without a slot.
    h.controller.signal.addEventListener(
      'abort',
      () => {
        const at = lane.waiting.indexOf(h);
        if (at < 0) return;
        lane.waiting.splice(at, 1);
        metrics.stepsPrefetchedHere.dec({ queue: job.queue });
        h.done = runStep(runner, job, h.controller)
          .catch((error) => logger.error({ err: error, step: job.key }, 'step runner failed'))
          .finally(() => held.delete(job.id));
      },
      { once: true },
    );
    // Claimed while the pool began to stop: handed back at once, like what stop() found waiting.
    if (stopping) h.controller.abort(new WorkerStoppingError('The worker is stopping'));
  };

  const startWaiting = (lane: Lane) => {
    while (lane.active.size < lane.concurrency && lane.waiting.length && !stopping) {
      launch(lane.waiting.shift()!);
    }
  };

  const launch = (h: Held) => {
    const { lane, job } = h;
    h.startedAt = performance.now();
    lane.active.add(h);
    metrics.stepsPrefetchedHere.dec({ queue: job.queue });
    metrics.stepsRunningHere.inc({ queue: job.queue });
    let slotFreed = false;
    // The slot frees when the handler is done; its outcome is stored meanwhile (batched with
    // others'), the lease still held and heartbeated until then.
    const freeSlot = () => {
      if (slotFreed) return;
      slotFreed = true;
      const ms = performance.now() - h.startedAt!;
      lane.averageMs = lane.averageMs === undefined ? ms : lane.averageMs * 0.8 + ms * 0.2;
      lane.active.delete(h);
      lane.recording += 1;
      metrics.stepsRunningHere.dec({ queue: job.queue });
      void fill(lane);
    };
    h.done = runStep(runner, job, h.controller, freeSlot)
      .then((result) => {
        if (result?.retryAt) wakeAt(lane, result.retryAt.getTime() - clock.now().getTime());
      })
      .catch((error) => logger.error({ err: error, step: job.key }, 'step runner failed'))
      .finally(() => {
        freeSlot();
        lane.recording -= 1;
        held.delete(job.id);
        // The slot's own fill ran when it freed; claim again here only if this lifts the gate.
        if (lane.recording === MAX_AHEAD - 1) void fill(lane);
      });
  };

  // A retry due before the next poll: claim it on time.
  const wakeAt = (lane: Lane, delayMs: number) => {
    if (delayMs >= pollMs || stopping) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void fill(lane);
      },
      Math.max(0, delayMs),
    );
    timers.add(timer);
  };

  const heartbeat = async () => {
    if (held.size === 0) return;
    const mine = [...held.values()].filter((h) => !h.controller.signal.aborted);
    try {
      const reply = await renewLeases(db, {
        steps: mine.map((h) => ({ id: h.job.id, attempt: h.job.attempt })),
        owner: id,
        leaseMs,
        clock,
      });
      for (const h of mine) {
        const renewed = reply.renewed.get(h.job.id);
        if (!renewed) h.controller.abort(new LeaseLostError(`Step "${h.job.key}" lost its lease`));
        else {
          h.leaseExpiresAt = reply.expiresAt.getTime();
          if (renewed.cancel) h.controller.abort(new StepCancelledError('The operation was cancelled'));
        }
      }
    } catch (error) {
      logger.warn({ err: error }, 'heartbeat failed');
    }
  };

  // Self-fencing: a worker that cannot renew stops a step before its lease can pass to another
  // worker. Steps that waited too long for a slot go back to the queue.
  const fence = () => {
    const margin = Math.min(1_000, leaseMs / 10);
    const now = clock.now().getTime();
    for (const h of held.values()) {
      if (now >= h.leaseExpiresAt - margin && !h.controller.signal.aborted) {
        h.controller.abort(new LeaseLostError(`Step "${h.job.key}" could not renew its lease in time`));
      }
    }
    const stale = performance.now() - longMs;
    for (const lane of lanes) {
      for (const h of lane.waiting.filter((w) => w.claimedAt < stale)) {
        h.controller.abort(new WorkerStoppingError('Waited too long for a free slot in this worker'));
      }
    }
  };

  // Steps parked until another operation ends (a build waiting for its pipeline) are woken within
  // a quarter second of it, while there are any: the reaper's pass alone would add up to 5 s per
  // wait. The flag is set when a step of this pool parks so, and by the reaper's pass for steps
  // other processes parked.
  let waking = false;
  const wakeAwaiting = async () => {
    if (!awaitingOperations || waking) return;
    waking = true;
    try {
      if ((await wakeDueSteps(db, clock)) > 0) fillAll();
      awaitingOperations = await hasStepsAwaitingOperations(db);
    } catch (error) {
      logger.warn({ err: error }, 'waking parked steps failed');
    } finally {
      waking = false;
    }
  };

  const reap = async () => {
    try {
      const reaped = await reapExpiredLeases(db, registry, clock);
      for (const step of reaped) {
        metrics.leaseExpiries.inc({ queue: step.queue });
        logger.warn(
          { step: step.key, expiredWorker: step.expiredOwner, status: step.status },
          'reaped an expired lease',
        );
      }
      if (reaped.length) fillAll();
    } catch (error) {
      logger.warn({ err: error }, 'reaping expired leases failed');
    }
    // Parked steps whose deadline passed or whose awaited operation ended are due again.
    try {
      if ((await wakeDueSteps(db, clock)) > 0) fillAll();
      awaitingOperations = await hasStepsAwaitingOperations(db);
    } catch (error) {
      logger.warn({ err: error }, 'waking parked steps failed');
    }
  };

  return {
    id,
    get running() {
      let n = 0;
      for (const lane of lanes) n += lane.active.size;
      return n;
    },
    get prefetched() {
      let n = 0;
      for (const lane of lanes) n += lane.waiting.length;
      return n;
    },
    wake: fillAll,
    async start() {
      if (started) return;
      started = true;
      const steps = bus.subscribe(STEPS_CHANNEL, (queue) => {
        for (const lane of lanes) if (lane.queues.includes(queue)) void fill(lane);
      });
      const cancel = bus.subscribe(CANCEL_CHANNEL, (operationId) => {
        for (const h of held.values()) {
          if (h.job.operationId === operationId)
            h.controller.abort(new StepCancelledError('The operation was cancelled'));
        }
      });
      unsubscribes.push(steps, cancel, bus.onReconnect(fillAll));
      await Promise.all([steps.ready, cancel.ready]).catch((error) =>
        logger.warn({ err: error }, 'LISTEN failed; polling until the event bus reconnects'),
      );
      every(pollMs, fillAll);
      every(heartbeatMs, () => void heartbeat());
      every(Math.min(heartbeatMs, 1_000), fence);
      every(Math.min(heartbeatMs, 5_000), () => void reap());
      every(Math.min(heartbeatMs, 250), () => void wakeAwaiting());
      void reap();
      fillAll();
      logger.info(
        { workerId: id, lanes: lanes.map((l) => ({ queues: l.queues, concurrency: l.concurrency })) },
        'workers started',
      );
    },
    async stop() {
      if (!started || stopping) return;
      stopping = true;
      // What was claimed ahead goes back at once; running steps get the grace to finish.
      for (const lane of lanes) {
        for (const h of [...lane.waiting])
          h.controller.abort(new WorkerStoppingError('The worker is stopping'));
      }
      const grace = options.stopGraceMs ?? 10_000;
      const all = () => Promise.all([...held.values()].map((h) => h.done));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all(), new Promise((r) => (timer = setTimeout(r, grace)))]);
      clearTimeout(timer);
      for (const h of held.values()) h.controller.abort(new WorkerStoppingError('The worker is stopping'));
      await all();
      for (const t of timers) clearInterval(t);
      timers.clear();
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      logger.info({ workerId: id }, 'workers stopped');
    },
  };
}

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { EventBus } from '../../platform/events/index.ts';
import type { Resources } from '../../platform/resources.ts';
import { CANCEL_CHANNEL, STEPS_CHANNEL } from './channels.ts';
import { type ClaimedStep, claimSteps } from './claim-steps.ts';
import { StepCompleter } from './complete-steps.ts';
import { LeaseLostError, StepCancelledError, WorkerStoppingError } from './errors.ts';
import { operationMetrics } from './metrics.ts';
import { reapExpiredLeases } from './reap-leases.ts';
import type { Registry } from './registry.ts';
import { renewLeases } from './renew-leases.ts';
import { runStep } from './run-step.ts';

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
  /** How long `stop()` lets running steps finish before aborting and releasing them (default 10 s). */
  stopGraceMs?: number;
  /** Jitter source for retry backoff (tests inject it). */
  random?: () => number;
}

export interface WorkerPool {
  readonly id: string;
  start(): Promise<void>;
  /** Graceful: stops claiming, lets running steps finish (up to the grace), then releases the rest. */
  stop(): Promise<void>;
  /** Claims now instead of at the next notification or poll. */
  wake(): void;
  readonly running: number;
}

interface Lane {
  queues: string[];
  concurrency: number;
  active: number;
  filling: boolean;
  again: boolean;
  turn: number;
}

interface Running {
  job: ClaimedStep;
  controller: AbortController;
  lane: Lane;
  leaseExpiresAt: number;
  done: Promise<unknown>;
}

const QUEUE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Parses `a,b,c:2` into lanes: each `:n` queue gets its own slots, the rest share `concurrency`. */
export function parseLanes(specs: string[], concurrency: number, registry: Registry): Lane[] {
  const shared: string[] = [];
  const lanes: Lane[] = [];
  const lane = (queues: string[], n: number): Lane => ({
    queues,
    concurrency: n,
    active: 0,
    filling: false,
    again: false,
    turn: 0,
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

/** Workers that claim steps from PostgreSQL, run them with leases and heartbeats, and report. */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { res, registry } = options;
  const { db, clock, bus } = res;
  const logger = res.logger.child({ component: 'worker' });
  const id = options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? res.config.workers.leaseMs;
  const heartbeatMs = options.heartbeatMs ?? res.config.workers.heartbeatMs;
  const pollMs = options.pollMs ?? res.config.workers.pollMs;
  const metrics = operationMetrics(res.metrics);
  const lanes = parseLanes(options.queues, options.concurrency, registry);
  const running = new Map<number, Running>();
  const timers = new Set<NodeJS.Timeout>();
  const unsubscribes: Array<() => void> = [];
  let started = false;
  let stopping = false;
  const runner = {
    db,
    registry,
    clock,
    logger,
    metrics,
    random: options.random,
    completer: new StepCompleter(db, clock),
  };

  const every = (ms: number, fn: () => void) => {
    const timer = setInterval(fn, ms);
    timers.add(timer);
  };

  const fill = async (lane: Lane) => {
    if (!started || stopping) return;
    if (lane.filling) {
      lane.again = true;
      return;
    }
    lane.filling = true;
    try {
      do {
        lane.again = false;
        const free = lane.concurrency - lane.active;
        if (free <= 0) break;
        // Rotate the queue order so that one busy queue cannot starve the others of a lane.
        const turn = lane.turn++ % lane.queues.length;
        const queues = [...lane.queues.slice(turn), ...lane.queues.slice(0, turn)];
        const jobs = await claimSteps(db, { queues, limit: free, owner: id, leaseMs, clock });
        for (const job of jobs) launch(lane, job);
        if (jobs.length === free) lane.again = true;
      } while (lane.again && !stopping);
    } catch (error) {
      logger.warn({ err: error }, 'claiming steps failed; retrying at the next poll');
    } finally {
      lane.filling = false;
    }
  };
  const fillAll = () => {
    for (const lane of lanes) void fill(lane);
  };

  const launch = (lane: Lane, job: ClaimedStep) => {
    lane.active += 1;
    metrics.stepsRunningHere.inc({ queue: job.queue });
    const controller = new AbortController();
    const entry: Running = {
      job,
      controller,
      lane,
      leaseExpiresAt: job.leaseExpiresAt.getTime(),
      done: Promise.resolve(),
    };
    running.set(job.id, entry);
    entry.done = runStep(runner, job, controller)
      .then((result) => {
        if (result?.retryAt) wakeAt(lane, result.retryAt.getTime() - clock.now().getTime());
      })
      .catch((error) => logger.error({ err: error, step: job.key }, 'step runner failed'))
      .finally(() => {
        running.delete(job.id);
        lane.active -= 1;
        metrics.stepsRunningHere.dec({ queue: job.queue });
        void fill(lane);
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
    if (running.size === 0) return;
    const held = [...running.values()];
    try {
      const reply = await renewLeases(db, {
        steps: held.map((r) => ({ id: r.job.id, attempt: r.job.attempt })),
        owner: id,
        leaseMs,
        clock,
      });
      for (const r of held) {
        const renewed = reply.renewed.get(r.job.id);
        if (!renewed) r.controller.abort(new LeaseLostError(`Step "${r.job.key}" lost its lease`));
        else {
          r.leaseExpiresAt = reply.expiresAt.getTime();
          if (renewed.cancel) r.controller.abort(new StepCancelledError('The operation was cancelled'));
        }
      }
    } catch (error) {
      logger.warn({ err: error }, 'heartbeat failed');
    }
  };

  // Self-fencing: a worker that cannot renew stops a step before its lease can pass to another worker.
  const fence = () => {
    const margin = Math.min(1_000, leaseMs / 10);
    const now = clock.now().getTime();
    for (const r of running.values()) {
      if (now >= r.leaseExpiresAt - margin && !r.controller.signal.aborted) {
        r.controller.abort(new LeaseLostError(`Step "${r.job.key}" could not renew its lease in time`));
      }
    }
  };

  const reap = async () => {
    try {
      const reaped = await reapExpiredLeases(db, clock);
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
  };

  return {
    id,
    get running() {
      return running.size;
    },
    wake: fillAll,
    async start() {
      if (started) return;
      started = true;
      const steps = bus.subscribe(STEPS_CHANNEL, (queue) => {
        for (const lane of lanes) if (lane.queues.includes(queue)) void fill(lane);
      });
      const cancel = bus.subscribe(CANCEL_CHANNEL, (operationId) => {
        for (const r of running.values()) {
          if (r.job.operationId === operationId)
            r.controller.abort(new StepCancelledError('The operation was cancelled'));
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
      const grace = options.stopGraceMs ?? 10_000;
      const all = () => Promise.all([...running.values()].map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all(), new Promise((r) => (timer = setTimeout(r, grace)))]);
      clearTimeout(timer);
      for (const r of running.values()) r.controller.abort(new WorkerStoppingError('The worker is stopping'));
      await all();
      for (const t of timers) clearInterval(t);
      timers.clear();
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      logger.info({ workerId: id }, 'workers stopped');
    },
  };
}

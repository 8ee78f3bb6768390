import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { Isolation } from '../../../platform/sandbox/index.ts';
import {
  ENVIRONMENT_SPAN_ATTRIBUTE,
  endSpan,
  failSpan,
  inContext,
  PROJECT_SPAN_ATTRIBUTE,
  type Tracing,
} from '../../../platform/tracing.ts';
import type { Vault } from '../../secrets/index.ts';
import type { EnvKind } from '../env-name.ts';
import {
  type EnvironmentWithSlug,
  type EnvStatus,
  findEnvironment,
  recordObserved,
  revertDesired,
} from '../environment-store.ts';
import { logFile } from '../paths.ts';
import { deploymentTraceparent, settleDeployments } from '../releases/deployment-store.ts';
import { type LaunchOptions, type LaunchResult, launchRelease } from '../releases/launch-release.ts';
import { findRelease, type ReleaseRow } from '../releases/release-store.ts';
import { AppLog } from './app-log.ts';
import type { AppProcess } from './app-process.ts';
import {
  claimSupervision,
  recordProcess,
  releaseSupervision,
  renewSupervision,
  supervisableEnvironments,
} from './lease-store.ts';
import type { Destination, Settled } from './proxy.ts';

export interface SupervisorOptions {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  vault: Vault;
  /** Identifies this process in supervision leases. */
  ownerId?: string;
  /** This process's app relay as others reach it (host:port), recorded with each lease it takes. */
  relay?: () => string | undefined;
  /** Orchard's origins, handed to apps so they may allow the Studio's Preview pane to frame them. */
  orchardOrigins?: () => string;
  /** How long a supervision lease lasts without a heartbeat (default 15 s; renewed every third of it). */
  leaseMs?: number;
  /** Between health probes (default 250 ms). */
  healthIntervalMs?: number;
  /** Crash restarts back off from this … (default 500 ms) */
  restartBaseMs?: number;
  /** … doubling up to this (default 30 s). */
  restartMaxMs?: number;
  /** For tests: pretend the machine offers this isolation. */
  isolation?: Isolation;
  /** Launches are spans when on (default off). */
  tracing?: Tracing;
  /** OTEL_* for each start of an app (see LaunchOptions). */
  telemetryEnv?: LaunchOptions['telemetryEnv'];
  /** Where apps' databases go (see LaunchOptions). */
  appDatabases?: LaunchOptions['appDatabases'];
  /** Attached platform services for each start of an app (see LaunchOptions). */
  servicesEnv?: LaunchOptions['servicesEnv'];
}

/** What one Orchard process knows about an environment it supervises. */
interface Slot {
  envId: string;
  label: string;
  slug: string;
  kind: EnvKind;
  log: AppLog;
  status: EnvStatus;
  /** A request found it asleep: the start it waits for (shared by every request meanwhile). */
  waking?: Promise<Settled>;
  /** The process serving traffic. */
  live?: AppProcess;
  /** A process being started and health-checked (stopped at once if Orchard stops). */
  pending?: AppProcess;
  crashes: number;
  backoffUntil: number;
  restartTimer?: NodeJS.Timeout;
  retiring: Set<Promise<void>>;
}

/** PostgreSQL refusing a connection because all of its slots are taken (SQLSTATE 53300). */
const NO_CONNECTIONS = /remaining connection slots are reserved|too many clients already|53300/;
const NO_CONNECTIONS_HINT =
  "The apps' database server has no free connection (its max_connections are taken, mostly by running apps). Idle apps free theirs when they sleep (deploy.sleepAfterIdleMs); stop environments you no longer need, shorten the idle times, or raise the server's max_connections.";

/** Apps that stayed up this long start their crash backoff over. */
const STABLE_MS = 60_000;
const LAST_LINES = 12;

/**
 * Runs deployed apps in this process and converges each environment to its desired state: starts
 * the desired release on a free port, health-checks it, switches traffic only once it is healthy,
 * drains and stops the previous process, and restarts crashed apps with exponential backoff.
 *
 * Several Orchard processes may share one database: an environment is supervised only by the
 * holder of its lease (`app_processes.owner` + `lease_expires_at`), renewed by heartbeat. The
 * database is the source of truth; this class keeps only processes and logs.
 */
export class Supervisor {
  readonly ownerId: string;
  private readonly slots = new Map<string, Slot>();
  private readonly byLabel = new Map<string, Slot>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private heartbeat: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly leaseMs: number;
  /** Between looks for apps idle long enough to sleep (0: no kind sleeps). */
  private readonly idleCheckMs: number;

  constructor(private readonly o: SupervisorOptions) {
    this.ownerId = o.ownerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = o.leaseMs ?? 15_000;
    const idle = Object.values(o.config.deploy.sleepAfterIdleMs).filter((ms) => ms > 0);
    // Often enough that an app sleeps within a quarter of its idle time of it (≤ 15 s late).
    this.idleCheckMs = idle.length ? Math.max(100, Math.min(15_000, Math.floor(Math.min(...idle) / 4))) : 0;
  }

  /** The proxy's synchronous view: where a label's traffic goes, if this process supervises it. */
  route(label: string): Destination | undefined {
    const slot = this.byLabel.get(label);
    if (!slot) return undefined;
    if (!slot.live?.running && (slot.waking || slot.status === 'sleeping'))
      return { kind: 'waking', ready: this.wake(slot) };
    return this.settledRoute(slot);
  }

  /** Where the slot's traffic goes now: its live process, or nowhere (and why). */
  private settledRoute(slot: Slot): Settled {
    const live = slot.live;
    if (live?.running) return { kind: 'up', port: live.port, enter: () => live.enter() };
    return { kind: 'down', status: slot.status };
  }

  /**
   * Starts a sleeping environment for a request that arrived (NOTIFY from another Orchard process,
   * or a label this process does not supervise yet). False when another process holds its lease.
   */
  wakeEnvironment(envId: string): Promise<boolean> {
    const slot = this.slots.get(envId);
    if (slot) return this.wake(slot).then(() => true);
    return this.reconcile(envId, { wake: true });
  }

  /** A request for a sleeping app: start it (once, however many requests wait) and say where it runs. */
  private wake(slot: Slot): Promise<Settled> {
    slot.waking ??= (async () => {
      try {
        slot.log.note('☀ A request arrived while the app slept; starting it');
        await this.reconcile(slot.envId, { wake: true });
        return this.settledRoute(slot);
      } finally {
        slot.waking = undefined;
      }
    })();
    return slot.waking;
  }

  /** The in-memory log of an environment supervised here. */
  logOf(envId: string): AppLog | undefined {
    return this.slots.get(envId)?.log;
  }

  /** Whether this process runs the environment's app now. */
  supervises(envId: string): boolean {
    return this.slots.has(envId);
  }

  /**
   * Converges one environment (serialized per environment). Returns false when another process
   * holds its lease. `force` skips a pending crash backoff.
   */
  reconcile(envId: string, options: { force?: boolean; wake?: boolean } = {}): Promise<boolean> {
    return this.serialize(envId, () =>
      this.reconcileNow(envId, Boolean(options.force), Boolean(options.wake)),
    );
  }

  /** Runs `task` after whatever this process is doing to the environment (one change at a time). */
  private serialize(envId: string, task: () => Promise<boolean>): Promise<boolean> {
    const previous = this.chains.get(envId) ?? Promise.resolve();
    const next = previous.then(task);
    const settled = next.catch((error) => {
      this.o.logger.error({ err: error, environmentId: envId }, 'deploy: reconcile failed');
      return true;
    });
    this.chains.set(envId, settled);
    void settled.then(() => {
      if (this.chains.get(envId) === settled) this.chains.delete(envId);
    });
    return settled;
  }

  /** Every environment this process may supervise (its own, unowned ones, expired leases). */
  async reconcileAll(): Promise<void> {
    if (this.stopped) return;
    const ids = await supervisableEnvironments(this.o.db, this.ownerId, this.o.clock.now());
    for (const id of this.slots.keys()) if (!ids.includes(id)) ids.push(id);
    await Promise.all(ids.map((id) => this.reconcile(id)));
  }

  /** Stops every app (draining first), gives the leases up and stops the heartbeat. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearInterval(this.idleTimer);
    const slots = [...this.slots.values()];
    await Promise.all(slots.map((slot) => this.shutdown(slot)));
    await Promise.all([...this.chains.values()]);
    const ids = slots.map((s) => s.envId);
    const now = this.o.clock.now();
    // A sleeping app stays asleep across a restart: the next request starts it, wherever it lands.
    for (const slot of slots)
      if (slot.status !== 'sleeping')
        await recordObserved(this.o.db, slot.envId, { status: 'stopped', port: null, now }).catch(
          () => undefined,
        );
    await releaseSupervision(this.o.db, ids, this.ownerId).catch(() => undefined);
    for (const slot of slots) await slot.log.close();
    this.slots.clear();
    this.byLabel.clear();
  }

  private async reconcileNow(envId: string, force: boolean, wake: boolean): Promise<boolean> {
    if (this.stopped) return true;
    const env = await findEnvironment(this.o.db, envId);
    let slot = this.slots.get(envId);
    if (!env) {
      if (slot) await this.drop(slot);
      return true;
    }
    const deployPending = env.generation > env.observed_generation;
    const wantsRun = env.desired_state === 'running' && env.desired_release_id !== null;
    // Asleep, it stays so until a request wakes it or a deploy asks for a new release.
    const asleep = !wake && (slot ? slot.status : env.status) === 'sleeping';
    const needsWork =
      env.desired_state === 'stopped'
        ? Boolean(slot?.live) || env.status === 'sleeping'
        : wantsRun && (deployPending || (!asleep && !slot?.live?.running));
    if (!needsWork) return true;
    const now = this.o.clock.now();
    if (
      !(await claimSupervision(
        this.o.db,
        envId,
        this.ownerId,
        os.hostname(),
        now,
        this.leaseMs,
        this.o.relay?.() ?? null,
      ))
    ) {
      if (slot) await this.drop(slot);
      return false;
    }
    slot ??= this.createSlot(env);
    if (env.desired_state === 'stopped') {
      await this.shutdown(slot);
      slot.status = 'stopped';
      await recordObserved(this.o.db, envId, {
        status: 'stopped',
        port: null,
        observedGeneration: env.generation,
        now,
      });
      return true;
    }
    if (!deployPending && !force && !wake && Date.now() < slot.backoffUntil) return true;
    await this.rollout(slot, env, deployPending);
    return true;
  }

  /** How long an app of this kind may go without a request before it sleeps (0: never). */
  private sleepAfter(kind: EnvKind): number {
    return this.o.config.deploy.sleepAfterIdleMs[kind];
  }

  /** Puts to sleep every app here idle for its kind's time, with no request in progress. */
  private sleepIdle() {
    const now = Date.now();
    for (const slot of this.slots.values()) {
      const after = this.sleepAfter(slot.kind);
      const live = slot.live;
      if (!after || !live?.running || slot.pending || slot.waking || this.chains.has(slot.envId)) continue;
      if (live.inflight > 0 || now - live.lastActiveAt < after) continue;
      void this.serialize(slot.envId, () => this.sleep(slot, live, after));
    }
  }

  /**
   * Stops an idle app and records the environment as sleeping; the next request to it (here, or
   * relayed or NOTIFYed from another Orchard process) starts it again. Requests arriving meanwhile
   * wait for that start rather than reach the process being stopped.
   */
  private async sleep(slot: Slot, live: AppProcess, after: number): Promise<boolean> {
    if (this.stopped || slot.live !== live || !live.running || live.inflight > 0) return true;
    if (Date.now() - live.lastActiveAt < after) return true;
    slot.live = undefined;
    slot.status = 'sleeping';
    slot.log.note(
      `☾ No request for ${formatIdle(after)}: the app sleeps (stopped; the next request starts it again)`,
    );
    this.retire(slot, live);
    await Promise.all([...slot.retiring]);
    await recordObserved(this.o.db, slot.envId, { status: 'sleeping', port: null, now: this.o.clock.now() });
    return true;
  }

  /**
   * Starts the desired release next to the live one, and switches traffic to it only once healthy.
   * `deploy`: answering a deploy request (vs. restarting what should already run).
   */
  private async rollout(slot: Slot, env: EnvironmentWithSlug, deploy: boolean): Promise<void> {
    const { db, clock } = this.o;
    const generation = env.generation;
    const release = await findRelease(db, env.desired_release_id!);
    slot.status = slot.live?.running ? 'deploying' : 'starting';
    await recordObserved(db, env.id, { status: slot.status, now: clock.now() });
    const fromSeq = slot.log.lastSeq;
    const launched = await this.launch(env, release, deploy, {
      ...this.o,
      env,
      release,
      log: slot.log,
      deploying: deploy,
      healthIntervalMs: this.o.healthIntervalMs ?? 250,
      onStarted: (proc) => {
        slot.pending = proc;
      },
    });
    slot.pending = undefined;
    if (this.stopped || this.slots.get(env.id) !== slot) {
      await launched.proc?.stop();
      return;
    }
    if (!launched.ok) {
      const reason = this.failureMessage(slot, launched.reason, release?.sha, fromSeq);
      slot.log.note(`✖ ${reason.split('\n')[0]}`);
      const keeps = Boolean(slot.live?.running);
      const now = clock.now();
      if (deploy) {
        await settleDeployments(db, env.id, generation, { status: 'failed', error: reason, now });
        await revertDesired(db, env.id, generation);
      }
      slot.status = keeps ? 'running' : deploy && !env.current_release_id ? 'failed' : 'crashed';
      await recordObserved(db, env.id, {
        status: slot.status,
        observedGeneration: deploy ? generation : undefined,
        lastError: reason,
        now,
      });
      // Nothing serves: try the current release again after a backoff.
      if (!keeps && env.current_release_id) this.scheduleRestart(slot);
      return;
    }
    const proc = launched.proc;
    const old = slot.live;
    slot.live = proc;
    slot.status = 'running';
    this.watch(slot, proc);
    const short = release!.sha.slice(0, 7);
    slot.log.note(
      `✔ Healthy after ${launched.ms} ms; traffic switched to release ${short} on port ${proc.port}`,
    );
    const now = clock.now();
    await recordObserved(db, env.id, {
      status: 'running',
      port: proc.port,
      currentReleaseId: release!.id,
      observedGeneration: generation,
      lastError: null,
      deployed: deploy,
      now,
    });
    await recordProcess(db, env.id, this.ownerId, {
      releaseId: release!.id,
      port: proc.port,
      startedAt: proc.startedAt,
      restarts: slot.crashes,
      now,
    });
    if (deploy) await settleDeployments(db, env.id, generation, { status: 'succeeded', now });
    if (old) this.retire(slot, old);
  }

  /**
   * With tracing on, a launch is a span from start to healthy: the child of the span that asked for
   * the deploy (recorded with the deployment: this may be another process, woken by NOTIFY), or a
   * trace of its own for a restart. The app gets it as TRACEPARENT.
   */
  private async launch(
    env: EnvironmentWithSlug,
    release: ReleaseRow | undefined,
    deploy: boolean,
    options: LaunchOptions,
  ): Promise<LaunchResult> {
    const tracing = this.o.tracing;
    if (!tracing?.enabled) return launchRelease(options);
    const asked = deploy ? await deploymentTraceparent(this.o.db, env.id, env.generation) : undefined;
    const { span, context } = tracing.startSpan(
      'deploy launch',
      {
        attributes: {
          'orchard.project.slug': env.slug,
          'orchard.environment': env.name,
          // Stored with the environment's own telemetry (its trace waterfall shows the launch).
          [ENVIRONMENT_SPAN_ATTRIBUTE]: env.id,
          [PROJECT_SPAN_ATTRIBUTE]: env.project_id,
          'orchard.deploy.restart': !deploy,
          ...(release ? { 'orchard.release.id': release.id, 'orchard.release.sha': release.sha } : {}),
        },
      },
      tracing.extract(asked),
    );
    try {
      const launched = await inContext(context, () => launchRelease(options));
      if (launched.ok) span.setAttribute('orchard.app.port', launched.proc.port);
      else failSpan(span, launched.reason);
      span.end();
      return launched;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  }

  /** What went wrong, with the new process's last log lines (those after `fromSeq`). */
  private failureMessage(slot: Slot, reason: string, sha: string | undefined, fromSeq: number) {
    const lines = slot.log
      .tail(200)
      .filter((l) => l.stream !== 'orchard' && l.seq > fromSeq)
      .slice(-LAST_LINES)
      .map((l) => `  ${l.text}`);
    const head = `Release ${sha ? sha.slice(0, 7) : '(unknown)'} failed to start: ${reason}.`;
    const hint = lines.some((l) => NO_CONNECTIONS.test(l)) ? `\n${NO_CONNECTIONS_HINT}` : '';
    return lines.length
      ? `${head}\nLast log lines:\n${lines.join('\n')}${hint}`
      : `${head} The app wrote nothing to its log.`;
  }

  /** A live process that exits without being asked to is a crash: restart it with backoff. */
  private watch(slot: Slot, proc: AppProcess) {
    void proc.exited.then(async (result) => {
      if (proc.stopping || this.stopped || slot.live !== proc) return;
      slot.live = undefined;
      const ranMs = Date.now() - (proc.healthyAt ?? proc.startedAt).getTime();
      if (ranMs > STABLE_MS) slot.crashes = 0;
      slot.status = 'crashed';
      const how = result.signal ? `signal ${result.signal}` : `code ${result.exitCode}`;
      const delay = this.scheduleRestart(slot);
      slot.log.note(`✖ The app exited (${how}); restarting in ${(delay / 1000).toFixed(1)} s`);
      await recordObserved(this.o.db, slot.envId, {
        status: 'crashed',
        lastError: `The app exited (${how}).`,
        now: this.o.clock.now(),
      }).catch(() => undefined);
    });
  }

  private scheduleRestart(slot: Slot): number {
    slot.crashes++;
    const base = this.o.restartBaseMs ?? 500;
    const delay = Math.min(this.o.restartMaxMs ?? 30_000, base * 2 ** (slot.crashes - 1));
    clearTimeout(slot.restartTimer);
    slot.backoffUntil = Date.now() + delay;
    slot.restartTimer = setTimeout(() => void this.reconcile(slot.envId, { force: true }), delay);
    return delay;
  }

  /** Drains the previous process (in-flight proxied requests finish) and stops it, in the background. */
  private retire(slot: Slot, proc: AppProcess) {
    const task = (async () => {
      const drainMs = this.o.config.deploy.drainTimeoutMs;
      const clean = await proc.drained(drainMs);
      await proc.stop();
      slot.log.note(
        clean
          ? `■ Previous process (port ${proc.port}) drained and stopped`
          : `■ Previous process (port ${proc.port}) stopped after the ${drainMs} ms drain timeout`,
      );
    })();
    slot.retiring.add(task);
    void task.finally(() => slot.retiring.delete(task));
  }

  private createSlot(env: EnvironmentWithSlug): Slot {
    const slot: Slot = {
      envId: env.id,
      label: env.host_label,
      slug: env.slug,
      kind: env.kind,
      log: new AppLog(logFile(this.o.config.home, env.slug, env.host_label), () => this.o.clock.now()),
      status: env.status,
      crashes: 0,
      backoffUntil: 0,
      retiring: new Set(),
    };
    this.slots.set(env.id, slot);
    this.byLabel.set(env.host_label, slot);
    this.heartbeat ??= setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    if (this.idleCheckMs) this.idleTimer ??= setInterval(() => this.sleepIdle(), this.idleCheckMs);
    return slot;
  }

  private async shutdown(slot: Slot) {
    clearTimeout(slot.restartTimer);
    await slot.pending?.stop();
    const live = slot.live;
    slot.live = undefined;
    if (live) this.retire(slot, live);
    await Promise.all([...slot.retiring]);
  }

  /** Forgets an environment (deleted, or its lease went to another process). */
  private async drop(slot: Slot) {
    this.slots.delete(slot.envId);
    if (this.byLabel.get(slot.label) === slot) this.byLabel.delete(slot.label);
    await this.shutdown(slot);
    await slot.log.close();
  }

  private async renew() {
    if (this.stopped || !this.slots.size) return;
    try {
      const ids = [...this.slots.keys()];
      const held = await renewSupervision(this.o.db, ids, this.ownerId, this.o.clock.now(), this.leaseMs);
      for (const id of ids) {
        const slot = this.slots.get(id);
        if (!held.has(id) && slot) {
          this.o.logger.warn({ environmentId: id }, 'deploy: supervision lease lost; stopping the app here');
          await this.drop(slot);
        }
      }
    } catch (error) {
      this.o.logger.warn({ err: error }, 'deploy: lease heartbeat failed');
    }
  }
}

/** 15 min, 90 s, 1 h 30 min. */
function formatIdle(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  return minutes < 60
    ? `${minutes} min`
    : `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { type Config, ConfigError } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { EventBus, Subscription } from '../../../platform/events/index.ts';
import type { Logger } from '../../../platform/log.ts';
import { formatHostPort, parseHostPort } from '../../../platform/net/host-port.ts';
import type { Isolation } from '../../../platform/sandbox/index.ts';
import type { Tracing } from '../../../platform/tracing.ts';
import { TtlCache } from '../../../platform/ttl-cache.ts';
import type { Vault } from '../../secrets/index.ts';
import { deleteExpiredGrants } from '../access/access-store.ts';
import { APP_ACCESS_COOKIE, ORCHARD_COOKIES } from '../access/access-tokens.ts';
import { createAppAccessGate } from '../access/app-access-gate.ts';
import type { DeployDeps } from '../deps.ts';
import { sweepExpiredPreviews } from '../previews/sweep-previews.ts';
import { DEPLOY_CHANNEL } from '../releases/deploy-release.ts';
import { type AppRelay, startAppRelay } from './app-relay.ts';
import { type AppRoute, findAppRoute } from './lease-store.ts';
import {
  type AppProxy,
  type AppProxyOptions,
  createAppProxy,
  type Destination,
  type Settled,
} from './proxy.ts';
import { RELAY_HEADER, type RelayCredential, relayCredential } from './relay-credential.ts';
import { Supervisor, type SupervisorOptions } from './supervisor.ts';
import { AppUrls } from './urls.ts';

export interface DeployRuntimeOptions {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  vault: Vault;
  /**
   * Whether this process runs apps (default: when it runs workers, i.e. `orchard up`). An
   * `orchard server` replica only proxies and waits for the process that supervises.
   */
  supervise?: boolean;
  supervisor?: Partial<
    Pick<SupervisorOptions, 'ownerId' | 'leaseMs' | 'healthIntervalMs' | 'restartBaseMs' | 'restartMaxMs'>
  >;
  isolation?: Isolation;
  /** Launches of apps are spans when on. */
  tracing?: Tracing;
  /** OTEL_* for each start of an app: its telemetry goes to Orchard (see LaunchOptions). */
  telemetryEnv?: SupervisorOptions['telemetryEnv'];
  /** SMTP_* and the like for each start of an app: its attached platform services (see LaunchOptions). */
  servicesEnv?: SupervisorOptions['servicesEnv'];
  /** Told once a deploy, publish or rollback serves traffic (see DeployDeps). */
  onDeployed?: DeployDeps['onDeployed'];
  /** Where apps' databases go, and their backups (see DeployDeps). */
  appDatabases?: DeployDeps['appDatabases'];
  blobs?: DeployDeps['blobs'];
  /** Each page an app served through the proxy (see AppProxyOptions): the analytics service counts them. */
  pageView?: AppProxyOptions['pageView'];
}

/** How long the proxy trusts a database answer for a label another process supervises. */
const LOOKUP_TTL_MS = 1_000;

/** NOTIFY: a request is waiting for this (sleeping) environment; whoever may supervise it starts it. */
export const DEPLOY_WAKE_CHANNEL = 'deploy_wake';

/** How often a request for an app another process is starting looks whether it runs yet. */
const WAKE_POLL_MS = 200;

/**
 * The deploy module's in-process runtime: the supervisor (runs apps), the host-based proxy (the
 * HTTP server's `hostRouter`), URLs, and the reconciler loop `start()` adds in `orchard up`.
 */
export class DeployRuntime {
  readonly supervisor: Supervisor;
  readonly proxy: AppProxy;
  readonly urls: AppUrls;
  readonly deps: DeployDeps;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private subscriptions: Subscription[] = [];
  private readonly lookups = new TtlCache<Destination>(LOOKUP_TTL_MS);
  private readonly credential: RelayCredential;
  private relay: AppRelay | undefined;
  /** This process's app relay as the others reach it (host:port), once it listens. */
  private relayAddress: string | undefined;

  constructor(private readonly o: DeployRuntimeOptions) {
    this.urls = new AppUrls(o.config);
    this.credential = relayCredential(o.vault.ring);
    this.supervisor = new Supervisor({
      ...o,
      ...o.supervisor,
      isolation: o.isolation,
      orchardOrigins: () => this.urls.origins(),
      relay: () => this.relayAddress,
    });
    const supervise = o.supervise ?? o.config.workers.enabled;
    this.deps = {
      db: o.db,
      config: o.config,
      clock: o.clock,
      logger: o.logger,
      vault: o.vault,
      supervisor: this.supervisor,
      supervising: () => supervise,
      isolation: o.isolation,
      onDeployed: o.onDeployed,
      appDatabases: o.appDatabases,
      blobs: o.blobs,
    };
    this.proxy = createAppProxy({
      domain: o.config.deploy.domain,
      logger: o.logger,
      gate: createAppAccessGate({
        db: o.db,
        clock: o.clock,
        logger: o.logger,
        orchardOrigin: (host, proto) => this.urls.orchardFor(host, proto),
      }),
      stripCookies: [APP_ACCESS_COOKIE, ...ORCHARD_COOKIES],
      local: (label) => this.supervisor.route(label),
      lookup: (label) => this.lookup(label),
      pageView: o.pageView,
      dropHeaders: [RELAY_HEADER],
    });
  }

  /** For `createHttpServer({ hostRouter })`. */
  readonly hostRouter = (req: Parameters<AppProxy['handle']>[0], res: Parameters<AppProxy['handle']>[1]) =>
    this.proxy.handle(req, res);

  /** Websocket pass-through and the listening port (for app URLs). */
  attachServer(server: Server) {
    server.on('upgrade', (req, socket, head) => {
      if (this.proxy.upgrade(req, socket as Socket, head)) return;
      // No other upgrade handler: refuse rather than leave the socket hanging.
      if (server.listenerCount('upgrade') === 1) socket.destroy();
    });
    server.on('listening', () => {
      const address = server.address();
      if (typeof address === 'object' && address) this.urls.listenPort = address.port;
    });
  }

  /**
   * Restores every environment's desired state now, then sweeps periodically (expired previews,
   * crashed or unowned environments, leases of processes that died), and reacts to NOTIFY at once.
   * A supervising process with `deploy.relay.listen` first opens its app relay, so every lease it
   * takes names it; the promise settles once it listens (and rejects when it cannot).
   */
  async start(options: { bus?: EventBus; sweepMs?: number } = {}): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), options.sweepMs ?? 10_000);
    const { listen, advertise } = this.o.config.deploy.relay;
    if (listen && this.deps.supervising()) {
      try {
        this.relay = await startAppRelay({
          listen,
          domain: this.o.config.deploy.domain,
          local: (label) => this.supervisor.route(label),
          credential: this.credential,
          logger: this.o.logger,
        });
      } catch (error) {
        clearInterval(this.timer);
        this.timer = undefined;
        const reason = (error as Error).message;
        throw new ConfigError(
          `The app relay could not listen on ${formatHostPort(listen)} (deploy.relay.listen): ${reason}`,
        );
      }
      this.relayAddress = formatHostPort(advertise ?? this.relay.address);
    }
    if (options.bus)
      this.subscriptions.push(
        options.bus.subscribe(DEPLOY_CHANNEL, (id) => void this.supervisor.reconcile(id)),
        options.bus.subscribe(DEPLOY_WAKE_CHANNEL, (id) => {
          if (this.deps.supervising()) void this.supervisor.wakeEnvironment(id);
        }),
      );
    void this.sweep();
  }

  /** One reconciler pass (tests await it). */
  sweep(): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        await sweepExpiredPreviews(this.deps);
        await deleteExpiredGrants(this.o.db, this.o.clock.now());
        if (this.deps.supervising()) await this.supervisor.reconcileAll();
      } catch (error) {
        this.o.logger.error({ err: error }, 'deploy: reconciler pass failed');
      } finally {
        this.sweeping = undefined;
      }
    })();
    return this.sweeping;
  }

  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    await this.sweeping;
    await this.supervisor.stop();
    await this.relay?.close();
    this.relay = undefined;
    this.proxy.close();
  }

  /**
   * A label no process here supervises: the database says whether it runs, and where. An app
   * supervised by a process with an app relay (on another machine) is reached through that relay;
   * one without is on this machine's loopback (several Orchard processes on one machine).
   */
  private lookup(label: string): Promise<Destination> {
    return this.lookups.get(label, async () => {
      const route = await findAppRoute(this.o.db, label, this.o.clock.now());
      if (!route) return { kind: 'unknown' };
      if (route.status === 'sleeping') {
        // Its supervisor (reached through its relay) wakes it on the request itself.
        return this.viaRelay(route) ?? { kind: 'waking', ready: this.wake(route.id, label) };
      }
      return this.destinationOf(route);
    });
  }

  private destinationOf(route: AppRoute): Settled {
    if (route.status !== 'running' || !route.port) return { kind: 'down', status: route.status };
    // Its process is gone: the port it had may be anything's now (another process takes over soon).
    if (route.lapsed) return { kind: 'down', status: 'waiting for a process to run it' };
    return this.viaRelay(route) ?? { kind: 'up', port: route.port };
  }

  /** The app relay of the process supervising it on another machine, if there is one. */
  private viaRelay(route: AppRoute): Settled | undefined {
    if (!route.relay || route.relay === this.relayAddress) return undefined;
    const { host, port } = parseHostPort(route.relay);
    return { kind: 'up', host, port, headers: { [RELAY_HEADER]: this.credential.value() } };
  }

  /**
   * A request for a sleeping app nobody here runs: this process starts it when it may supervise it;
   * otherwise every process that may is told (NOTIFY), and the request waits until the database says
   * the app runs (or its start failed, or the health timeout passed).
   */
  private async wake(envId: string, label: string): Promise<Settled> {
    if (this.deps.supervising() && (await this.supervisor.wakeEnvironment(envId))) {
      const here = this.supervisor.route(label);
      if (here) return here.kind === 'waking' ? here.ready : here;
    }
    await this.o.db.query('SELECT pg_notify($1, $2)', [DEPLOY_WAKE_CHANNEL, envId]);
    const deadline = Date.now() + this.o.config.deploy.healthTimeoutMs + 10_000;
    for (;;) {
      const route = await findAppRoute(this.o.db, label, this.o.clock.now());
      if (!route) return { kind: 'unknown' };
      if (route.status === 'running' && route.port && !route.lapsed) return this.destinationOf(route);
      if (['crashed', 'failed', 'stopped'].includes(route.status) || Date.now() > deadline)
        return { kind: 'down', status: route.status === 'sleeping' ? 'still asleep' : route.status };
      await new Promise((resolve) => setTimeout(resolve, WAKE_POLL_MS));
    }
  }
}

export function createDeployRuntime(options: DeployRuntimeOptions): DeployRuntime {
  return new DeployRuntime(options);
}

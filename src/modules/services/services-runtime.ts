import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Logger } from '../../platform/log.ts';
import type { Vault } from '../secrets/index.ts';
import { type LabelResolver, PageViewCounter } from './analytics/page-view-counter.ts';
import { type AppServicesEnv, appServicesEnv, type StartingEnvironment } from './app-services-env.ts';
import type { ServiceAvailability, ServiceId } from './catalog.ts';
import { checkCredential } from './credentials/service-credentials.ts';
import type { ServicesDeps } from './deps.ts';
import { type RelayOut, receiveMail } from './mail/receive-mail.ts';
import { MailRelay } from './mail/smtp-relay.ts';
import { sweepSignInModels } from './sign-in/provider-adapter.ts';
import { SignInProvider } from './sign-in/sign-in-provider.ts';

export interface ServicesRuntimeOptions {
  db: Db;
  clock: Clock;
  config: Config;
  logger: Logger;
  vault: Vault;
  bus: EventBus;
  /** An app host's label → its environment (the deploy module's), for page views. */
  environmentOfLabel: LabelResolver;
  /** Sends production mail on through Orchard's SMTP server (absent: production mail is kept only). */
  relayOut?: RelayOut;
  /** Whether this instance provisions databases (the deploy module's; default: no). */
  databasesAvailable?: () => boolean;
  /** Orchard's origin as browsers reach it: the sign-in provider's issuer is `<origin>/oidc`. */
  origin: () => string;
  /** The port Orchard's HTTP server listens on: apps reach the sign-in back channel there. */
  port: () => number;
  /** An environment's app URL (the deploy module's), for its sign-in redirect URI. */
  appUrl: (label: string) => string;
}

/**
 * The services module's in-process parts: the SMTP relay (listening once `listen()` is called, by
 * `orchard up` and `orchard server`), the page-view counter the app proxy feeds, and the hook that
 * gives a starting app its services' variables.
 */
export class ServicesRuntime {
  readonly relay: MailRelay;
  readonly pageViews: PageViewCounter;
  readonly signIn: SignInProvider;
  readonly deps: ServicesDeps;
  private signInSocket: string | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly o: ServicesRuntimeOptions) {
    const smtp = o.config.services.smtp;
    const availability: ServiceAvailability = (id: ServiceId) => {
      switch (id) {
        case 'email':
          // Where apps run, the relay listens (`orchard up`, `orchard server`); a start without it says so.
          return smtp.enabled
            ? { available: true }
            : { available: false, reason: 'the SMTP relay is turned off (services.smtp.enabled).' };
        case 'database':
          return o.databasesAvailable?.()
            ? { available: true }
            : {
                available: false,
                reason: 'this Orchard has no server for apps’ databases (appDatabases.* in its config).',
              };
        default:
          return { available: true };
      }
    };
    this.deps = {
      db: o.db,
      clock: o.clock,
      config: o.config,
      logger: o.logger,
      vault: o.vault,
      bus: o.bus,
      availability,
    };
    this.relay = new MailRelay({
      host: smtp.host,
      port: smtp.port,
      maxMessageBytes: smtp.maxMessageBytes,
      logger: o.logger,
      authenticate: (username, password) => checkCredential(o.db, 'email', username, password),
      receive: (login, envelope, raw) =>
        receiveMail({ ...this.deps, relayOut: o.relayOut }, login, envelope, raw),
    });
    this.signIn = new SignInProvider({
      db: o.db,
      clock: o.clock,
      config: o.config,
      logger: o.logger,
      vault: o.vault,
      origin: o.origin,
      appUrl: o.appUrl,
    });
    this.pageViews = new PageViewCounter({
      db: o.db,
      clock: o.clock,
      logger: o.logger,
      environmentOfLabel: o.environmentOfLabel,
    });
  }

  /**
   * Starts the SMTP relay when it is enabled, and the sign-in provider's back channel for
   * sandboxed apps. Either failing leaves its service unavailable, logged.
   */
  async listen(): Promise<void> {
    try {
      this.signInSocket = await this.signIn.listenBackChannel();
    } catch (error) {
      this.o.logger.error({ err: error }, 'services: the sign-in back channel could not listen');
    }
    // Sign-ins' expired codes, sessions and grants go (every process may sweep: a DELETE is idempotent).
    this.sweeper ??= setInterval(
      () =>
        void sweepSignInModels(this.o.db, this.o.clock.now()).catch((error) =>
          this.o.logger.warn({ err: error }, 'services: sweeping expired sign-in models failed'),
        ),
      10 * 60_000,
    ).unref();
    if (!this.o.config.services.smtp.enabled) return;
    try {
      const address = await this.relay.listen();
      this.o.logger.info({ port: address.port, socket: address.socket }, 'services: SMTP relay listening');
    } catch (error) {
      this.o.logger.error({ err: error }, 'services: the SMTP relay could not listen; email is unavailable');
    }
  }

  /** The deploy runtime's `servicesEnv`: what a starting app gets from its project's services. */
  readonly envFor = (env: StartingEnvironment): Promise<AppServicesEnv> =>
    appServicesEnv(
      {
        ...this.deps,
        relay: () => this.relay.address(),
        signIn: () => ({
          issuer: this.signIn.issuer(),
          socket: this.signInSocket,
          port: this.o.port(),
          appUrl: this.o.appUrl,
        }),
      },
      env,
    );

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    await this.pageViews.close();
    await this.relay.close();
    await this.signIn.close();
  }
}

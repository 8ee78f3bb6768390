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
}

/**
 * The services module's in-process parts: the SMTP relay (listening once `listen()` is called, by
 * `orchard up` and `orchard server`), the page-view counter the app proxy feeds, and the hook that
 * gives a starting app its services' variables.
 */
export class ServicesRuntime {
  readonly relay: MailRelay;
  readonly pageViews: PageViewCounter;
  readonly deps: ServicesDeps;

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
    this.pageViews = new PageViewCounter({
      db: o.db,
      clock: o.clock,
      logger: o.logger,
      environmentOfLabel: o.environmentOfLabel,
    });
  }

  /** Starts the SMTP relay when it is enabled. A relay that cannot listen leaves email unavailable, logged. */
  async listen(): Promise<void> {
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
    appServicesEnv({ ...this.deps, relay: () => this.relay.address() }, env);

  async close(): Promise<void> {
    await this.pageViews.close();
    await this.relay.close();
  }
}

import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Logger } from '../../platform/log.ts';
import type { Vault } from '../secrets/index.ts';
import type { ServiceAvailability } from './catalog.ts';

/** What the services module's routes and use cases need; the composition root builds it. */
export interface ServicesDeps {
  db: Db;
  clock: Clock;
  config: Config;
  logger: Logger;
  vault: Vault;
  bus: EventBus;
  /** Whether this instance offers each service now. */
  availability: ServiceAvailability;
}

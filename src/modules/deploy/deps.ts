import type { Config } from '../../config.ts';
import type { BlobStore } from '../../platform/blobs/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/log.ts';
import type { Isolation } from '../../platform/sandbox/index.ts';
import type { Vault } from '../secrets/index.ts';
import type { AppDatabaseServer } from './databases/app-database-server.ts';
import type { Supervisor } from './serve/supervisor.ts';

/** What the deploy use cases need (the runtime builds it; other modules get it from `res.deploy.deps`). */
export interface DeployDeps {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  vault: Vault;
  /** This process's supervisor: it acts on a deploy at once when it holds (or can take) the lease. */
  supervisor?: Supervisor;
  /** Whether the supervisor runs here (`orchard up`); otherwise deploys wait for the one that does. */
  supervising(): boolean;
  /** Wakes the supervisors of other processes (NOTIFY). */
  notify?(environmentId: string): Promise<void>;
  /** For tests: pretend the machine offers this isolation. */
  isolation?: Isolation;
  /** Told once a deploy, publish or rollback serves traffic (notifications); must not throw. */
  onDeployed?: (deployed: Deployed) => Promise<void>;
  /** The server apps' databases go on (none: apps that ask for one keep their file store). */
  appDatabases?: AppDatabaseServer;
  /** Where backups of production's database go (taken before each publish). */
  blobs?: BlobStore;
}

/** A release that now serves an environment, and who asked for it. */
export interface Deployed {
  deploymentId: string;
  kind: 'deploy' | 'publish' | 'rollback';
  environment: { id: string; name: string; kind: string; projectId: string; projectSlug: string };
  release: { id: string; sha: string };
  /** Who asked (none for Orchard itself). */
  actorId: string | null;
}

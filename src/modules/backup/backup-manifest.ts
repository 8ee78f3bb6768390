import type { AppDatabaseInfo } from './app-databases.ts';
import type { SequenceInfo, TableInfo } from './dump-database.ts';
import type { FilesSummary } from './home-files.ts';
import type { RepositoryInfo } from './repository-bundles.ts';

/** The last entry of an archive: what it holds, to check a restore against. */
export interface BackupManifest {
  createdAt: string;
  /** The home the archive was made from (a restore elsewhere moves what records it). */
  home: string;
  orchardVersion: string;
  database: {
    serverVersion: string;
    migrations: string[];
    tables: TableInfo[];
    sequences: SequenceInfo[];
  };
  repositories: RepositoryInfo[];
  files: FilesSummary;
  /** The deployed apps' own databases (absent in archives made before they were kept). */
  appDatabases?: AppDatabaseInfo[];
  /** The master keys the database's sealed values were sealed under (a restore needs each of them). */
  sealedKeyIds: string[];
  /** The configuration in force, secrets replaced by "[redacted]": for the operator to compare, never applied. */
  config: unknown;
}

const SECRET_KEY = /key|token|secret|password/i;

/** A copy of the configuration without its secrets (values of keys that name one, URL passwords). */
export function redactConfig(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => redactConfig(item, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  if (typeof value !== 'string') return value;
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(value)) {
    const url = new URL(value);
    url.password = 'redacted';
    return url.toString();
  }
  return value;
}

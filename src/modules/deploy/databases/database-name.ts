import { randomBytes } from 'node:crypto';

/** PostgreSQL keeps the first 63 bytes of an identifier. */
const MAX_NAME = 63;

/**
 * The name of an environment's database and of its role: `app_<slug>_<env>_<6 hex>`, lower-case
 * letters, digits and `_` only (so it reads the same quoted or not), cut to 63 bytes with the
 * random suffix kept, so two environments whose names agree up to the cut still differ.
 */
export function appDatabaseName(slug: string, envName: string, suffix = randomBytes(3).toString('hex')) {
  const clean = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  const tail = `_${suffix}`;
  const head = `app_${clean(slug)}_${clean(envName)}`.slice(0, MAX_NAME - tail.length).replace(/_+$/, '');
  return `${head}${tail}`;
}

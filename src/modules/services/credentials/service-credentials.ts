import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Vault } from '../../secrets/index.ts';
import {
  credentialAad,
  findCredential,
  findCredentialByUsername,
  insertCredential,
  sealedSecret,
} from './credential-store.ts';

const hashOf = (secret: string) => createHash('sha256').update(secret).digest();

/** Whose credential it is: the environment (and its project) a login acts for. */
export interface CredentialOwner {
  environmentId: string;
  projectId: string;
  /** The environment's host label: readable in the user name. */
  label: string;
}

/**
 * The environment's login for a service, made on first use: a readable user name with a random
 * suffix and a random password, kept hashed for checking and sealed so the deploy runtime can hand
 * the same one to the app at every (re)start.
 */
export async function ensureCredential(
  deps: { db: Queryable; vault: Vault },
  owner: CredentialOwner,
  serviceId: string,
): Promise<{ username: string; password: string }> {
  let row = await findCredential(deps.db, owner.environmentId, serviceId);
  if (!row) {
    const id = randomUUID();
    const password = randomBytes(24).toString('base64url');
    await insertCredential(deps.db, {
      id,
      environmentId: owner.environmentId,
      projectId: owner.projectId,
      serviceId,
      username: `${owner.label}.${randomBytes(4).toString('hex')}`,
      hash: hashOf(password),
      sealed: deps.vault.seal(password, credentialAad(id)),
    });
    // A concurrent start may have inserted first: the stored one is the credential.
    row = await findCredential(deps.db, owner.environmentId, serviceId);
    if (!row) throw new Error(`The environment ${owner.environmentId} no longer exists.`);
  }
  return { username: row.username, password: deps.vault.open(sealedSecret(row), credentialAad(row.id)) };
}

/** The environment a login belongs to, when the password is right and the login is for `serviceId`. */
export async function checkCredential(
  db: Queryable,
  serviceId: string,
  username: string,
  password: string,
): Promise<{ environmentId: string; projectId: string } | undefined> {
  if (!username || username.length > 200 || password.length > 200) return undefined;
  const row = await findCredentialByUsername(db, username);
  const given = hashOf(password);
  // Compare even when there is no row, so a missing user takes as long as a wrong password.
  const ok = timingSafeEqual(row?.secret_hash ?? Buffer.alloc(32), given) && row !== undefined;
  if (!ok || row.service_id !== serviceId) return undefined;
  return { environmentId: row.environment_id, projectId: row.project_id };
}

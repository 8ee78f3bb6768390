import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queryable } from '../../../platform/db/pool.ts';
import { listAllowedFingerprints } from './allowed-store.ts';

/** The pre-receive hook's scanner: plain JavaScript, run by the Node that runs Orchard. */
const SCANNER = fileURLToPath(new URL('./scan-push.mjs', import.meta.url));

export interface SecretScanEnv {
  /** For receive-pack's environment: the pre-receive hook runs the scanner with these. */
  env: Record<string, string>;
  /** Removes the allowed-fingerprints file once receive-pack has exited. */
  cleanup: () => Promise<void>;
}

/**
 * What the pre-receive hook needs to scan a push, worked out before receive-pack starts so the
 * hook never calls back into the server: the project's allowed fingerprints (in a file under
 * `tmpDir`: a list of any length, which an environment variable is not), the byte budget, and
 * where an owner allows a finding (named in the refusal).
 */
export async function secretScanEnv(
  db: Queryable,
  p: { projectId: string; slug: string; tmpDir: string; maxBytes: number; origin: string },
): Promise<SecretScanEnv> {
  const allowed = await listAllowedFingerprints(db, p.projectId);
  const file = allowed.length
    ? path.join(p.tmpDir, `secret-allowed-${randomBytes(8).toString('hex')}.txt`)
    : undefined;
  if (file) await writeFile(file, `${allowed.join('\n')}\n`, { mode: 0o600 });
  return {
    env: {
      ORCHARD_NODE: process.execPath,
      ORCHARD_SECRET_SCAN: SCANNER,
      ORCHARD_SECRET_SCAN_MAX_BYTES: String(p.maxBytes),
      ORCHARD_SECRET_ALLOW_URL: `${p.origin}/api/projects/${p.slug}/secret-scanning/allowed`,
      ...(file ? { ORCHARD_SECRET_ALLOWED: file } : {}),
    },
    cleanup: async () => {
      if (file) await rm(file, { force: true });
    },
  };
}

import type { Queryable } from '../../../platform/db/pool.ts';
import { listAllowedFingerprints } from './allowed-store.ts';
import { issueScanTicket } from './scan-service.ts';

export interface SecretScanEnv {
  /** For receive-pack's environment: the pre-receive hook hands the push to the scanner with these. */
  env: Record<string, string>;
  /** Forgets the ticket once receive-pack has exited. */
  cleanup: () => Promise<void>;
}

/**
 * What the pre-receive hook needs to have a push scanned, worked out before receive-pack starts:
 * a one-time ticket for the server's scanner (scan-service.ts) that carries the repository, the
 * project's allowed fingerprints, the byte budget and where an owner allows a finding (named in
 * the refusal).
 */
export async function secretScanEnv(
  db: Queryable,
  p: { projectId: string; slug: string; repo: string; maxBytes: number; origin: string },
): Promise<SecretScanEnv> {
  const allowed = await listAllowedFingerprints(db, p.projectId);
  const ticket = await issueScanTicket({
    repo: p.repo,
    allowed: new Set(allowed),
    maxBytes: p.maxBytes,
    allowUrl: `${p.origin}/api/projects/${p.slug}/secret-scanning/allowed`,
  });
  return {
    env: ticket.env,
    cleanup: async () => ticket.release(),
  };
}

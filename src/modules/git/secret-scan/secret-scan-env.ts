import type { Resources } from '../../../platform/resources.ts';
import { issueScanTicket } from './scan-service.ts';
import { scanSettings } from './scan-settings.ts';

export interface SecretScanEnv {
  /** For receive-pack's environment: the pre-receive hook hands the push to the scanner with these. */
  env: Record<string, string>;
  /** Forgets the ticket once receive-pack has exited. */
  release: () => void;
}

/**
 * What the pre-receive hook needs to have a push scanned, worked out before receive-pack starts: a
 * one-time ticket for the server's scanner (scan-service.ts) carrying the repository and the
 * project's scan settings.
 */
export async function secretScanEnv(
  res: Pick<Resources, 'db' | 'config'>,
  p: { project: { id: string; slug: string }; repo: string; origin: string },
): Promise<SecretScanEnv> {
  const ticket = await issueScanTicket({ repo: p.repo, ...(await scanSettings(res, p.project, p.origin)) });
  return { env: ticket.env, release: ticket.release };
}

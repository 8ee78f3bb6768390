import type { Resources } from '../../../platform/resources.ts';
import { listAllowedFingerprints } from './allowed-store.ts';
import type { PushScanInput } from './scan-push.ts';

/**
 * How a project's pushes and agent deliveries are scanned: its allowed fingerprints, the byte
 * budget (`git.secretScanMaxBytes`) and where an owner allows a finding (named in a refusal; a
 * path alone when Orchard's origin is not known).
 */
export async function scanSettings(
  res: Pick<Resources, 'db' | 'config'>,
  project: { id: string; slug: string },
  origin = '',
): Promise<Pick<PushScanInput, 'allowed' | 'maxBytes' | 'allowUrl'>> {
  return {
    allowed: new Set(await listAllowedFingerprints(res.db, project.id)),
    maxBytes: res.config.git.secretScanMaxBytes,
    allowUrl: `${origin}/api/projects/${project.slug}/secret-scanning/allowed`,
  };
}

import { DomainError } from '../../../platform/errors.ts';
import type { Resources } from '../../../platform/resources.ts';
import type { RefUpdate } from '../push.ts';
import { scanPush } from './scan-push.ts';
import { scanSettings } from './scan-settings.ts';

/** Orchard itself was about to move a ref to commits that add secrets (an agent's work). */
export class SecretsFoundError extends DomainError {
  readonly code = 'secrets_found';
  readonly status = 422;
}

/**
 * Secret scanning for ref moves that do not come through a push: the commits an agent run delivers
 * (agents/deliver-branch.ts) are held to the rules a person's push is, with the project's allowed
 * fingerprints and the same byte budget. Throws SecretsFoundError with the report a pusher would
 * read; a scan that cannot finish refuses too.
 */
export async function scanRefUpdates(
  res: Pick<Resources, 'db' | 'config'>,
  input: { repo: string; projectId: string; projectSlug: string; updates: readonly RefUpdate[] },
): Promise<void> {
  const origin = res.config.publicUrl ? new URL(res.config.publicUrl).origin : '';
  const scan = await scanPush({
    repo: input.repo,
    updates: input.updates.map((u) => [u.oldSha, u.newSha, u.ref] as const),
    ...(await scanSettings(res, { id: input.projectId, slug: input.projectSlug }, origin)),
  });
  if (scan.refusal)
    throw new SecretsFoundError(scan.refusal.trim(), {
      findings: scan.findings.map(({ path, line, ruleId, fingerprint }) => ({
        path,
        line,
        ruleId,
        fingerprint,
      })),
    });
}

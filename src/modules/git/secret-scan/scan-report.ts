import type { Finding } from './scan-patch.ts';

/** Findings listed in one refusal; the rest are counted. */
export const MAX_LISTED = 50;

const mib = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
const where = (commit: string) =>
  /^[0-9a-f]{40,64}$/.test(commit) ? `commit ${commit.slice(0, 7)}` : commit;

/**
 * What the pusher reads (git shows it as `remote:` lines): each finding as `path:line`, its rule,
 * its commit and its fingerprint (never the secret: at most its redacted form), what to do, and
 * how a false positive is allowed. Empty when there is nothing to refuse.
 */
export function formatRefusal({
  findings: all,
  exceeded,
  maxBytes,
  allowUrl,
}: {
  findings: readonly Finding[];
  exceeded: boolean;
  maxBytes: number;
  allowUrl?: string;
}): string {
  // One entry per fingerprint: the same secret in several commits (or a .env file changed twice)
  // is one thing to take out and, if it is a false positive, one thing to allow.
  const byPrint = new Map<string, Finding & { more: number }>();
  for (const f of all) {
    const seen = byPrint.get(f.fingerprint);
    if (seen) seen.more++;
    else byPrint.set(f.fingerprint, { ...f, more: 0 });
  }
  const findings = [...byPrint.values()];
  if (!findings.length && !exceeded) return '';
  const out: string[] = [];
  const count = findings.length === 1 ? 'a secret' : `${findings.length} secrets`;
  if (findings.length)
    out.push(`Orchard secret scanning refused this push: it adds ${count}. Nothing was updated.`, '');
  for (const f of findings.slice(0, MAX_LISTED)) {
    const shown = f.redacted ? ` (${f.redacted})` : '';
    const more = f.more ? ` (and ${f.more} more time${f.more === 1 ? '' : 's'})` : '';
    out.push(`  ${f.path}:${f.line}  ${f.ruleName}${shown} in ${where(f.commit)}${more}`);
    out.push(`      fingerprint ${f.fingerprint}`);
  }
  if (findings.length > MAX_LISTED) out.push(`  … and ${findings.length - MAX_LISTED} more`);
  if (exceeded) {
    if (findings.length) out.push('');
    out.push(
      `Orchard secret scanning refused this push: its changes are over ${mib(maxBytes)}, the most it`,
      'scans in one push (git.secretScanMaxBytes), and a push it cannot scan in full is refused.',
      'Nothing was updated. Push it in parts, older commits first (git push <remote> <commit>:<branch>),',
      'or ask an instance admin to raise git.secretScanMaxBytes.',
    );
  }
  if (findings.length) {
    out.push(
      '',
      'Take the secrets out of these commits (git commit --amend for the last one, git rebase -i for',
      'older ones) and push again. A key or token that was real has left your machine: revoke it and',
      'make a new one. Settings for others belong in a .env.example without values.',
      '',
      'A false positive? A project owner or an instance admin can allow a finding by its fingerprint:',
      `  POST ${allowUrl || '/api/projects/<project>/secret-scanning/allowed'}`,
      '  {"fingerprint": "<fingerprint>", "reason": "<why this is not a secret>"}',
    );
  }
  return `${out.join('\n')}\n`;
}

/** A scan that could not finish is a refusal too: an unscanned push must not slip through. */
export function formatFailure(reason: string): string {
  return [
    `Orchard could not scan this push for secrets (${reason}), so it was refused. Nothing was updated.`,
    'Try again; if it keeps failing, show this message to an instance admin.',
    '',
  ].join('\n');
}

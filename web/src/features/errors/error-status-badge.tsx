import type { ErrorGroup } from '../../api/error-types.ts';
import { Badge } from '../../widgets/badge.tsx';

/** Open (red), resolved (green), ignored (grey); an open group that came back says so. */
export function ErrorStatusBadge({ group }: { group: Pick<ErrorGroup, 'status' | 'regressedAt'> }) {
  if (group.status === 'resolved') return <Badge tone="green">Resolved</Badge>;
  if (group.status === 'ignored') return <Badge>Ignored</Badge>;
  return <Badge tone="red">{group.regressedAt ? 'Regressed' : 'Open'}</Badge>;
}

/** A release as shown: a commit's first 7 characters, or Orchard's version. */
export function releaseLabel(release: { label: string } | null): string {
  if (!release) return '—';
  return /^[0-9a-f]{40}$/.test(release.label) ? release.label.slice(0, 7) : release.label;
}

import type { PrincipalKind } from '../../api/principal-types.ts';
import { Badge } from '../../widgets/badge.tsx';

const LOOK: Record<PrincipalKind, { tone: 'neutral' | 'blue' | 'amber'; label: string }> = {
  human: { tone: 'neutral', label: 'person' },
  agent: { tone: 'blue', label: 'agent' },
  service: { tone: 'amber', label: 'service' },
};

/**
 * What kind of account this is: a person, an agent acting for one, or a service (tokens only).
 * People are the ordinary case, so their badge shows only when asked (`showHuman`).
 */
export function KindBadge({ kind, showHuman = false }: { kind: PrincipalKind; showHuman?: boolean }) {
  if (kind === 'human' && !showHuman) return null;
  const look = LOOK[kind];
  return <Badge tone={look.tone}>{look.label}</Badge>;
}

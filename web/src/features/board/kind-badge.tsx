import type { Classification, SdlcKind } from '../../api/board-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { classifiedBy, KIND_LABELS } from './board-labels.ts';

const TONE = { feature: 'blue', change: 'neutral', bugfix: 'red', chore: 'amber' } as const;

/** The kind of work, and who classified it how surely (its reason on hover). */
export function KindBadge({
  kind,
  classification,
}: {
  kind: SdlcKind;
  classification: Classification | null;
}) {
  return (
    <span
      className="inline-flex items-center gap-1.5"
      title={classification ? classification.reason : undefined}
      data-kind={kind}
    >
      <Badge tone={TONE[kind]}>{KIND_LABELS[kind]}</Badge>
      {classification && <span className="text-[11px] text-slate-500">{classifiedBy(classification)}</span>}
    </span>
  );
}

import type { BoardCard, FeaturePhase } from '../../api/board-types.ts';
import { Link } from '../../app/router.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { formatUsd } from '../llm/llm-format.ts';
import { to } from '../projects/project-paths.ts';
import { PHASE_LABELS } from './board-labels.ts';
import { KindBadge } from './kind-badge.tsx';
import { MoveMenu } from './move-menu.tsx';

/**
 * One feature on the board: title, kind, branch and merge request, assignee, cost; why it is
 * blocked; and — for developers, when no build is moving it — drag it or use its Move menu.
 */
export function FeatureCard({
  slug,
  card,
  canMove,
  selected,
  onMove,
  onSelect,
}: {
  slug: string;
  card: BoardCard;
  canMove: boolean;
  selected: boolean;
  onMove: (card: BoardCard, to: FeaturePhase) => void;
  onSelect: (card: BoardCard) => void;
}) {
  const movable = canMove && !card.building;
  return (
    <article
      aria-label={card.title}
      data-feature-id={card.id}
      data-phase={card.phase}
      draggable={movable}
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', card.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
      className={`space-y-2 rounded-md border bg-white p-3 text-sm shadow-xs ${
        selected ? 'border-emerald-500 ring-1 ring-emerald-500' : 'border-slate-200'
      } ${movable ? 'cursor-grab' : ''}`}
    >
      <h3 className="font-medium break-words text-slate-900">
        <button
          type="button"
          onClick={() => onSelect(card)}
          aria-pressed={selected}
          className="text-left hover:text-emerald-800 hover:underline focus-visible:outline-2 focus-visible:outline-emerald-600"
        >
          {card.title}
        </button>
      </h3>
      <div className="flex flex-wrap items-center gap-1.5">
        <KindBadge kind={card.kind} classification={card.classification} />
        {card.lane === 'blocked' && <Badge tone="amber">{PHASE_LABELS[card.phase]}</Badge>}
        {card.building && <Badge tone="blue">building</Badge>}
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 text-xs text-slate-600">
        {card.branch && (
          <>
            <dt className="text-slate-400">Branch</dt>
            <dd className="min-w-0 truncate font-mono" title={card.branch}>
              {card.branch}
            </dd>
          </>
        )}
        {card.mergeRequest && (
          <>
            <dt className="text-slate-400">MR</dt>
            <dd>
              <Link
                to={to.mergeRequest(slug, card.mergeRequest.number)}
                className="text-emerald-800 hover:underline"
              >
                !{card.mergeRequest.number}
              </Link>
              {card.mergeRequest.state && (
                <span className="ml-1 text-slate-400">{card.mergeRequest.state}</span>
              )}
            </dd>
          </>
        )}
        <dt className="text-slate-400">Assignee</dt>
        <dd className="min-w-0 truncate" data-assignee={card.assignee?.key ?? ''}>
          {card.assignee ? card.assignee.name : 'No one'}
          {card.assignee?.kind === 'agent' && <span className="ml-1 text-slate-400">(agent)</span>}
        </dd>
        <dt className="text-slate-400">Cost</dt>
        <dd>{formatUsd(card.costUsd)}</dd>
      </dl>
      {card.failure && <p className="text-xs break-words text-red-700">Failed: {card.failure}</p>}
      {card.blockedBy.length > 0 && (
        <p className="text-xs text-amber-800">
          Waits for {card.blockedBy.map((d) => `“${d.title}”`).join(', ')}
        </p>
      )}
      {movable && <MoveMenu card={card} onMove={(phase) => onMove(card, phase)} />}
    </article>
  );
}

import { useState } from 'react';
import type { BoardCard, FeaturePhase } from '../../api/board-types.ts';
import { PHASE_LABELS } from './board-labels.ts';
import { FeatureCard } from './feature-card.tsx';

interface ColumnsProps {
  slug: string;
  columns: FeaturePhase[];
  cards: BoardCard[];
  canMove: boolean;
  selected: string | null;
  onMove: (card: BoardCard, to: FeaturePhase) => void;
  onSelect: (card: BoardCard) => void;
}

/**
 * The board itself: the blocked lane (failed, or waiting for a feature not done) above a column
 * per phase. A card dropped on a column asks to move there; the state machine on the server
 * decides, and a refusal is shown with its reason.
 */
export function BoardColumns({ slug, columns, cards, canMove, selected, onMove, onSelect }: ColumnsProps) {
  const [over, setOver] = useState<FeaturePhase | null>(null);
  const byId = new Map(cards.map((c) => [c.id, c]));
  const blocked = cards.filter((c) => c.lane === 'blocked');
  const cancelled = cards.filter((c) => c.lane === 'cancelled');
  const cardOf = (c: BoardCard) => (
    <li key={c.id}>
      <FeatureCard
        slug={slug}
        card={c}
        canMove={canMove}
        selected={selected === c.id}
        onMove={onMove}
        onSelect={onSelect}
      />
    </li>
  );
  return (
    <div className="space-y-4">
      <section
        aria-label="Blocked"
        data-lane="blocked"
        className="rounded-lg border border-amber-200 bg-amber-50/60 p-3"
      >
        <h2 className="mb-2 text-xs font-semibold tracking-wide text-amber-900 uppercase">
          Blocked <span className="font-normal text-amber-700">({blocked.length})</span>
        </h2>
        {blocked.length ? (
          <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-4">{blocked.map(cardOf)}</ul>
        ) : (
          <p className="text-xs text-amber-800">
            Nothing is blocked: no failed feature, none waiting for another.
          </p>
        )}
      </section>
      <div className="overflow-x-auto pb-2">
        <div className="grid min-w-[70rem] grid-cols-7 gap-3">
          {columns.map((phase) => {
            const here = cards.filter((c) => c.lane === phase);
            return (
              <section
                key={phase}
                aria-label={PHASE_LABELS[phase]}
                data-column={phase}
                onDragOver={(event) => {
                  event.preventDefault();
                  event.dataTransfer.dropEffect = 'move';
                  setOver(phase);
                }}
                onDragLeave={() => setOver((o) => (o === phase ? null : o))}
                onDrop={(event) => {
                  event.preventDefault();
                  setOver(null);
                  const card = byId.get(event.dataTransfer.getData('text/plain'));
                  if (card && card.phase !== phase) onMove(card, phase);
                }}
                className={`min-h-40 rounded-lg border p-2 ${
                  over === phase ? 'border-emerald-400 bg-emerald-50' : 'border-slate-200 bg-slate-50'
                }`}
              >
                <h2 className="mb-2 px-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">
                  {PHASE_LABELS[phase]} <span className="font-normal text-slate-400">({here.length})</span>
                </h2>
                <ul className="space-y-2">{here.map(cardOf)}</ul>
              </section>
            );
          })}
        </div>
      </div>
      {cancelled.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-600">Cancelled ({cancelled.length})</summary>
          <ul className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-4">
            {cancelled.map(cardOf)}
          </ul>
        </details>
      )}
    </div>
  );
}

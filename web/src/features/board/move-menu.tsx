import type { BoardCard, FeaturePhase } from '../../api/board-types.ts';
import { useMenu } from '../../app/use-menu.ts';
import { Button } from '../../widgets/button.tsx';
import { PHASE_LABELS } from './board-labels.ts';

/**
 * The keyboard's way to move a card: the moves the state machine allows from its phase, as a
 * list of buttons that opens under "Move" (Escape closes it and gives the focus back).
 */
export function MoveMenu({ card, onMove }: { card: BoardCard; onMove: (to: FeaturePhase) => void }) {
  const menu = useMenu();
  const panelId = `moves-${card.id}`;
  if (card.allowedMoves.length === 0)
    return <p className="text-[11px] text-slate-500">{PHASE_LABELS[card.phase]} is final.</p>;
  return (
    <div className="relative">
      <Button
        ref={menu.button}
        variant="secondary"
        size="sm"
        className="h-7 px-2 text-xs"
        aria-expanded={menu.open}
        aria-controls={panelId}
        aria-label={`Move ${card.title}`}
        onClick={menu.toggle}
      >
        Move…
      </Button>
      {menu.open && (
        <div
          ref={menu.panel}
          id={panelId}
          className="absolute left-0 z-20 mt-1 w-44 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          <ul aria-label={`Moves allowed for ${card.title}`}>
            {card.allowedMoves.map((to) => (
              <li key={to}>
                <button
                  type="button"
                  className="w-full rounded px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-2 focus-visible:outline-emerald-600"
                  onClick={() => {
                    menu.close(true);
                    onMove(to);
                  }}
                >
                  Move to {PHASE_LABELS[to]}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

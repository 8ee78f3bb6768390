import type { BoardCard } from '../../api/board-types.ts';
import { PHASE_LABELS } from './board-labels.ts';
import { layoutDependencies, NODE_HEIGHT, NODE_WIDTH } from './dependency-layout.ts';

const FILL: Record<string, string> = {
  done: 'fill-emerald-50 stroke-emerald-400',
  failed: 'fill-red-50 stroke-red-400',
  cancelled: 'fill-slate-100 stroke-slate-300',
};

const clip = (text: string, max = 24) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Which features wait for which, drawn left to right (an arrow points at the feature that waits). */
export function DependencyGraph({ cards }: { cards: BoardCard[] }) {
  const { nodes, edges, width, height } = layoutDependencies(cards);
  const titles = new Map(cards.map((c) => [c.id, c.title]));
  if (!nodes.length)
    return (
      <p className="text-sm text-slate-500">
        No feature waits for another. Set what one waits for in its details.
      </p>
    );
  return (
    <div className="overflow-x-auto">
      <svg
        role="img"
        aria-labelledby="dependency-graph-title"
        width={width + 8}
        height={height + 8}
        viewBox={`-4 -4 ${width + 8} ${height + 8}`}
        className="text-slate-500"
      >
        <title id="dependency-graph-title">
          {edges.map((e) => `${titles.get(e.from)} waits for ${titles.get(e.to)}`).join('; ')}
        </title>
        <defs>
          <marker
            id="dependency-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="fill-current" />
          </marker>
        </defs>
        {edges.map((e) => (
          <path
            key={`${e.from}-${e.to}`}
            d={e.d}
            fill="none"
            className="stroke-current"
            strokeWidth="1.5"
            markerEnd="url(#dependency-arrow)"
            data-edge={`${e.from}->${e.to}`}
          />
        ))}
        {nodes.map((n) => (
          <g key={n.id} transform={`translate(${n.x},${n.y})`} data-node={n.id}>
            <rect
              width={NODE_WIDTH}
              height={NODE_HEIGHT}
              rx="6"
              className={FILL[n.phase] ?? 'fill-white stroke-slate-300'}
            />
            <text x="10" y="18" className="fill-slate-900 text-[12px] font-medium">
              {clip(n.title)}
            </text>
            <text x="10" y="34" className="fill-slate-500 text-[11px]">
              {PHASE_LABELS[n.phase as keyof typeof PHASE_LABELS] ?? n.phase}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}

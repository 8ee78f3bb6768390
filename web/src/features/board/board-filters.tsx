import { useId } from 'react';
import type { BoardAssignee, BoardFilters } from '../../api/board-types.ts';
import { navigate } from '../../app/router.tsx';
import { compactControl } from '../../widgets/compact-control.ts';
import { to } from '../projects/project-paths.ts';
import { KIND_LABELS, KINDS } from './board-labels.ts';

/** The board's filters, kept in the address (`?assignee=…&kind=…`) so a filtered board can be shared. */
export function BoardFilterBar({
  slug,
  filters,
  assignees,
}: {
  slug: string;
  filters: BoardFilters;
  assignees: BoardAssignee[];
}) {
  const assigneeId = useId();
  const kindId = useId();
  const go = (next: BoardFilters) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, ...next })) if (v) query.set(k, String(v));
    const qs = query.toString();
    navigate(`${to.board(slug)}${qs ? `?${qs}` : ''}`, { replace: true });
  };
  // One choice for "who": everyone, humans, agents, nobody, or one assignee.
  const who = filters.assigneeKind ? `kind:${filters.assigneeKind}` : (filters.assignee ?? '');
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={assigneeId} className="text-sm text-slate-600">
        Assignee
      </label>
      <select
        id={assigneeId}
        value={who}
        onChange={(e) => {
          const v = e.target.value;
          go(
            v.startsWith('kind:')
              ? { assignee: undefined, assigneeKind: v.slice(5) as 'human' | 'agent' }
              : { assignee: v || undefined, assigneeKind: undefined },
          );
        }}
        className={`${compactControl} w-44`}
      >
        <option value="">Everyone</option>
        <option value="kind:human">People</option>
        <option value="kind:agent">Agents</option>
        <option value="none">No one</option>
        {assignees.map((a) => (
          <option key={a.key} value={a.key}>
            {a.kind === 'agent' ? `${a.name} (agent)` : a.name}
          </option>
        ))}
      </select>
      <label htmlFor={kindId} className="text-sm text-slate-600">
        Kind
      </label>
      <select
        id={kindId}
        value={filters.kind ?? ''}
        onChange={(e) => go({ kind: (e.target.value || undefined) as BoardFilters['kind'] })}
        className={`${compactControl} w-36`}
      >
        <option value="">Any</option>
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
    </div>
  );
}

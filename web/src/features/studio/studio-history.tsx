import { useState } from 'react';
import type { JsonPatchOp, Snapshot } from '../../api/studio-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { formatDateTime, formatRelative } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { useDiff } from './studio-queries.ts';

const KIND_LABEL: Record<string, string> = {
  create: 'created',
  autopilot: 'drafted',
  chat: 'chat',
  edit: 'edit',
};

/** Every version of the Blueprint, newest first; one opens to show what it changed. */
export function StudioHistory({ blueprintId, snapshots }: { blueprintId: string; snapshots: Snapshot[] }) {
  const newest = snapshots[snapshots.length - 1]?.version ?? 0;
  const [open, setOpen] = useState<number | null>(newest > 1 ? newest : null);
  if (!snapshots.length) return <p className="px-5 py-6 text-sm text-slate-500">No history yet.</p>;
  return (
    <ol aria-label="Snapshot history" className="divide-y divide-slate-100">
      {[...snapshots].reverse().map((s) => (
        <li key={s.version}>
          <button
            type="button"
            aria-expanded={open === s.version}
            onClick={() => setOpen(open === s.version ? null : s.version)}
            className="flex w-full items-start gap-3 px-5 py-3 text-left hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-emerald-600"
          >
            <span className="w-9 shrink-0 pt-0.5 font-mono text-xs font-semibold text-slate-500">
              v{s.version}
            </span>
            <span className="min-w-0 flex-1">
              <span className="flex items-center gap-2">
                <Badge tone={s.kind === 'edit' ? 'blue' : s.kind === 'chat' ? 'green' : 'neutral'}>
                  {KIND_LABEL[s.kind] ?? s.kind}
                </Badge>
                <span className="text-xs text-slate-500">
                  {s.actor ?? 'Orchard'} ·{' '}
                  <time title={formatDateTime(s.createdAt)}>{formatRelative(s.createdAt)}</time>
                </span>
              </span>
              {s.message && <span className="mt-1 block truncate text-sm text-slate-700">{s.message}</span>}
            </span>
            <span className="shrink-0 pt-0.5 text-xs text-slate-400">
              {s.patch.length} change{s.patch.length === 1 ? '' : 's'}
            </span>
          </button>
          {open === s.version && (
            <div className="px-5 pb-4">
              {s.version > 1 ? (
                <SnapshotDiff blueprintId={blueprintId} from={s.version - 1} to={s.version} />
              ) : (
                <p className="text-xs text-slate-500">The first version: nothing to compare with.</p>
              )}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

function SnapshotDiff({ blueprintId, from, to }: { blueprintId: string; from: number; to: number }) {
  const diff = useDiff(blueprintId, from, to, true);
  if (diff.isPending) return <Loading label="Loading the changes…" className="py-2" />;
  if (diff.isError) return <ErrorAlert error={diff.error} />;
  return <PatchView patch={diff.data.patch} label={`Changes from v${from} to v${to}`} />;
}

const OP_STYLE: Record<string, { sign: string; className: string }> = {
  add: { sign: '+', className: 'bg-emerald-50 text-emerald-900' },
  remove: { sign: '−', className: 'bg-red-50 text-red-900' },
  replace: { sign: '~', className: 'bg-amber-50 text-amber-900' },
};

/** A JSON Patch as readable lines: what was added, removed or replaced, and where. */
export function PatchView({ patch, label }: { patch: JsonPatchOp[]; label: string }) {
  if (!patch.length) return <p className="text-xs text-slate-500">No changes.</p>;
  return (
    <ul aria-label={label} className="space-y-1 font-mono text-xs">
      {patch.map((op, i) => {
        const style = OP_STYLE[op.op] ?? { sign: '•', className: 'bg-slate-50 text-slate-800' };
        const value = 'value' in op && op.value !== undefined ? JSON.stringify(op.value) : '';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a patch is an ordered list; the index is its identity
          <li key={i} className={`rounded px-2 py-1 ${style.className}`}>
            <span className="mr-2 font-semibold">{style.sign}</span>
            <span>{op.path.replace(/^\/sections\//, '')}</span>
            {value && (
              <span className="mt-0.5 block truncate pl-4 text-[11px] opacity-80" title={value}>
                {value}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

import { useState } from 'react';
import type { Diff, FileChange, FileChangeStatus } from '../../api/repo-types.ts';
import { Link } from '../../app/router.tsx';
import { Alert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { to } from '../projects/project-paths.ts';

interface DiffLine {
  kind: 'add' | 'del' | 'ctx' | 'hunk' | 'meta';
  text: string;
  oldNo?: number;
  newNo?: number;
}

/** Parses one file's `git diff` text into numbered lines (the file headers before the first hunk are dropped). */
export function parsePatch(patch: string): DiffLine[] {
  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  for (const line of lines) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      inHunk = true;
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      out.push({ kind: 'hunk', text: line });
    } else if (!inHunk) {
      // diff --git, index, ---/+++ and mode lines: the file header says the same more clearly.
    } else if (line.startsWith('+')) out.push({ kind: 'add', text: line.slice(1), newNo: newNo++ });
    else if (line.startsWith('-')) out.push({ kind: 'del', text: line.slice(1), oldNo: oldNo++ });
    else if (line.startsWith('\\')) out.push({ kind: 'meta', text: line.slice(2) });
    else out.push({ kind: 'ctx', text: line.slice(1), oldNo: oldNo++, newNo: newNo++ });
  }
  return out;
}

const STATUS_TONE: Record<FileChangeStatus, 'green' | 'red' | 'blue' | 'amber' | 'neutral'> = {
  added: 'green',
  deleted: 'red',
  modified: 'blue',
  renamed: 'amber',
  copied: 'amber',
  type_changed: 'neutral',
};

/** Beyond this many patch lines a file starts folded (the page stays quick on big changes). */
const FOLD_LINES = 800;

/** A unified diff: a summary of the changed files, then each file's hunks. */
export function RepoDiff({ slug, diff, viewRef }: { slug: string; diff: Diff; viewRef: string }) {
  const additions = diff.files.reduce((n, f) => n + (f.additions ?? 0), 0);
  const deletions = diff.files.reduce((n, f) => n + (f.deletions ?? 0), 0);
  if (diff.files.length === 0)
    return (
      <p className="rounded-lg border border-slate-200 bg-white px-5 py-8 text-center text-sm text-slate-500">
        No changes.
      </p>
    );
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
        <span>
          <strong className="font-semibold text-slate-900">{diff.files.length}</strong> file
          {diff.files.length === 1 ? '' : 's'} changed
        </span>
        <span className="font-mono text-emerald-700">+{additions}</span>
        <span className="font-mono text-red-700">−{deletions}</span>
      </div>
      {diff.truncated && (
        <Alert tone="warning" title="This diff is too large to show in full">
          The file list is complete; clone the repository to read every change.
        </Alert>
      )}
      <ul aria-label="Changed files" className="rounded-lg border border-slate-200 bg-white text-sm">
        {diff.files.map((f, i) => (
          <li
            key={`${f.oldPath ?? ''}→${f.path}`}
            className="flex items-center gap-3 border-b border-slate-100 px-4 py-1.5 last:border-b-0"
          >
            <a
              href={`#diff-${i}`}
              className="min-w-0 flex-1 truncate font-mono text-xs text-emerald-800 hover:underline"
            >
              {f.path}
            </a>
            <Counts file={f} />
          </li>
        ))}
      </ul>
      {diff.files.map((f, i) => (
        <FileDiff
          key={`${f.oldPath ?? ''}→${f.path}`}
          id={`diff-${i}`}
          slug={slug}
          file={f}
          viewRef={viewRef}
        />
      ))}
    </div>
  );
}

function Counts({ file }: { file: FileChange }) {
  if (file.binary) return <span className="text-xs text-slate-500">binary</span>;
  return (
    <span className="shrink-0 font-mono text-xs">
      <span className="text-emerald-700">+{file.additions ?? 0}</span>{' '}
      <span className="text-red-700">−{file.deletions ?? 0}</span>
    </span>
  );
}

function FileDiff({
  id,
  slug,
  file,
  viewRef,
}: {
  id: string;
  slug: string;
  file: FileChange;
  viewRef: string;
}) {
  const lines = file.patch ? parsePatch(file.patch) : [];
  const [open, setOpen] = useState(lines.length <= FOLD_LINES);
  return (
    <section
      id={id}
      aria-label={`Changes to ${file.path}`}
      className="scroll-mt-20 overflow-hidden rounded-lg border border-slate-200 bg-white"
    >
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-slate-50 px-4 py-2">
        <Badge tone={STATUS_TONE[file.status]}>{file.status.replace('_', ' ')}</Badge>
        <h3 className="min-w-0 flex-1 truncate font-mono text-xs font-semibold text-slate-900">
          {file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path}
        </h3>
        <Counts file={file} />
        {file.status !== 'deleted' && (
          <Link
            to={to.file(slug, viewRef, file.path)}
            className="text-xs font-medium text-emerald-800 hover:underline"
          >
            View file
          </Link>
        )}
        {lines.length > 0 && (
          <Button variant="ghost" size="sm" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide' : 'Show'}
          </Button>
        )}
      </header>
      {file.binary ? (
        <p className="px-4 py-3 text-sm text-slate-500">Binary file; no text diff.</p>
      ) : file.patch === null ? (
        <p className="px-4 py-3 text-sm text-slate-500">This file's diff is too large to show.</p>
      ) : lines.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500">No content changes (mode or rename only).</p>
      ) : !open ? (
        <p className="px-4 py-3 text-sm text-slate-500">
          {lines.length} lines folded.{' '}
          <button
            type="button"
            className="font-medium text-emerald-800 underline"
            onClick={() => setOpen(true)}
          >
            Show them
          </button>
        </p>
      ) : (
        <DiffTable lines={lines} />
      )}
    </section>
  );
}

const ROW: Record<DiffLine['kind'], string> = {
  add: 'bg-emerald-50',
  del: 'bg-red-50',
  ctx: '',
  hunk: 'bg-sky-50 text-sky-800',
  meta: 'text-slate-500 italic',
};
const NUM: Record<DiffLine['kind'], string> = {
  add: 'bg-emerald-100/70 text-emerald-800',
  del: 'bg-red-100/70 text-red-800',
  ctx: 'text-slate-400',
  hunk: 'bg-sky-100/60 text-sky-700',
  meta: 'text-slate-400',
};
const SIGN = { add: '+', del: '−', ctx: ' ', hunk: '', meta: '' } as const;

function DiffTable({ lines }: { lines: DiffLine[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse font-mono text-xs leading-5">
        <tbody>
          {lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their position
            <tr key={i} className={ROW[l.kind]} data-kind={l.kind}>
              <td className={`w-12 px-2 text-right select-none ${NUM[l.kind]}`}>{l.oldNo ?? ''}</td>
              <td className={`w-12 px-2 text-right select-none ${NUM[l.kind]}`}>{l.newNo ?? ''}</td>
              <td className="w-4 pl-2 text-center select-none text-slate-500" aria-hidden="true">
                {SIGN[l.kind]}
              </td>
              <td className="pr-4 whitespace-pre text-slate-800">
                {l.kind === 'add' && <span className="sr-only">added: </span>}
                {l.kind === 'del' && <span className="sr-only">removed: </span>}
                {l.text}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

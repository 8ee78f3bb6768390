import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import type { Branch } from '../../api/repo-types.ts';
import { compactControl } from '../../widgets/compact-control.ts';

export function useBranches(slug: string) {
  return useQuery({
    queryKey: keys.branches(slug),
    queryFn: () => api.get<Page<Branch>>(`/api/projects/${seg(slug)}/branches`),
    select: (page) => page.items,
  });
}

/**
 * The branch that holds the code: the default branch — unless all it has is the first commit
 * Orchard wrote to start the repository while a build waits for review on its own branch; then
 * the newest branch. An empty repository has none yet: `main`.
 */
export function codeBranch(branches: Branch[] | undefined): string {
  const main = branches?.find((b) => b.default);
  const others = (branches ?? []).filter((b) => !b.default);
  if (main?.root && main.title === 'Initial commit' && others.length)
    return others.reduce((a, b) => (b.committedAt > a.committedAt ? b : a)).name;
  return defaultBranch(branches);
}

/** The default branch, else `main` (an empty repository has none yet). */
export const defaultBranch = (branches: Branch[] | undefined) =>
  branches?.find((b) => b.default)?.name ?? branches?.[0]?.name ?? 'main';

/**
 * A branch select. A ref that is not a branch (a commit sha) stays selectable as itself, so the
 * picker always shows what is on screen.
 */
export function BranchPicker({
  branches,
  value,
  onChange,
  label = 'Branch',
  hideLabel = true,
}: {
  branches: Branch[];
  value: string;
  onChange: (ref: string) => void;
  label?: string;
  hideLabel?: boolean;
}) {
  const id = useId();
  const known = branches.some((b) => b.name === value);
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'text-sm font-medium text-slate-700'}>
        {label}
      </label>
      <span className="relative inline-flex items-center">
        <BranchGlyph />
        <select
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={`${compactControl} w-auto max-w-64 pr-8 pl-8 font-mono text-xs`}
        >
          {!known && <option value={value}>{value.length === 40 ? value.slice(0, 12) : value}</option>}
          {branches.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name}
              {b.default ? ' (default)' : ''}
            </option>
          ))}
        </select>
      </span>
    </div>
  );
}

function BranchGlyph() {
  return (
    <svg
      viewBox="0 0 16 16"
      aria-hidden="true"
      className="pointer-events-none absolute left-2.5 size-3.5 text-slate-500"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <circle cx="4.5" cy="3.5" r="1.75" />
      <circle cx="4.5" cy="12.5" r="1.75" />
      <circle cx="11.5" cy="5.5" r="1.75" />
      <path d="M4.5 5.25v5.5M11.5 7.25c0 2.5-3 2.5-5.6 4" />
    </svg>
  );
}

import type { TreeEntry } from '../../api/repo-types.ts';
import { Link } from '../../app/router.tsx';
import { formatBytes } from '../../widgets/format.ts';
import { to } from '../projects/project-paths.ts';

/** A directory listing: folders first (as the API sorts), a ".." row below the root. */
export function RepoTree({
  slug,
  refName,
  path,
  entries,
}: {
  slug: string;
  refName: string;
  path: string;
  entries: TreeEntry[];
}) {
  const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Files in {path || 'the repository root'}</caption>
      <thead className="sr-only">
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {path && (
          <tr className="hover:bg-slate-50">
            <td className="px-5 py-2" colSpan={2}>
              <Link
                to={to.code(slug, refName, parent)}
                className="flex items-center gap-2 font-mono text-slate-600 hover:text-emerald-800"
                aria-label="Parent directory"
              >
                <EntryIcon type="tree" />
                ..
              </Link>
            </td>
          </tr>
        )}
        {entries.map((e) => (
          <tr key={e.path} className="hover:bg-slate-50">
            <td className="px-5 py-2">
              {e.type === 'commit' ? (
                <span
                  className="flex items-center gap-2 text-slate-700"
                  title={`Submodule at ${e.sha.slice(0, 12)}`}
                >
                  <EntryIcon type="commit" />
                  {e.name} <span className="font-mono text-xs text-slate-400">@ {e.sha.slice(0, 8)}</span>
                </span>
              ) : (
                <Link
                  to={e.type === 'tree' ? to.code(slug, refName, e.path) : to.file(slug, refName, e.path)}
                  className="flex items-center gap-2 text-slate-800 hover:text-emerald-800 hover:underline"
                >
                  <EntryIcon type={e.type} />
                  {e.name}
                </Link>
              )}
            </td>
            <td className="w-28 px-5 py-2 text-right text-xs text-slate-500">
              {e.type === 'blob' ? formatBytes(e.size) : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EntryIcon({ type }: { type: TreeEntry['type'] }) {
  if (type === 'tree')
    return (
      <svg
        viewBox="0 0 20 20"
        aria-hidden="true"
        className="size-4 shrink-0 text-sky-500"
        fill="currentColor"
      >
        <path d="M2 5.5A1.5 1.5 0 0 1 3.5 4h4l1.5 2h7.5A1.5 1.5 0 0 1 18 7.5v7a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 2 14.5z" />
      </svg>
    );
  if (type === 'commit')
    return (
      <svg
        viewBox="0 0 20 20"
        aria-hidden="true"
        className="size-4 shrink-0 text-slate-400"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      >
        <rect x="3" y="4" width="14" height="12" rx="1.5" />
        <path d="M7 8h6M7 12h4" />
      </svg>
    );
  return (
    <svg
      viewBox="0 0 20 20"
      aria-hidden="true"
      className="size-4 shrink-0 text-slate-400"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <path d="M5 2.75h6.5L15.25 6.5v10.75H5z" strokeLinejoin="round" />
      <path d="M11.25 2.75V6.75h4" strokeLinejoin="round" />
    </svg>
  );
}

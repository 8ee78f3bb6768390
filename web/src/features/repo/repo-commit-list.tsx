import type { Commit } from '../../api/repo-types.ts';
import { Link } from '../../app/router.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { shortSha, to } from '../projects/project-paths.ts';

/** Commits newest first: title (to the commit), author and time, the short sha, and "browse files". */
export function RepoCommitList({
  slug,
  commits,
  label = 'Commits',
}: {
  slug: string;
  commits: Commit[];
  label?: string;
}) {
  return (
    <ul aria-label={label} className="divide-y divide-slate-100">
      {commits.map((c) => (
        <li key={c.sha} className="flex items-start gap-4 px-5 py-3 hover:bg-slate-50">
          <div className="min-w-0 flex-1">
            <Link
              to={to.commit(slug, c.sha)}
              className="block truncate font-medium text-slate-900 hover:text-emerald-800 hover:underline"
            >
              {c.title || '(no message)'}
            </Link>
            <p className="mt-0.5 text-xs text-slate-500">
              <span className="font-medium text-slate-700">{c.authorName}</span> committed{' '}
              <TimeAgo iso={c.committedAt} />
            </p>
          </div>
          <div className="flex shrink-0 items-center gap-2">
            <Link
              to={to.commit(slug, c.sha)}
              className="rounded-md border border-slate-200 bg-white px-2 py-0.5 font-mono text-xs text-slate-700 hover:border-slate-300 hover:text-emerald-800"
              aria-label={`Commit ${shortSha(c.sha)}`}
            >
              {shortSha(c.sha)}
            </Link>
            <Link
              to={to.code(slug, c.sha)}
              className="rounded-md px-2 py-0.5 text-xs text-slate-500 hover:bg-slate-100 hover:text-slate-800"
              title="Browse the files at this commit"
            >
              Files
            </Link>
          </div>
        </li>
      ))}
    </ul>
  );
}

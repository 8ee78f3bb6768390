import { Link } from '../../app/router.tsx';
import { to } from '../projects/project-paths.ts';

/** `repo / src / lib / file.ts`: every directory is a link; the last part is where we are. */
export function RepoBreadcrumbs({ slug, refName, path }: { slug: string; refName: string; path: string }) {
  const parts = path ? path.split('/') : [];
  return (
    <nav aria-label="Path" className="flex min-w-0 flex-wrap items-center gap-1 font-mono text-sm">
      {parts.length === 0 ? (
        <span className="font-semibold text-slate-900">{slug}</span>
      ) : (
        <Link to={to.code(slug, refName)} className="text-emerald-800 hover:underline">
          {slug}
        </Link>
      )}
      {parts.map((part, i) => {
        const last = i === parts.length - 1;
        return (
          <span key={parts.slice(0, i + 1).join('/')} className="flex items-center gap-1">
            <span aria-hidden="true" className="text-slate-400">
              /
            </span>
            {last ? (
              <span aria-current="location" className="font-semibold text-slate-900">
                {part}
              </span>
            ) : (
              <Link
                to={to.code(slug, refName, parts.slice(0, i + 1).join('/'))}
                className="text-emerald-800 hover:underline"
              >
                {part}
              </Link>
            )}
          </span>
        );
      })}
    </nav>
  );
}

import type { Check } from '../../api/review-types.ts';
import { Link } from '../../app/router.tsx';
import { to } from '../projects/project-paths.ts';

type Annotation = Check['annotations'][number];

const LEVEL = {
  failure: { label: 'Failure', tone: 'bg-red-100 text-red-800' },
  warning: { label: 'Warning', tone: 'bg-amber-100 text-amber-900' },
  notice: { label: 'Notice', tone: 'bg-sky-100 text-sky-900' },
} as const;

/** `path:line` of the file at the commit checked, opened at that line; else the page it is about. */
function Where({ slug, sha, a }: { slug: string; sha: string; a: Annotation }) {
  if (a.path) {
    const line = a.startLine
      ? `:${a.startLine}${a.endLine && a.endLine !== a.startLine ? `-${a.endLine}` : ''}`
      : '';
    return (
      <Link
        to={`${to.file(slug, sha, a.path)}${a.startLine ? `#L${a.startLine}` : ''}`}
        className="font-mono text-emerald-800 hover:underline"
      >
        {a.path}
        {line}
      </Link>
    );
  }
  if (!a.url) return null;
  return (
    <a
      href={a.url}
      target="_blank"
      rel="noopener noreferrer"
      className="font-mono break-all text-emerald-800 hover:underline"
    >
      {a.url}
    </a>
  );
}

/**
 * What a check found, each where it comes from: a line of a file (linked to the file at the
 * checked commit) or a page, with its message and the screenshots taken there.
 */
export function CheckAnnotations({
  slug,
  sha,
  checkName,
  annotations,
}: {
  slug: string;
  sha: string;
  checkName: string;
  annotations: Annotation[];
}) {
  if (annotations.length === 0) return null;
  return (
    <ul aria-label={`Findings of the ${checkName} check`} className="mt-2 space-y-2">
      {annotations.map((a, i) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: annotations have no identity beyond their order
          key={i}
          data-level={a.level}
          className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-xs"
        >
          <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
            <span className={`rounded px-1.5 py-0.5 font-medium ${LEVEL[a.level].tone}`}>
              {LEVEL[a.level].label}
            </span>
            <Where slug={slug} sha={sha} a={a} />
            <span className="font-medium text-slate-900">{a.title}</span>
          </p>
          {a.message && <p className="mt-1 break-words whitespace-pre-wrap text-slate-700">{a.message}</p>}
          {a.screenshots.length > 0 && (
            <ul aria-label="Screenshots" className="mt-2 flex flex-wrap gap-2">
              {a.screenshots.map((shot) => (
                <li key={shot.url}>
                  <a
                    href={shot.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    title={`Open ${shot.name} full size`}
                  >
                    <img
                      src={shot.url}
                      alt={`Screenshot: ${shot.name}`}
                      loading="lazy"
                      className="h-20 w-32 rounded border border-slate-200 bg-white object-cover object-top"
                    />
                  </a>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

import type { Check } from '../../api/review-types.ts';
import { Link } from '../../app/router.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { StatusIcon, statusLabel } from '../pipelines/pipeline-status.tsx';
import { to } from '../projects/project-paths.ts';
import { CheckAnnotations } from './check-annotations.tsx';

const NAMES: Record<string, string> = {
  pipeline: 'Pipeline',
  'browser-verification': 'Browser verification',
};

/** Where a check's "Details" lead: its pipeline, its operation, or the URL it reported. */
function detailsHref(slug: string, check: Check): { href: string; internal: boolean } | undefined {
  const number = check.details.number;
  if (check.name === 'pipeline' && typeof number === 'number')
    return { href: to.pipeline(slug, number), internal: true };
  if (check.targetUrl) return { href: check.targetUrl, internal: check.targetUrl.startsWith('/') };
  const op = check.details.operationId;
  if (typeof op === 'string') return { href: to.operation(op), internal: true };
  return undefined;
}

/**
 * The checks reported on a commit: pipeline, browser verification, … each with its status and
 * what it found (annotations at a file's line or a page, with screenshots).
 */
export function MrChecks({ slug, sha, checks }: { slug: string; sha: string; checks: Check[] }) {
  if (checks.length === 0)
    return <p className="px-5 py-4 text-sm text-slate-500">No checks reported on the head commit yet.</p>;
  return (
    <ul aria-label="Checks" className="divide-y divide-slate-100">
      {checks.map((c) => {
        const details = detailsHref(slug, c);
        return (
          <li key={c.name} className="flex items-start gap-3 px-5 py-3 text-sm" data-status={c.status}>
            <StatusIcon status={c.status} className="mt-0.5 size-4" />
            <div className="min-w-0 flex-1">
              <p className="font-medium text-slate-900">
                {NAMES[c.name] ?? c.name}{' '}
                <span className="font-normal text-slate-500">— {statusLabel(c.status)}</span>
              </p>
              <p className="truncate text-xs text-slate-500">
                {c.summary} · <TimeAgo iso={c.updatedAt} />
              </p>
              <CheckAnnotations
                slug={slug}
                sha={sha}
                checkName={NAMES[c.name] ?? c.name}
                annotations={c.annotations}
              />
            </div>
            {details &&
              (details.internal ? (
                <Link
                  to={details.href}
                  className="shrink-0 text-xs font-medium text-emerald-800 hover:underline"
                  aria-label={`Details of the ${NAMES[c.name] ?? c.name} check`}
                >
                  Details
                </Link>
              ) : (
                <a
                  href={details.href}
                  target="_blank"
                  rel="noopener noreferrer"
                  className="shrink-0 text-xs font-medium text-emerald-800 hover:underline"
                >
                  Details
                </a>
              ))}
          </li>
        );
      })}
    </ul>
  );
}

/** One status for a set of checks: failure beats running beats pending beats success. */
export function rollup(checks: Check[]): string | undefined {
  if (checks.length === 0) return undefined;
  for (const s of ['failure', 'error', 'running', 'pending', 'cancelled'] as const)
    if (checks.some((c) => c.status === s)) return s;
  return 'success';
}

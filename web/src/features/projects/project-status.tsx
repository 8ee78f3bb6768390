import type { BuildOverview, EnvironmentOverview, ProjectOverview } from '../../api/project-types.ts';
import { Link } from '../../app/router.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { EnvStatusBadge } from '../environments/env-badges.tsx';
import { to } from './project-paths.ts';

const BUILD: Record<BuildOverview['status'], { tone: 'blue' | 'green' | 'red' | 'amber'; label: string }> = {
  queued: { tone: 'blue', label: 'queued' },
  running: { tone: 'blue', label: 'building' },
  succeeded: { tone: 'green', label: 'succeeded' },
  failed: { tone: 'red', label: 'failed' },
  cancelled: { tone: 'amber', label: 'cancelled' },
};

/** Links above a card's whole-card link (its `after:inset-0` overlay) stay clickable. */
const inner = 'relative z-10 focus-visible:outline-2 focus-visible:outline-emerald-600';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `http://staging--shop.localhost:4000/` → `staging--shop.localhost:4000`: the part a person reads. */
export const displayUrl = (url: string) => url.replace(/^https?:\/\//, '').replace(/\/$/, '');

/**
 * A project's state at a glance: its last build, staging and production (public URL, commit,
 * verification), and how many merge requests and issues are open. `compact` leaves out what is
 * empty, for small cards.
 */
export function ProjectStatus({
  slug,
  overview,
  compact = false,
  large = false,
  className = '',
}: {
  slug: string;
  overview: ProjectOverview;
  compact?: boolean;
  /** Body-sized text (the project page), instead of the lists' small print. */
  large?: boolean;
  className?: string;
}) {
  const { lastBuild, staging, production } = overview;
  return (
    <dl
      data-testid="project-status"
      className={`grid grid-cols-[auto_minmax(0,1fr)] items-baseline gap-x-3 gap-y-1 ${large ? 'text-sm' : 'text-xs'} ${className}`}
    >
      <dt className="text-slate-500">Last build</dt>
      <dd className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-0.5" data-testid="last-build">
        {lastBuild ? (
          <>
            <Badge tone={BUILD[lastBuild.status].tone}>{BUILD[lastBuild.status].label}</Badge>
            <span className="text-slate-500">
              <TimeAgo iso={lastBuild.finishedAt ?? lastBuild.createdAt} />
            </span>
          </>
        ) : (
          <span className="text-slate-500">not built yet</span>
        )}
      </dd>
      <dt className="text-slate-500">Staging</dt>
      <dd className="min-w-0" data-testid="staging">
        <EnvironmentLine env={staging} none="not deployed" whole={large} />
      </dd>
      {(!compact || production) && (
        <>
          <dt className="text-slate-500">Production</dt>
          <dd className="min-w-0" data-testid="production">
            <EnvironmentLine env={production} none="not published" whole={large} />
          </dd>
        </>
      )}
      <dt className="text-slate-500">Open</dt>
      <dd className="flex min-w-0 flex-wrap gap-x-3" data-testid="open-reviews">
        <Link to={to.mergeRequests(slug)} className={`${inner} text-slate-700 hover:underline`}>
          {plural(overview.openMergeRequests, 'merge request', 'merge requests')}
        </Link>
        <Link to={to.issues(slug)} className={`${inner} text-slate-700 hover:underline`}>
          {plural(overview.openIssues, 'issue', 'issues')}
        </Link>
      </dd>
    </dl>
  );
}

/** The public URL (never the app's direct port), the commit there and whether the robot passed it. */
function EnvironmentLine({
  env,
  none,
  whole,
}: {
  env: EnvironmentOverview | null;
  none: string;
  /** Wrap a long address instead of cutting it short (where there is room for it). */
  whole: boolean;
}) {
  if (!env) return <span className="text-slate-500">{none}</span>;
  return (
    <span className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-0.5">
      <a
        href={env.url}
        target="_blank"
        rel="noreferrer"
        title={env.url}
        className={`${inner} block max-w-full min-w-0 font-mono text-emerald-700 hover:underline ${whole ? 'break-all' : 'truncate'}`}
      >
        {displayUrl(env.url)}
      </a>
      {env.shortSha && <code className="rounded bg-slate-100 px-1 text-slate-700">{env.shortSha}</code>}
      {env.shortSha &&
        (env.verified ? <Badge tone="green">verified</Badge> : <Badge tone="amber">not verified</Badge>)}
      {env.status !== 'running' && <EnvStatusBadge status={env.status} />}
    </span>
  );
}

/**
 * The first page of the app as the browser robot saw it when it verified the release; a quiet
 * placeholder until there is one.
 */
export function ProjectThumbnail({
  url,
  name,
  className = '',
}: {
  url: string | null;
  name: string;
  className?: string;
}) {
  return (
    <div
      className={`aspect-[16/10] overflow-hidden rounded-md border border-slate-200 bg-slate-50 ${className}`}
    >
      {url ? (
        <img
          src={url}
          alt={`${name}: the first page, as verified`}
          loading="lazy"
          decoding="async"
          className="size-full object-cover object-top"
          data-testid="project-thumbnail"
        />
      ) : (
        <div className="grid size-full place-items-center text-slate-300">
          <svg
            viewBox="0 0 24 24"
            className="size-6"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            aria-hidden="true"
          >
            <rect x="3" y="4" width="18" height="14" rx="2" />
            <path d="M3 8h18M8 21h8" />
          </svg>
        </div>
      )}
    </div>
  );
}

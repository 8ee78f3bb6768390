import type { Environment, Release } from '../../api/env-types.ts';
import type { ProjectRole } from '../../api/project-types.ts';
import { Link } from '../../app/router.tsx';
import { Alert, ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { formatDateTime, formatRelative } from '../../widgets/format.ts';
import { roleAtLeast } from '../projects/roles.ts';
import { envTitle } from './env-badges.tsx';
import { useLatestDeployAction, usePublish, useRollback } from './env-queries.ts';

/** The kept releases, newest first: where each runs, whether it was verified, and "use this one". */
export function ReleaseHistory({
  slug,
  role,
  releases,
  environments,
  selected,
  onSelect,
}: {
  slug: string;
  role: ProjectRole;
  releases: Release[];
  environments: Environment[];
  selected: string | null;
  onSelect: (release: Release) => void;
}) {
  const publish = usePublish(slug);
  const rollback = useRollback(slug);
  const where = (r: Release) => environments.filter((e) => e.release?.id === r.id).map((e) => e.name);
  const maintainer = roleAtLeast(role, 'maintainer');
  if (!releases.length)
    return <p className="px-5 py-8 text-center text-sm text-slate-500">No releases yet.</p>;
  return (
    <>
      {(publish.error || rollback.error) && (
        <div className="px-5 pt-4">
          <ErrorAlert error={publish.error ?? rollback.error} />
        </div>
      )}
      <div className="relative overflow-x-auto">
        <table className="stack-table w-full text-left text-sm">
          <caption className="sr-only">Releases</caption>
          <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="px-5 py-2 font-medium">
                Release
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Verification
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Runs on
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Created
              </th>
              <th scope="col" className="px-5 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {releases.map((r) => {
              const envs = where(r);
              const usable = r.status === 'ready';
              return (
                <tr
                  key={r.id}
                  data-release={r.shortSha}
                  className={selected === r.id ? 'bg-emerald-50/40' : ''}
                >
                  <td data-label="Release" className="px-5 py-2.5">
                    <button
                      type="button"
                      onClick={() => onSelect(r)}
                      className="font-mono text-xs font-semibold text-slate-900 hover:underline"
                      title="Show this release's verification"
                    >
                      {r.shortSha}
                    </button>
                    <span className="ml-2 text-xs text-slate-500">{r.branch ?? ''}</span>
                    {r.status !== 'ready' && (
                      <span className="ml-2">
                        <Badge tone={r.status === 'failed' ? 'red' : 'neutral'}>{r.status}</Badge>
                      </span>
                    )}
                  </td>
                  <td data-label="Verification" className="px-3 py-2.5">
                    {r.verified ? (
                      <Badge tone="green">verified</Badge>
                    ) : (
                      <Badge tone="amber">not verified</Badge>
                    )}
                    {r.verificationOperationId && (
                      <Link
                        to={`/operations/${encodeURIComponent(r.verificationOperationId)}`}
                        className="ml-2 text-xs text-emerald-700 hover:underline"
                      >
                        run
                      </Link>
                    )}
                  </td>
                  <td data-label="Runs on" className="px-3 py-2.5 text-xs text-slate-600">
                    {envs.length ? envs.join(', ') : '—'}
                  </td>
                  <td
                    data-label="Created"
                    className="px-3 py-2.5 text-xs text-slate-500"
                    title={formatDateTime(r.createdAt)}
                  >
                    {formatRelative(r.createdAt)}
                  </td>
                  <td data-label="" className="px-5 py-2.5 text-right whitespace-nowrap">
                    {usable && maintainer && !envs.includes('production') && (
                      <Button
                        size="sm"
                        variant="ghost"
                        busy={publish.isPending && publish.variables === r.id}
                        onClick={() => {
                          rollback.reset();
                          publish.mutate(r.id);
                        }}
                      >
                        Publish
                      </Button>
                    )}
                    {usable && roleAtLeast(role, 'developer') && !envs.includes('staging') && (
                      <Button
                        size="sm"
                        variant="ghost"
                        busy={rollback.isPending && rollback.variables?.release === r.id}
                        onClick={() => {
                          publish.reset();
                          rollback.mutate({ env: 'staging', release: r.id });
                        }}
                      >
                        Use on staging
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The outcome of the newest publish or rollback made on the page (older ones give way). */
export function LatestDeployAction({ slug }: { slug: string }) {
  const latest = useLatestDeployAction(slug);
  if (latest?.status !== 'success' || !latest.data) return null;
  return (
    <Alert tone="success">
      {latest.kind === 'publish'
        ? `Published ${latest.data.release.shortSha} to production.`
        : `${envTitle(latest.data.environment)} now runs ${latest.data.release.shortSha}.`}
    </Alert>
  );
}

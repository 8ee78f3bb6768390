import type { Environment } from '../../api/env-types.ts';
import type { ProjectRole } from '../../api/project-types.ts';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button, buttonClass } from '../../widgets/button.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { formatDateTime, formatRelative } from '../../widgets/format.ts';
import { to } from '../projects/project-paths.ts';
import { roleAtLeast } from '../projects/roles.ts';
import { AccessActions, AccessBadge, NewShareLink } from './env-access.tsx';
import { EnvStatusBadge, envTitle, ReleaseTag } from './env-badges.tsx';
import {
  useCreateShareLink,
  usePin,
  useRemoveEnvironment,
  useRollback,
  useSetAccess,
} from './env-queries.ts';

/** Every environment of the project with what runs there and what can be done to it. */
export function EnvironmentList({
  slug,
  role,
  environments,
  logsOf,
  onShowLogs,
}: {
  slug: string;
  role: ProjectRole;
  environments: Environment[];
  logsOf: string | null;
  onShowLogs: (env: string) => void;
}) {
  const rollback = useRollback(slug);
  const pin = usePin(slug);
  const remove = useRemoveEnvironment(slug);
  const access = useSetAccess(slug);
  const share = useCreateShareLink(slug);
  const error = rollback.error ?? pin.error ?? remove.error ?? access.error ?? share.error;
  if (!environments.length) {
    return (
      <p className="px-5 py-10 text-center text-sm text-slate-500">
        No environments yet. Build a Blueprint or deploy a branch to staging.
      </p>
    );
  }
  return (
    <>
      {error && (
        <div className="px-5 pt-4">
          <ErrorAlert error={error} />
        </div>
      )}
      <ul aria-label="Environments" className="divide-y divide-slate-100">
        {environments.map((env) => {
          const canAct =
            env.kind === 'production' ? roleAtLeast(role, 'maintainer') : roleAtLeast(role, 'developer');
          return (
            <li key={env.name} data-env={env.name} className="px-5 py-4">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-2">
                    <h3 className="font-semibold text-slate-900">{envTitle(env)}</h3>
                    <EnvStatusBadge status={env.status} />
                    <AccessBadge env={env} />
                    {env.pinned && <Badge tone="blue">pinned</Badge>}
                    {env.branch && env.kind === 'preview' && (
                      <code className="text-xs text-slate-500">{env.branch}</code>
                    )}
                  </div>
                  <p className="mt-1 text-sm">
                    <a
                      href={env.url}
                      target="_blank"
                      rel="noreferrer"
                      className="font-mono text-xs text-emerald-700 hover:underline"
                    >
                      {env.url}
                    </a>
                  </p>
                  <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                    {env.release ? <ReleaseTag release={env.release} /> : <span>no release</span>}
                    {env.deployedAt && (
                      <span title={formatDateTime(env.deployedAt)}>
                        deployed {formatRelative(env.deployedAt)}
                      </span>
                    )}
                    {env.expiresAt && !env.pinned && (
                      <span title={formatDateTime(env.expiresAt)}>
                        expires {formatRelative(env.expiresAt)}
                      </span>
                    )}
                  </div>
                  {env.lastError && <p className="mt-1.5 text-xs text-red-700">{env.lastError}</p>}
                  {share.data && share.variables?.env === env.name && <NewShareLink link={share.data} />}
                </div>
                <div className="flex flex-wrap items-center gap-1.5">
                  <Button
                    size="sm"
                    variant={logsOf === env.name ? 'secondary' : 'ghost'}
                    aria-pressed={logsOf === env.name}
                    onClick={() => onShowLogs(env.name)}
                  >
                    Logs
                  </Button>
                  <Link
                    to={to.environmentView(slug, env.name, 'telemetry')}
                    className={buttonClass('ghost', 'sm')}
                  >
                    Telemetry
                  </Link>
                  <Link
                    to={to.environmentView(slug, env.name, 'alerts')}
                    className={buttonClass('ghost', 'sm')}
                  >
                    Alerts
                  </Link>
                  <Link
                    to={to.environmentView(slug, env.name, 'errors')}
                    className={buttonClass('ghost', 'sm')}
                  >
                    Errors
                  </Link>
                  <AccessActions
                    env={env}
                    canSwitch={roleAtLeast(role, 'maintainer')}
                    canShare={canAct}
                    access={access}
                    share={share}
                  />
                  {canAct && env.kind !== 'preview' && env.rollbackTo && (
                    <ConfirmButton
                      size="sm"
                      variant="ghost"
                      aria-label={`Roll back ${env.name}`}
                      question={`Roll ${env.name} back to ${env.rollbackTo.shortSha}?`}
                      confirmLabel="Roll back"
                      busy={rollback.isPending && rollback.variables?.env === env.name}
                      onConfirm={() => rollback.mutate({ env: env.name })}
                    >
                      Rollback
                    </ConfirmButton>
                  )}
                  {canAct && env.kind === 'preview' && (
                    <>
                      <Button
                        size="sm"
                        variant="ghost"
                        busy={pin.isPending && pin.variables?.env === env.name}
                        onClick={() => pin.mutate({ env: env.name, pinned: !env.pinned })}
                      >
                        {env.pinned ? 'Unpin' : 'Pin'}
                      </Button>
                      <ConfirmButton
                        size="sm"
                        variant="ghost"
                        aria-label={`Delete ${env.name}`}
                        question="Delete this preview?"
                        confirmLabel="Delete"
                        busy={remove.isPending && remove.variables === env.name}
                        onConfirm={() => remove.mutate(env.name)}
                      >
                        Delete
                      </ConfirmButton>
                    </>
                  )}
                </div>
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

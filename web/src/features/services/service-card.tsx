import { useState } from 'react';
import type { Project } from '../../api/project-types.ts';
import type { ProjectService } from '../../api/service-types.ts';
import { Link } from '../../app/router.tsx';
import { Alert, ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { to } from '../projects/project-paths.ts';
import { roleAtLeast } from '../projects/roles.ts';
import { useAttachService, useDetachService, useIntegrateService } from './service-queries.ts';

/** One service of the catalog as the project has it: what it gives the app, and attach / detach / integrate. */
export function ServiceCard({ project, service }: { project: Project; service: ProjectService }) {
  const attach = useAttachService(project.slug);
  const detach = useDetachService(project.slug);
  const integrate = useIntegrateService(project.slug);
  const [attachedNow, setAttachedNow] = useState(false);
  const maintainer = roleAtLeast(project.role, 'maintainer');
  const error = attach.error ?? detach.error ?? integrate.error;
  return (
    <li className="px-5 py-4" aria-labelledby={`service-${service.id}`}>
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <h3
            id={`service-${service.id}`}
            className="flex flex-wrap items-center gap-2 font-medium text-slate-900"
          >
            {service.name}
            {service.builtIn ? (
              <Badge tone="blue">Always on</Badge>
            ) : service.attached ? (
              <Badge tone="green">Attached</Badge>
            ) : !service.available ? (
              <Badge>Not available here</Badge>
            ) : null}
          </h3>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{service.description}</p>
          {!service.available && service.unavailableReason && (
            <p className="mt-1 text-sm text-slate-500">{service.unavailableReason}</p>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {service.id === 'email' && service.attached && (
            <Link
              to={to.mailbox(project.slug)}
              className="text-sm font-medium text-emerald-800 hover:underline"
            >
              Mailbox
            </Link>
          )}
          {service.attached && service.integration && roleAtLeast(project.role, 'developer') && (
            <Button
              variant="secondary"
              size="sm"
              busy={integrate.isPending}
              onClick={() => integrate.mutate(service.id)}
            >
              Integrate
            </Button>
          )}
          {maintainer && !service.builtIn && !service.attached && service.available && (
            <Button
              size="sm"
              busy={attach.isPending}
              onClick={() => attach.mutate({ id: service.id }, { onSuccess: () => setAttachedNow(true) })}
            >
              Attach
            </Button>
          )}
          {maintainer && !service.builtIn && service.attached && (
            <ConfirmButton
              variant="secondary"
              size="sm"
              question={`Detach ${service.name}? Its logins stop working at once.`}
              confirmLabel="Detach"
              busy={detach.isPending}
              onConfirm={() => detach.mutate(service.id)}
            >
              Detach
            </ConfirmButton>
          )}
        </div>
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-600 hover:text-slate-900">
          Variables the app gets ({service.env.length})
        </summary>
        <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
          {service.env.map((v) => (
            <div key={v.name} className="contents">
              <dt className="font-mono text-xs text-slate-800">{v.name}</dt>
              <dd className="text-slate-600">{v.description}</dd>
            </div>
          ))}
        </dl>
      </details>
      {service.id === 'email' && service.attached && maintainer && (
        <label className="mt-3 flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={service.relayProduction === true}
            disabled={attach.isPending}
            onChange={(e) => attach.mutate({ id: 'email', relayProduction: e.target.checked })}
          />
          Send production’s mail on through Orchard’s SMTP server (other environments’ mail stays in the
          mailbox)
        </label>
      )}
      <div className="mt-3 space-y-2">
        {attachedNow && service.attached && (
          <Alert tone="success">
            Attached. Each environment gets the variables at its next start: deploy or restart it.
          </Alert>
        )}
        {integrate.data && (
          <Alert tone="info">
            Opening a merge request from <span className="font-mono">{integrate.data.branch}</span>:{' '}
            <Link to={to.operation(integrate.data.operationId)} className="font-medium underline">
              follow the operation
            </Link>
            .
          </Alert>
        )}
        {error && <ErrorAlert error={error} />}
      </div>
    </li>
  );
}

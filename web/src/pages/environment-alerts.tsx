import { useState } from 'react';
import type { Project } from '../api/project-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link } from '../app/router.tsx';
import { useAlertRules } from '../features/alerts/alert-queries.ts';
import { AlertRuleForm } from '../features/alerts/alert-rule-form.tsx';
import { AlertRuleList } from '../features/alerts/alert-rule-list.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Button } from '../widgets/button.tsx';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** One environment's alert rules on the telemetry its app sends: state, values, history, silences. */
export function EnvironmentAlertsPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  const env = params.env ?? '';
  return (
    <ProjectFrame slug={slug} tab="environments">
      {(project) => <EnvironmentAlerts project={project} env={env} />}
    </ProjectFrame>
  );
}

function EnvironmentAlerts({ project, env }: { project: Project; env: string }) {
  const rules = useAlertRules(project.slug, env);
  const [creating, setCreating] = useState(false);
  const canEdit = roleAtLeast(project.role, 'maintainer') && !project.archived;
  return (
    <>
      <PageHeader
        title={`Alerts · ${env}`}
        documentTitle={`Alerts · ${env} · ${project.name}`}
        description="Rules on the traces, logs and metrics this environment's app sends. Each is evaluated every minute (by default): it fires when its condition holds (for as many evaluations as it asks), and is resolved when it no longer does."
        actions={
          <Link
            to={to.environments(project.slug)}
            className="text-sm font-medium text-emerald-700 hover:underline"
          >
            All environments
          </Link>
        }
      />
      <div className="space-y-6">
        {canEdit &&
          (creating ? (
            <Card title="New alert rule">
              <AlertRuleForm slug={project.slug} env={env} onDone={() => setCreating(false)} />
            </Card>
          ) : (
            <Button onClick={() => setCreating(true)}>New alert rule</Button>
          ))}
        <Card title="Rules" flush>
          {rules.isPending ? (
            <Loading label="Loading alert rules…" className="px-5" />
          ) : rules.isError ? (
            <div className="p-5">
              <ErrorAlert error={rules.error} />
            </div>
          ) : (
            <AlertRuleList slug={project.slug} env={env} rules={rules.data.items} canEdit={canEdit} />
          )}
        </Card>
      </div>
    </>
  );
}

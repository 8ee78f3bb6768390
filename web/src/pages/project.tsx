import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../api/client.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PageProps } from '../app/page-props.ts';
import { ProjectAbout } from '../features/projects/project-about.tsx';
import { ProjectTabs } from '../features/projects/project-frame.tsx';
import { ProjectMembers } from '../features/projects/project-members.tsx';
import { useProject } from '../features/projects/project-queries.ts';
import { ProjectSecrets } from '../features/projects/project-secrets.tsx';
import { ProjectStatusCard } from '../features/projects/project-status-card.tsx';
import { ProjectUnavailable } from '../features/projects/project-unavailable.tsx';
import { roleAtLeast } from '../features/projects/roles.ts';
import { ProjectStudioCard } from '../features/studio/studio-project-card.tsx';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { Badge } from '../widgets/badge.tsx';
import { Breadcrumbs } from '../widgets/breadcrumbs.tsx';
import { ConfirmButton } from '../widgets/confirm-button.tsx';
import { formatDateTime } from '../widgets/format.ts';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

export function ProjectPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  const project = useProject(slug);

  if (project.isPending) return <Loading label="Loading project…" />;
  if (project.isError) return <ProjectUnavailable slug={slug} error={project.error} />;
  const p = project.data;
  const readOnly = p.archived;

  return (
    <>
      <Breadcrumbs items={[{ label: 'Projects', to: '/projects' }, { label: p.slug }]} />
      <ProjectTabs project={p} current="overview" />
      <PageHeader
        title={p.name}
        meta={
          <>
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{p.slug}</code>
            <Badge tone="green">your role: {p.role}</Badge>
            {p.archived && <Badge tone="amber">archived</Badge>}
            <span>Created {formatDateTime(p.createdAt)}</span>
          </>
        }
        actions={roleAtLeast(p.role, 'owner') && <ArchiveButton project={p} />}
      />
      {readOnly && (
        <div className="mb-6">
          <Alert tone="warning" title="This project is archived">
            It is read-only until an owner unarchives it.
          </Alert>
        </div>
      )}
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <ProjectStatusCard slug={p.slug} name={p.name} />
          <ProjectAbout project={p} canEdit={!readOnly && roleAtLeast(p.role, 'maintainer')} />
          <ProjectStudioCard slug={p.slug} canCreate={!readOnly && roleAtLeast(p.role, 'developer')} />
          <ProjectSecrets
            slug={p.slug}
            canRead={roleAtLeast(p.role, 'developer')}
            canWrite={!readOnly && roleAtLeast(p.role, 'maintainer')}
          />
        </div>
        <ProjectMembers slug={p.slug} canManage={!readOnly && roleAtLeast(p.role, 'owner')} />
      </div>
    </>
  );
}

function ArchiveButton({ project }: { project: Project }) {
  const client = useQueryClient();
  const verb = project.archived ? 'unarchive' : 'archive';
  const toggle = useMutation({
    mutationFn: () => api.post<Project>(`/api/projects/${seg(project.slug)}/${verb}`),
    onSuccess: (updated) => {
      client.setQueryData(keys.project(project.slug), updated);
      return client.invalidateQueries({ queryKey: keys.projects });
    },
  });
  return (
    <div className="flex flex-col items-end gap-2">
      {project.archived ? (
        <ConfirmButton
          variant="secondary"
          question="Unarchive this project?"
          confirmLabel="Unarchive"
          busy={toggle.isPending}
          onConfirm={() => toggle.mutate()}
        >
          Unarchive project
        </ConfirmButton>
      ) : (
        <ConfirmButton
          variant="secondary"
          question="Archive this project?"
          confirmLabel="Archive"
          busy={toggle.isPending}
          onConfirm={() => toggle.mutate()}
        >
          Archive project
        </ConfirmButton>
      )}
      {toggle.isError && <ErrorAlert error={toggle.error} />}
    </div>
  );
}

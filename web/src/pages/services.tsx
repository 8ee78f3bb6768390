import type { PageProps } from '../app/page-props.ts';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { AnalyticsCard } from '../features/services/analytics-card.tsx';
import { ServiceCard } from '../features/services/service-card.tsx';
import { useProjectServices } from '../features/services/service-queries.ts';
import { ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** The platform services catalog as the project has it, and the analytics of those that count. */
export function ServicesPage({ params }: PageProps) {
  const slug = params.slug ?? '';
  const services = useProjectServices(slug);
  const analytics = services.data?.items.find((s) => s.id === 'analytics');
  return (
    <ProjectFrame slug={slug} tab="services">
      {(project) => (
        <>
          <PageHeader
            title="Services"
            documentTitle={`Services · ${project.name}`}
            description="What Orchard runs for the project’s apps. An attached service’s variables and credentials reach each environment at its next start; Integrate opens a merge request that uses them."
          />
          <div className="space-y-6">
            <Card flush>
              {services.isPending ? (
                <Loading label="Loading services…" className="px-5" />
              ) : services.isError ? (
                <div className="p-5">
                  <ErrorAlert error={services.error} />
                </div>
              ) : (
                <ul className="divide-y divide-slate-100" aria-label="Services">
                  {services.data.items.map((s) => (
                    <ServiceCard key={s.id} project={project} service={s} />
                  ))}
                </ul>
              )}
            </Card>
            {analytics?.attached && <AnalyticsCard slug={slug} />}
          </div>
        </>
      )}
    </ProjectFrame>
  );
}

import { Unavailable } from '../../widgets/unavailable.tsx';

/** Shown instead of a project's page when the project is missing, forbidden or failed to load. */
export function ProjectUnavailable({ slug, error }: { slug: string; error: unknown }) {
  return (
    <Unavailable
      error={error}
      titles={{
        notFound: 'Project not found',
        forbidden: 'No access to this project',
        other: 'Could not load the project',
      }}
      documentTitle={slug}
      back={{ to: '/projects', label: 'Back to projects' }}
    />
  );
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { Artifact } from '../../api/pipeline-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { formatBytes } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { apiPath } from '../projects/project-paths.ts';

/** Files the jobs kept (`artifacts:` globs), each a download. */
export function PipelineArtifacts({
  slug,
  pipelineId,
  active,
  version,
}: {
  slug: string;
  pipelineId: string;
  active: boolean;
  /** Changes whenever a job ends (artifacts are stored then), so the list is read again. */
  version: string;
}) {
  const artifacts = useQuery({
    queryKey: [...keys.pipeline(slug, pipelineId), 'artifacts', version],
    queryFn: () =>
      api.get<{ items: Artifact[] }>(`/api/projects/${seg(slug)}/pipelines/${seg(pipelineId)}/artifacts`),
    select: (page) => page.items,
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Artifacts" flush>
      {artifacts.isPending ? (
        <Loading label="Loading artifacts…" className="px-5" />
      ) : artifacts.isError ? (
        <div className="p-5">
          <ErrorAlert error={artifacts.error} />
        </div>
      ) : artifacts.data.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-500">{active ? 'None yet.' : 'No artifacts were kept.'}</p>
      ) : (
        <ul aria-label="Artifacts" className="divide-y divide-slate-100">
          {artifacts.data.map((a) => (
            <li key={`${a.job}/${a.path}`} className="flex items-center gap-3 px-5 py-2.5 text-sm">
              <div className="min-w-0 flex-1">
                <a
                  href={apiPath.artifact(slug, pipelineId, a.job, a.path)}
                  download={a.path.split('/').pop()}
                  className="block truncate font-mono text-xs text-emerald-800 hover:underline"
                >
                  {a.path}
                </a>
                <p className="text-xs text-slate-500">
                  from {a.job} · {formatBytes(a.size)}
                  {a.readableBy === 'maintainer' && ' · maintainers only (the job was given secrets)'}
                </p>
              </div>
              {a.sha256 && <span className="sr-only">sha256 {a.sha256}</span>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

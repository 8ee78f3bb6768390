import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { Pipeline } from '../../api/pipeline-types.ts';
import { keys } from '../../api/query-keys.ts';
import { navigate } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { to } from '../projects/project-paths.ts';
import { isActive } from './pipeline-status.tsx';

/** Cancel while it runs; run again once it has ended. */
export function PipelineActions({ slug, pipeline }: { slug: string; pipeline: Pipeline }) {
  const client = useQueryClient();
  const base = `/api/projects/${seg(slug)}/pipelines/${seg(pipeline.id)}`;
  const cancel = useMutation({
    mutationFn: () => api.post<Pipeline>(`${base}/cancel`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.pipelines(slug) }),
  });
  const rerun = useMutation({
    mutationFn: () => api.post<Pipeline>(`${base}/rerun`),
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: keys.pipelines(slug) });
      navigate(to.pipeline(slug, p.number));
    },
  });
  const error = cancel.error ?? rerun.error;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {isActive(pipeline.status) ? (
          <ConfirmButton
            variant="secondary"
            question="Cancel this pipeline?"
            confirmLabel="Cancel pipeline"
            busy={cancel.isPending}
            onConfirm={() => cancel.mutate()}
          >
            Cancel
          </ConfirmButton>
        ) : (
          pipeline.status !== 'error' && (
            <Button variant="secondary" busy={rerun.isPending} onClick={() => rerun.mutate()}>
              Run again
            </Button>
          )
        )}
      </div>
      {error && (
        <div className="max-w-md">
          <ErrorAlert error={error} />
        </div>
      )}
    </div>
  );
}

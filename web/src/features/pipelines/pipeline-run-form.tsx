import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, seg } from '../../api/client.ts';
import type { Pipeline } from '../../api/pipeline-types.ts';
import { keys } from '../../api/query-keys.ts';
import { navigate } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { to } from '../projects/project-paths.ts';
import { BranchPicker, defaultBranch, useBranches } from '../repo/repo-branch-picker.tsx';

/** "Run pipeline" on a branch by hand; goes to the new pipeline. */
export function PipelineRunForm({ slug }: { slug: string }) {
  const client = useQueryClient();
  const branches = useBranches(slug);
  const [ref, setRef] = useState<string | undefined>();
  const run = useMutation({
    mutationFn: (r: string) => api.post<Pipeline>(`/api/projects/${seg(slug)}/pipelines`, { ref: r }),
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: keys.pipelines(slug) });
      navigate(to.pipeline(slug, p.number));
    },
  });
  if (!branches.data?.length) return null;
  const value = ref ?? defaultBranch(branches.data);
  function submit(event: FormEvent) {
    event.preventDefault();
    run.mutate(value);
  }
  return (
    <form onSubmit={submit} aria-label="Run a pipeline" className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-center justify-end gap-2">
        <BranchPicker branches={branches.data} value={value} onChange={setRef} label="Branch to run" />
        <Button type="submit" busy={run.isPending}>
          Run pipeline
        </Button>
      </div>
      {run.isError && (
        <div className="max-w-md">
          <ErrorAlert error={run.error} />
        </div>
      )}
    </form>
  );
}

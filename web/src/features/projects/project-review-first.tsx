import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { Project } from '../../api/project-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';

/**
 * Whether builds wait for a review before they reach main: off, a project's first build merges
 * itself and its app goes to staging; on, every build stays on its branch's preview until someone
 * merges its merge request. Maintainers change it; everyone sees it.
 */
export function ProjectReviewFirst({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const client = useQueryClient();
  const update = useMutation({
    mutationFn: (reviewFirst: boolean) =>
      api.patch<Project>(`/api/projects/${seg(project.slug)}`, { reviewFirst }),
    onSuccess: (updated) => client.setQueryData(keys.project(project.slug), updated),
  });
  const checked = update.isPending ? Boolean(update.variables) : project.reviewFirst;
  return (
    <div className="mt-4 space-y-2 border-t border-slate-100 pt-4">
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          className="mt-0.5 size-4 rounded border-slate-300 text-emerald-600 focus:ring-emerald-500"
          checked={checked}
          disabled={!canEdit || update.isPending}
          onChange={(e) => update.mutate(e.currentTarget.checked)}
        />
        <span>
          <span className="font-medium text-slate-900">Review builds before they reach main</span>
          <span className="block text-xs text-slate-500">
            Off: the first build merges itself, and staging runs it. On: every build waits on its preview
            until its merge request is merged.
          </span>
        </span>
      </label>
      <ErrorAlert error={update.error} />
    </div>
  );
}

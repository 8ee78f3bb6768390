import type { MergeRequest } from '../../api/review-types.ts';
import { buttonClass } from '../../widgets/button.tsx';
import { useEnvironments } from '../environments/env-queries.ts';
import { mrPreview } from './mr-preview.ts';

/** "View app": the running preview of an open merge request (mr-preview.ts), in a new tab. */
export function MrViewApp({ slug, mr }: { slug: string; mr: MergeRequest }) {
  const open = mr.state === 'open';
  const envs = useEnvironments(slug, {
    // A preview appears a little after the merge request (its deploy runs as an operation): look again.
    refetchInterval: open ? 10_000 : undefined,
  });
  const preview = mrPreview(envs.data?.items ?? [], mr);
  if (!preview) return null;
  const behind = preview.release.sha !== mr.headSha;
  return (
    <span className="inline-flex items-center gap-2">
      {behind && (
        <span className="text-xs text-slate-500">runs {preview.release.shortSha}, not the latest commit</span>
      )}
      <a
        href={preview.url}
        target="_blank"
        rel="noreferrer"
        title={`Preview ${mr.sourceBranch} · ${preview.release.shortSha} · ${preview.status}`}
        className={buttonClass('secondary')}
      >
        View app
        <svg
          viewBox="0 0 24 24"
          className="size-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden="true"
        >
          <path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />
        </svg>
        <span className="sr-only">(opens in a new tab)</span>
      </a>
    </span>
  );
}

import type { CheckStatus, CheckView } from '../reviews/index.ts';

type RunStatus = 'queued' | 'in_progress' | 'completed';
type Conclusion = 'success' | 'failure' | 'cancelled' | 'neutral' | null;

/**
 * Orchard's check statuses as GitHub's check runs say them. `error` (the check could not run: a
 * pipeline file that does not parse, a preview that did not deploy) concludes as `failure`: it
 * passed nothing, and a branch that requires it must not take the commit.
 */
const AS_RUN: Record<CheckStatus, { status: RunStatus; conclusion: Conclusion }> = {
  pending: { status: 'queued', conclusion: null },
  running: { status: 'in_progress', conclusion: null },
  success: { status: 'completed', conclusion: 'success' },
  failure: { status: 'completed', conclusion: 'failure' },
  cancelled: { status: 'completed', conclusion: 'cancelled' },
  error: { status: 'completed', conclusion: 'failure' },
};

/**
 * Where a check's details are: the URL it reported, else its pipeline's page or its operation's
 * (as the merge request page links them); absolute under `publicUrl` when one is configured.
 */
function detailsUrl(check: CheckView, slug: string, publicUrl: string | undefined): string | null {
  const { number, operationId } = check.details;
  const path =
    check.targetUrl ??
    (check.name === 'pipeline' && typeof number === 'number'
      ? `/projects/${encodeURIComponent(slug)}/pipelines/${number}`
      : typeof operationId === 'string'
        ? `/operations/${encodeURIComponent(operationId)}`
        : null);
  if (!path?.startsWith('/') || !publicUrl) return path;
  return new URL(path, publicUrl).href;
}

/**
 * The body of a `check_run` delivery, shaped like GitHub's: the run (status and conclusion mapped
 * from Orchard's, times, details URL) and its output with the annotations. An annotation about a
 * page rather than a file has a null path and lines; its message names the page.
 */
export function checkRunPayload(
  event: { action: 'created' | 'completed'; sha: string; check: CheckView; projectSlug: string },
  publicUrl?: string,
) {
  const { check } = event;
  const run = AS_RUN[check.status];
  return {
    action: event.action,
    check_run: {
      name: check.name,
      head_sha: event.sha,
      status: run.status,
      conclusion: run.conclusion,
      started_at: check.startedAt,
      completed_at: check.completedAt,
      details_url: detailsUrl(check, event.projectSlug, publicUrl),
      output: {
        title: `${check.name}: ${check.status}`,
        summary: check.summary,
        annotations_count: check.annotations.length,
        annotations: check.annotations.map((a) => ({
          path: a.path ?? null,
          start_line: a.startLine ?? null,
          end_line: a.endLine ?? a.startLine ?? null,
          annotation_level: a.level,
          title: a.title,
          message: a.path || !a.url ? a.message : `${a.message} (${a.url})`,
        })),
      },
    },
  };
}

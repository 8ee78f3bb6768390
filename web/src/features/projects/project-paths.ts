import { seg } from '../../api/client.ts';

/** Query strings that keep `/` readable (`?path=src/app.ts`), dropping empty values. */
function qs(query: Record<string, string | number | undefined | null>): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%2F/g, '/')}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

const project = (slug: string) => `/projects/${seg(slug)}`;

/** Addresses of the code, review, pipeline and environment pages of a project (one place, so links agree). */
export const to = {
  project,
  code: (slug: string, ref?: string, path?: string) => `${project(slug)}/code${qs({ ref, path })}`,
  file: (slug: string, ref: string, path: string) => `${project(slug)}/code/blob${qs({ ref, path })}`,
  commits: (slug: string, ref?: string, path?: string) => `${project(slug)}/commits${qs({ ref, path })}`,
  commit: (slug: string, sha: string) => `${project(slug)}/commits/${seg(sha)}`,
  compare: (slug: string, base?: string, head?: string) => `${project(slug)}/compare${qs({ base, head })}`,
  board: (slug: string) => `${project(slug)}/board`,
  issues: (slug: string) => `${project(slug)}/issues`,
  issue: (slug: string, n: number) => `${project(slug)}/issues/${n}`,
  mergeRequests: (slug: string) => `${project(slug)}/merge-requests`,
  mergeRequest: (slug: string, n: number) => `${project(slug)}/merge-requests/${n}`,
  pipelines: (slug: string) => `${project(slug)}/pipelines`,
  pipeline: (slug: string, n: number | string) => `${project(slug)}/pipelines/${seg(String(n))}`,
  workflows: (slug: string) => `${project(slug)}/workflows`,
  webhooks: (slug: string) => `${project(slug)}/webhooks`,
  webhook: (slug: string, id: string) => `${project(slug)}/webhooks/${seg(id)}`,
  operation: (id: string) => `/operations/${seg(id)}`,
  agentSessions: (slug: string) => `${project(slug)}/agent-sessions`,
  agentSession: (slug: string, id: string) => `${project(slug)}/agent-sessions/${seg(id)}`,
  environments: (slug: string) => `${project(slug)}/environments`,
  services: (slug: string) => `${project(slug)}/services`,
  mailbox: (slug: string) => `${project(slug)}/mailbox`,
  /** An environment's alerts, errors (one group's with `id`) or telemetry; `preview/x` is one segment. */
  environmentView: (slug: string, env: string, view: 'alerts' | 'errors' | 'telemetry', id?: string) =>
    `${project(slug)}/environments/${seg(env)}/${view}${id ? `/${seg(id)}` : ''}`,
};

/** API addresses whose path carries a ref and a file path (each segment encoded, `/` kept). */
export const apiPath = {
  tree: (slug: string, ref: string, path: string) =>
    `/api${project(slug)}/tree/${seg(ref)}${path ? `/${encodePath(path)}` : ''}`,
  blob: (slug: string, ref: string, path: string) =>
    `/api${project(slug)}/blob/${seg(ref)}/${encodePath(path)}`,
  artifact: (slug: string, pipelineId: string, job: string, path: string) =>
    `/api${project(slug)}/pipelines/${seg(pipelineId)}/jobs/${seg(job)}/artifacts/${encodePath(path)}`,
};

export const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export const shortSha = (sha: string) => sha.slice(0, 8);

/** Shapes of the pipelines and webhooks API (src/modules/pipelines/schemas.ts, notify/schemas.ts). */

export type PipelineStatus = 'queued' | 'running' | 'success' | 'failed' | 'cancelled' | 'error';
export type JobStatus = 'pending' | 'running' | 'success' | 'failed' | 'timed_out' | 'cancelled' | 'skipped';

export interface Job {
  name: string;
  needs: string[];
  status: JobStatus;
  /** The operation step running this job (`job:<name>`); its `log` events carry the output. */
  stepKey: string;
  operationId: string | null;
  exitCode: number | null;
  error: string | null;
  isolation: string | null;
  /** Secrets the job was given, and protected ones it was denied (names only). */
  secrets: string[];
  withheldSecrets: string[];
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Pipeline {
  id: string;
  number: number;
  ref: string;
  sha: string;
  trigger: 'push' | 'merge_request' | 'manual' | 'schedule';
  status: PipelineStatus;
  error: string | null;
  operationId: string | null;
  mergeRequestId: string | null;
  rerunOf: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Present on single-pipeline answers. */
  jobs?: Job[];
}

export interface Artifact {
  job: string;
  path: string;
  size: number;
  /** Null when the caller may not download the file. */
  sha256: string | null;
  /** `maintainer` when the job was given secrets (they may be in the file). */
  readableBy: 'viewer' | 'maintainer';
  createdAt: string;
}

export interface JobLog {
  text: string;
  /** Pass as `after` to get only what follows. */
  next: number;
  finished: boolean;
}

export type WebhookEvent = 'push' | 'issue' | 'merge_request' | 'pipeline';

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  createdAt: string;
}

export interface Delivery {
  id: string;
  webhookId: string;
  event: string;
  status: 'pending' | 'retrying' | 'success' | 'failed';
  request: { headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: string | null;
  durationMs: number | null;
  attempts: Array<{ at: string; status: number | null; error: string | null; durationMs: number }>;
  operationId: string | null;
  redeliveryOf: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

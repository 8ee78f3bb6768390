/** Shapes of the deploy API (they mirror src/modules/deploy/schemas.ts). */

export interface Release {
  id: string;
  sha: string;
  shortSha: string;
  branch: string | null;
  status: 'preparing' | 'ready' | 'failed' | 'pruned';
  verified: boolean;
  verificationOperationId: string | null;
  verifiedAt: string | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
}

export type EnvironmentStatus =
  | 'pending'
  | 'starting'
  | 'deploying'
  | 'running'
  | 'crashed'
  | 'failed'
  | 'stopped';

export interface Environment {
  name: string;
  kind: 'staging' | 'production' | 'preview';
  branch: string | null;
  /** `http://<env>--<slug>.localhost:<orchard port>/` */
  url: string;
  directUrl: string | null;
  port: number | null;
  status: EnvironmentStatus;
  desiredState: 'running' | 'stopped';
  release: Release | null;
  pinned: boolean;
  expiresAt: string | null;
  lastError: string | null;
  deployedAt: string | null;
  hostLabel: string;
}

export interface AppLogLine {
  seq: number;
  at: string;
  stream: 'stdout' | 'stderr' | 'orchard';
  text: string;
}

export interface PublishResult {
  environment: Environment;
  release: Release;
}

export interface DeployAccepted {
  operationId: string;
  environment: string;
  ref: string;
}

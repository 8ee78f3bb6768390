import { z } from 'zod';

export const SlugParam = z.object({ slug: z.string().min(1).max(100) });
/** `:env` is `staging`, `production`, `preview%2F<branch>` or `preview--<branch>`. */
export const EnvParams = SlugParam.extend({ env: z.string().min(1).max(300) });

export const ReleaseView = z.object({
  id: z.string(),
  sha: z.string(),
  shortSha: z.string(),
  branch: z.string().nullable(),
  status: z.enum(['preparing', 'ready', 'failed', 'pruned']),
  verified: z.boolean(),
  verificationOperationId: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type ReleaseView = z.infer<typeof ReleaseView>;

export const EnvironmentView = z.object({
  name: z.string(),
  kind: z.enum(['staging', 'production', 'preview']),
  branch: z.string().nullable(),
  /** `http://<env>--<slug>.localhost:<orchard port>/` */
  url: z.string(),
  /** The app's own port on the Orchard machine, while it runs. */
  directUrl: z.string().nullable(),
  port: z.number().nullable(),
  status: z.enum(['pending', 'starting', 'deploying', 'running', 'sleeping', 'crashed', 'failed', 'stopped']),
  desiredState: z.enum(['running', 'stopped']),
  /** The release serving traffic. */
  release: ReleaseView.nullable(),
  /** The release a rollback would go back to; null when there is none it may go back to. */
  rollbackTo: z.object({ id: z.string(), shortSha: z.string() }).nullable(),
  pinned: z.boolean(),
  /** `private`: members of the project (and share links) only; `public`: anyone. */
  access: z.enum(['private', 'public']),
  expiresAt: z.string().nullable(),
  lastError: z.string().nullable(),
  deployedAt: z.string().nullable(),
  hostLabel: z.string(),
});
export type EnvironmentView = z.infer<typeof EnvironmentView>;

export const EnvironmentList = z.object({
  items: z.array(EnvironmentView),
  nextCursor: z.string().nullable(),
});
export const ReleaseList = z.object({ items: z.array(ReleaseView), nextCursor: z.string().nullable() });

export const ReleaseRefBody = z.object({
  /** A release id or (abbreviated) commit sha; default: staging's release (publish) or the previous one (rollback). */
  release: z.string().trim().min(4).max(64).optional(),
});
export const PinBody = z.object({ pinned: z.boolean() });
export const DeployBody = z.object({
  env: z.string().min(1).max(300).default('staging'),
  /** Branch, tag or sha; default: the preview's branch, or main. */
  ref: z.string().min(1).max(255).optional(),
});

export const LogsQuery = z.object({
  tail: z.coerce.number().int().min(0).max(2_000).default(200),
});
export const LogLineView = z.object({
  seq: z.number(),
  at: z.string(),
  stream: z.enum(['stdout', 'stderr', 'orchard']),
  text: z.string(),
});
export const LogList = z.object({ items: z.array(LogLineView) });

export const PublishResult = z.object({ environment: EnvironmentView, release: ReleaseView });
export const DeployAccepted = z.object({ operationId: z.string(), environment: z.string(), ref: z.string() });

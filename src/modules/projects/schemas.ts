import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';
import { RESERVED_SLUGS, SLUG_PATTERN } from './slug-rules.ts';

export const ProjectRole = z.enum(['owner', 'maintainer', 'developer', 'viewer']);
export type ProjectRole = z.infer<typeof ProjectRole>;

export const Slug = z
  .string()
  .regex(SLUG_PATTERN, 'use 1–48 lowercase letters, digits and dashes, not starting or ending with a dash')
  .refine((s) => !RESERVED_SLUGS.has(s), 'is reserved; pick another slug');

export const CreateProjectBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  slug: Slug.optional(),
  description: z.string().max(2000).optional(),
});
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;

export const UpdateProjectBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    /** Jobs and apps share the host's network (instance admins only). */
    hostNetwork: z.boolean().optional(),
    /** Builds wait for a review before they reach main (maintainers). */
    reviewFirst: z.boolean().optional(),
  })
  .refine(
    (b) =>
      b.name !== undefined ||
      b.description !== undefined ||
      b.hostNetwork !== undefined ||
      b.reviewFirst !== undefined,
    'send name, description, hostNetwork or reviewFirst',
  );

export const ListProjectsQuery = PageQuery.extend({
  archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  q: z.string().max(100).optional(),
  /**
   * `created` (default): newest first, in pages. `activity`: the `limit` projects with the most
   * recent activity (their newest operation, else their creation or last edit), one page, no cursor.
   */
  sort: z.enum(['created', 'activity']).default('created'),
});

export const SlugParam = z.object({ slug: z.string().min(1).max(100) });

export const ProjectView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
  /** Its jobs and apps share the host's network instead of a private one (set by instance admins). */
  hostNetwork: z.boolean(),
  /** Builds wait for a review before they reach main; else the first build merges by itself. */
  reviewFirst: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The caller's role in this project (admins see `owner`). */
  role: ProjectRole,
});
export type ProjectView = z.infer<typeof ProjectView>;

/** A project's latest Studio build (`studio.build`), as the projects list shows it. */
export const BuildOverview = z.object({
  operationId: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** Staging or production at a glance: the public URL and the release serving it. */
export const EnvironmentOverview = z.object({
  /** The app's public address (`http://staging--<slug>.<domain>:<port>/`), never the direct port. */
  url: z.string(),
  status: z.enum(['pending', 'starting', 'deploying', 'running', 'sleeping', 'crashed', 'failed', 'stopped']),
  deployedAt: z.string().nullable(),
  /** The commit serving traffic; null before the first deploy finished. */
  shortSha: z.string().nullable(),
  /** The browser robot passed this release. */
  verified: z.boolean(),
  /** The build whose browser run verified (or failed) the release. */
  verificationOperationId: z.string().nullable(),
});
export type EnvironmentOverview = z.infer<typeof EnvironmentOverview>;

/** What a project's card shows without opening it. */
export const ProjectOverview = z.object({
  lastBuild: BuildOverview.nullable(),
  staging: EnvironmentOverview.nullable(),
  production: EnvironmentOverview.nullable(),
  /**
   * The first page's screenshot from the browser run that verified staging's release (else
   * production's): `/api/artifacts/…`, served to whoever may see the project.
   */
  thumbnailUrl: z.string().nullable(),
  openMergeRequests: z.number().int(),
  openIssues: z.number().int(),
});
export type ProjectOverview = z.infer<typeof ProjectOverview>;

/** A project in a list: the project and its overview. */
export const ProjectListItem = ProjectView.extend({ overview: ProjectOverview });
export type ProjectListItem = z.infer<typeof ProjectListItem>;

export const MemberView = z.object({
  userId: z.string(),
  username: z.string(),
  /** `agent` for the project's agent principal (what agent sessions act as). */
  kind: z.enum(['human', 'agent', 'service']),
  role: ProjectRole,
  addedAt: z.string(),
});
export type MemberView = z.infer<typeof MemberView>;

export const SetMemberBody = z.object({ role: ProjectRole });
export const MemberParams = SlugParam.extend({ username: z.string().min(1).max(39) });

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
  })
  .refine(
    (b) => b.name !== undefined || b.description !== undefined || b.hostNetwork !== undefined,
    'send name, description or hostNetwork',
  );

export const ListProjectsQuery = PageQuery.extend({
  archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  q: z.string().max(100).optional(),
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
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The caller's role in this project (admins see `owner`). */
  role: ProjectRole,
});
export type ProjectView = z.infer<typeof ProjectView>;

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

import { z } from 'zod';
import { ValidationError } from '../../../platform/errors.ts';
import { fieldIssues } from '../../../platform/http/problem.ts';

/**
 * The Git LFS APIs' shapes (https://github.com/git-lfs/git-lfs/tree/main/docs/api): snake_case, as
 * the client sends and expects them. Objects in a batch are checked one by one (a bad oid or size is
 * an error of that object, not of the request), so their oid and size are only typed here.
 */
export const LFS_JSON = 'application/vnd.git-lfs+json';

/** A sha256 oid as LFS names objects: 64 lowercase hex characters. */
export const OID = /^[0-9a-f]{64}$/;

/** A lock's id (a UUID); anything else names no lock. */
export const LOCK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The most objects one batch may name (git-lfs sends at most 100 at a time). */
export const MAX_BATCH_OBJECTS = 1000;

const Ref = z.object({ name: z.string().min(1).max(1024) }).nullish();

export const BatchRequest = z.object({
  operation: z.enum(['download', 'upload']),
  transfers: z.array(z.string().max(200)).max(50).optional(),
  ref: Ref,
  objects: z.array(z.object({ oid: z.string().max(1024), size: z.number() })),
  hash_algo: z.string().max(100).optional(),
});
export type BatchRequest = z.infer<typeof BatchRequest>;

export interface LfsAction {
  href: string;
  header: Record<string, string>;
  expires_in: number;
}

export interface BatchObject {
  oid: string;
  size: number;
  authenticated?: boolean;
  actions?: Partial<Record<'download' | 'upload' | 'verify', LfsAction>>;
  error?: { code: number; message: string };
}

export interface BatchResponse {
  transfer: 'basic';
  objects: BatchObject[];
  hash_algo: 'sha256';
}

/** The verify action's body: the object the client just uploaded. */
export const VerifyObjectBody = z.object({ oid: z.string().max(1024), size: z.number().int().min(0) });
export type VerifyObjectBody = z.infer<typeof VerifyObjectBody>;

export const CreateLockBody = z.object({ path: z.string().min(1).max(4096), ref: Ref });
export type CreateLockBody = z.infer<typeof CreateLockBody>;

const Limit = z.coerce.number().int().min(1).max(1000).default(100);
const Cursor = z.string().max(500).optional();

export const ListLocksQuery = z.object({
  path: z.string().min(1).max(4096).optional(),
  id: z.string().max(100).optional(),
  cursor: Cursor,
  limit: Limit,
  refspec: z.string().min(1).max(1024).optional(),
});
export type ListLocksQuery = z.infer<typeof ListLocksQuery>;

export const VerifyLocksBody = z.object({ cursor: Cursor, limit: Limit, ref: Ref });
export type VerifyLocksBody = z.infer<typeof VerifyLocksBody>;

export const UnlockBody = z.object({ force: z.boolean().optional(), ref: Ref });
export type UnlockBody = z.infer<typeof UnlockBody>;

export interface LfsLock {
  id: string;
  path: string;
  locked_at: string;
  owner: { name: string };
}

/** Parses a request's body or query, or throws a ValidationError naming the fields (a 422 to git-lfs). */
export function parseLfsInput<T>(schema: z.ZodType<T>, value: unknown, part: 'body' | 'querystring'): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issues = fieldIssues(part, parsed.error);
  throw new ValidationError(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
}

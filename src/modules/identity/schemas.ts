import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';
import { TimestampParam } from '../../platform/http/timestamp-param.ts';

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,38}$/,
    'use 1–39 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
export const Email = z.email('must be an email address').max(254);
export const Password = z.string().min(10, 'must be at least 10 characters').max(1024);
export const ScopeName = z.enum(['read', 'write', 'admin']);
export const Role = z.enum(['admin', 'member']);
/** A person, an agent acting for someone (delegated tokens only), or a service (tokens only). */
export const UserKind = z.enum(['human', 'agent', 'service']);

export const CreateUserBody = z.object({
  username: Username,
  email: Email,
  password: Password,
  role: Role.default('member'),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const SetupAdminBody = z.object({
  username: Username.default('admin'),
  email: Email,
  password: Password,
});

export const UpdateUserBody = z
  .object({
    role: Role.optional(),
    disabled: z.boolean().optional(),
    password: Password.optional(),
    email: Email.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one of role, disabled, password, email');

export const LoginBody = z.object({
  login: z.string().trim().min(1, 'send your username or email').max(254),
  password: z.string().min(1, 'send your password').max(1024),
});

export const CreateTokenBody = z.object({
  name: z.string().trim().min(1).max(100).default('api'),
  scopes: z.array(ScopeName).min(1, 'name at least one scope').max(3),
  /** Days until the token expires; omit for a token that does not expire. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

/** Optional: a POST without a body ends every session. */
export const RevokeAllSessionsBody = z
  .object({
    /** Keep the session making this request (its admin stays signed in). */
    exceptCurrent: z.boolean().default(false),
  })
  .nullish();
export const RevokeAllSessionsView = z.object({
  /** Sessions ended. */
  revoked: z.number(),
  keptCurrent: z.boolean(),
});

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  role: Role,
  kind: UserKind,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserView>;
/**
 * A user in the admins' list: how many passkeys they hold (0: none yet), whether they have set a
 * password, and their unused invitation (null when none is waiting; it may have expired).
 */
export const UserListItem = UserView.extend({
  passkeys: z.number().int(),
  hasPassword: z.boolean(),
  invitation: z.object({ expiresAt: z.string() }).nullable(),
});
export type UserListItem = z.infer<typeof UserListItem>;

export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(ScopeName),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TokenView = z.infer<typeof TokenView>;

/** A new session: the user and the CSRF token the UI echoes on mutations (the session is a cookie). */
export const SessionStartView = z.object({ user: UserView, csrfToken: z.string() });

export const MeView = z.object({
  user: UserView,
  via: z.enum(['session', 'token']),
  scopes: z.array(ScopeName),
  csrfToken: z.string().optional(),
  /** An agent token: whom it acts for, in which project, where it may push. */
  delegation: z
    .object({
      byUserId: z.string(),
      byUsername: z.string(),
      projectId: z.string(),
      pushBranches: z.string(),
      agentSessionId: z.string().nullable(),
    })
    .optional(),
  /** The instance requires passkeys and this person has none: only registering one works until then. */
  mustRegisterPasskey: z.boolean().optional(),
});

/** What narrows the audit log (the list and the CSV export take the same filters). */
export const AuditFilterQuery = z.object({
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  projectId: z.uuid().optional(),
  since: TimestampParam.optional(),
  until: TimestampParam.optional(),
  /** Words found, ignoring case, in the action, actor, target, IP or details (every word must appear). */
  q: z.string().trim().max(200).optional(),
});
export type AuditFilterQuery = z.infer<typeof AuditFilterQuery>;
export const AuditQuery = PageQuery.extend(AuditFilterQuery.shape);
export type AuditQuery = z.infer<typeof AuditQuery>;

export const IdParam = z.object({ id: z.uuid('must be an id (uuid)') });

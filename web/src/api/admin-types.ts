/** The admin panel's API answers (src/modules/identity: users, links, tokens, audit, instance), from openapi.gen.ts. */
import type { Answer, ItemOf, QueryOf, RequestBody } from './openapi-answer.ts';

export type AdminUser = ItemOf<Answer<'/api/users', 'get'>>;
export type Role = AdminUser['role'];
export type Invitation = Answer<'/api/admin/invitations', 'post', 201>;
export type InviteBody = RequestBody<'/api/admin/invitations', 'post'>;
export type AccountLink = Invitation['link'];
export type AccountLinkResult = Answer<'/api/users/{id}/account-links', 'post', 201>;
export type AccountLinkLookup = Answer<'/api/account-links/lookup', 'post'>;
export type AdminToken = ItemOf<Answer<'/api/admin/tokens', 'get'>>;
export type TokenState = AdminToken['state'];
export type AuditEvent = ItemOf<Answer<'/api/audit', 'get'>>;
export type AuditFilters = Omit<QueryOf<'/api/audit', 'get'>, 'limit' | 'cursor'>;
export type InstanceSummary = Answer<'/api/admin/instance', 'get'>;
export type RevokeAllSessions = Answer<'/api/admin/sessions/revoke-all', 'post'>;
export type LlmProviders = Answer<'/api/llm/providers', 'get'>;
export type LlmProvider = ItemOf<LlmProviders>;
export type CreateProviderBody = RequestBody<'/api/llm/providers', 'post'>;
export type UpdateProviderBody = RequestBody<'/api/llm/providers/{name}', 'patch'>;
export type BackupListing = Answer<'/api/admin/backups', 'get'>;
export type BackupFile = BackupListing['archives'][number];

/** The identity module's public face. */
export { type ActorCache, createActorCache } from './actor-cache.ts';
export type { AgentProjects } from './agent-projects.ts';
export { listAudit } from './audit/list-audit.ts';
export { type AuditEntry, type OnBehalfOf, recordAudit } from './audit/record-audit.ts';
export {
  actorForToken,
  authenticateSession,
  authenticateToken,
  type CredentialDeps,
  createAuthenticator,
  reloadActor,
  scopesForRole,
} from './authenticate.ts';
export { bootstrapAdmin } from './bootstrap-admin.ts';
export { SESSION_COOKIE } from './cookies.ts';
export { createToken } from './create-token.ts';
export { createUser } from './create-user.ts';
export {
  type DelegatedToken,
  type DelegateTokenDeps,
  delegateToken,
  MAX_DELEGATION_MS,
} from './delegate-token.ts';
export {
  AdminDelegationsQuery,
  DelegationsQuery,
  type DelegationView,
} from './delegations/delegation-schemas.ts';
export { listAllDelegations, listMyDelegations } from './delegations/list-delegations.ts';
export { revokeDelegation } from './delegations/revoke-delegation.ts';
export { ensureAgentPrincipal } from './ensure-agent-principal.ts';
export { findTokenBinding, type TokenBinding } from './find-token-binding.ts';
export { findUsernames, findUserSummaries } from './find-usernames.ts';
export { createLastUseRecorder, type LastUseRecorder } from './last-use.ts';
export { listAdminIds } from './list-admin-ids.ts';
export { listTokens } from './list-tokens.ts';
export { listUsers } from './list-users.ts';
export { needsAdmin } from './needs-admin.ts';
export type {
  GroupMemberships,
  GroupProjectRole,
  MembershipChange,
} from './oidc/group-memberships.ts';
export { requirePerson } from './require-person.ts';
export { revokeAllSessions } from './revoke-all-sessions.ts';
export { revokeSessionTokens } from './revoke-session-tokens.ts';
export { revokeToken } from './revoke-token.ts';
export { identityRoutes } from './routes.ts';
export { AuditQuery, CreateUserBody, UpdateUserBody } from './schemas.ts';
export { createServiceAccount } from './service-accounts/create-service-account.ts';
export { listServiceAccounts } from './service-accounts/list-service-accounts.ts';
export { CreateServiceAccountBody } from './service-accounts/service-account-schemas.ts';
export { setupAdmin } from './setup-admin.ts';
export {
  findActiveUsersByName,
  findNotifiableUsers,
  findUserById,
  findUserByName,
  type UserKind,
} from './store.ts';
export { generateToken } from './token-format.ts';
export { updateUser } from './update-user.ts';
export { toTokenView, toUserView } from './views.ts';

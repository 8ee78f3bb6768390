/** The identity module's public face. */
export { type ActorCache, createActorCache } from './actor-cache.ts';
export { type AuditEntry, recordAudit } from './audit/record-audit.ts';
export {
  authenticateToken,
  type CredentialDeps,
  createAuthenticator,
  reloadActor,
  scopesForRole,
} from './authenticate.ts';
export { bootstrapAdmin } from './bootstrap-admin.ts';
export { createToken } from './create-token.ts';
export { createUser } from './create-user.ts';
export { findTokenBinding, type TokenBinding } from './find-token-binding.ts';
export { findUsernames } from './find-usernames.ts';
export { createLastUseRecorder, type LastUseRecorder } from './last-use.ts';
export { needsAdmin } from './needs-admin.ts';
export { identityRoutes } from './routes.ts';
export { setupAdmin } from './setup-admin.ts';
export { findUserById, findUserByName } from './store.ts';
export { generateToken } from './token-format.ts';

import { ForbiddenError, PasskeyRequiredError } from '../errors.ts';
import { type Actor, hasScope, type Scope } from './actor.ts';
import { requireUndelegated } from './delegated-actor.ts';

/** A role in a project, least to most: what `projectRole` names and the project gate checks. */
export type ProjectRoleName = 'viewer' | 'developer' | 'maintainer' | 'owner';

/**
 * Checks that an actor holds at least `needed` in project `slug`, throwing a DomainError (404, 403)
 * otherwise. The projects module supplies it; `createHttpServer({ projectAccess })` runs it.
 */
export type ProjectAccessCheck = (actor: Actor, slug: string, needed: ProjectRoleName) => Promise<unknown>;

/**
 * Per-route access declaration, set in a route's `config`. By default every `/api` route needs
 * an authenticated actor holding `read` (GET/HEAD) or `write` (other methods).
 */
export interface RouteAuth {
  /** `public` routes need no authentication at all. */
  auth?: 'public' | 'required';
  /** Override the scope the route needs. */
  scope?: Scope;
  /** Instance admins only (and, for tokens, the `admin` scope). */
  adminOnly?: boolean;
  /**
   * For routes under `/api/projects/:slug`: the least project role the caller needs. Checked
   * before the body is validated, so non-members learn nothing from validation errors.
   * Defaults to `viewer` for GET/HEAD and `developer` otherwise.
   */
  projectRole?: ProjectRoleName;
  /**
   * Agent (delegated) tokens: `true` lets them call the route, a sentence refuses them with it
   * (`'Agent tokens cannot read secrets'`). Unset, they may read their own project (GET and HEAD
   * under `/api/projects/:slug`) and nothing else, so a route added later is closed to agents
   * until someone decides otherwise.
   */
  delegated?: true | string;
  /** Browser sessions only: every API token is refused (passkeys are managed where they are used). */
  sessionOnly?: true;
  /** Open to a session that must register a passkey first (`Actor.mustRegisterPasskey`). */
  beforePasskey?: true;
  /** Stricter, per-IP rate limit bucket (e.g. login). */
  rateLimitBucket?: 'login';
}

declare module 'fastify' {
  interface FastifyContextConfig extends RouteAuth {}
}

/**
 * The least project role a request under `/api/projects/:slug` needs: the route's `projectRole`,
 * else `viewer` to read and `developer` to change.
 */
export function projectRoleNeeded(config: RouteAuth, method: string): ProjectRoleName {
  return config.projectRole ?? (method === 'GET' || method === 'HEAD' ? 'viewer' : 'developer');
}

const AGENTS_MAY =
  'they may only read their project, push to their agent branches, work on its issues and merge requests and run its pipelines';

/**
 * The route-level checks for an authenticated actor: what an agent token may call, admin-only
 * routes, then the scope. `url` is the route's pattern (`/api/projects/:slug/issues`).
 */
export function requireRouteAccess(actor: Actor, config: RouteAuth, method: string, url: string) {
  const reads = method === 'GET' || method === 'HEAD';
  if (actor.delegation && config.delegated !== true) {
    if (config.delegated !== undefined || !reads || !url.startsWith('/api/projects/:slug'))
      requireUndelegated(
        actor,
        config.delegated ?? `Agent tokens cannot call ${method} ${url} (${AGENTS_MAY})`,
      );
  }
  if (actor.mustRegisterPasskey && !config.beforePasskey)
    throw new PasskeyRequiredError(
      'This instance requires a passkey: register one (Settings → Passkeys) before anything else.',
    );
  if (config.sessionOnly && actor.via !== 'session')
    throw new ForbiddenError(
      `API tokens cannot call ${method} ${url}: sign in with a browser session to do this.`,
    );
  const needed = config.scope ?? (reads ? 'read' : 'write');
  if (config.adminOnly) {
    if (actor.role !== 'admin') throw new ForbiddenError('Only instance admins may do this.');
    if (!hasScope(actor, 'admin')) throw new ForbiddenError('This token lacks the admin scope.');
  }
  if (!hasScope(actor, needed)) throw new ForbiddenError(`This token lacks the ${needed} scope.`);
}

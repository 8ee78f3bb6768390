import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { AgentProjects } from '../identity/index.ts';
import { requireProjectRole } from './access.ts';
import { findProjectSlugs } from './find-project-slugs.ts';
import { findProjectById, findProjectBySlug, insertMemberIfAbsent } from './store.ts';

/**
 * What identity's delegations need of projects: the delegator's role check, the agent's membership,
 * and project slugs for listing them.
 */
export function agentProjects(db: Queryable): AgentProjects {
  return {
    async requireDeveloper(actor, projectId) {
      const project = await findProjectById(db, projectId);
      if (!project) throw new NotFoundError(`No project with id ${projectId}.`);
      return (await requireProjectRole(db, actor, project.slug, 'developer')).project;
    },
    addAgentMember: (tx, projectId, userId) => insertMemberIfAbsent(tx, projectId, userId, 'developer'),
    slugsOf: (ids) => findProjectSlugs(db, ids),
    idOf: async (slug) => (await findProjectBySlug(db, slug.toLowerCase()))?.id,
  };
}

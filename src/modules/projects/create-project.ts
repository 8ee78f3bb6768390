import type { RequestContext } from '../../platform/context.ts';
import { type Db, type DbClient, withTransaction } from '../../platform/db/pool.ts';
import { ConflictError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import { slugify } from '../../platform/slugify.ts';
import { recordAudit } from '../identity/index.ts';
import type { CreateProjectBody } from './schemas.ts';
import { RESERVED_SLUGS } from './slug-rules.ts';
import { insertProject, type ProjectRow, slugsLike, upsertMember } from './store.ts';

/**
 * Creates a project owned by the actor. An explicit slug must be free (409 otherwise); a slug
 * derived from the name gets a numeric suffix when taken. Inside a caller's transaction when `db`
 * is one.
 */
export async function createProject(
  db: Db | DbClient,
  ctx: RequestContext,
  input: CreateProjectBody,
): Promise<ProjectRow> {
  requireUndelegated(ctx.actor, 'Agent tokens cannot create projects');
  return withTransaction(db, async (tx) => {
    let slug = input.slug;
    if (!slug) {
      const base = slugify(input.name, 'project').slice(0, 44).replace(/-+$/, '') || 'project';
      const taken = await slugsLike(tx, base);
      slug = base;
      for (let n = 2; taken.has(slug) || RESERVED_SLUGS.has(slug); n++) slug = `${base}-${n}`;
    }
    let project: ProjectRow;
    try {
      await tx.query('SAVEPOINT create_project');
      project = await insertProject(tx, {
        slug,
        name: input.name,
        description: input.description ?? '',
        createdBy: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictError(`The slug "${slug}" is taken; choose another.`, { field: 'slug' });
      }
      throw error;
    }
    if (!isSystemActor(ctx.actor)) await upsertMember(tx, project.id, ctx.actor.userId, 'owner');
    await recordAudit(tx, ctx, {
      action: 'project.create',
      target: { type: 'project', id: project.id },
      projectId: project.id,
      data: { slug: project.slug, name: project.name },
    });
    return project;
  });
}

// The fair peer for GET /api/projects: a minimal Fastify 5 + `pg` handler doing the same work for a
// token-authenticated user — SHA-256 of the bearer token, its row joined to the user, the projects
// store's keyset query, the same JSON — with nothing else (no hooks, logging, schemas or limits).
// Usage: node --import tsx pg-fastify.ts <database url>. Prints its URL and serves until killed.
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const TOKEN_PATTERN = /^orch_[A-Za-z0-9_-]{20,}$/;
const LIMIT = 50;
// Same pool size as Orchard's default (createResources).
const pool = new pg.Pool({ connectionString: process.argv[2], max: 20 });
// Orchard stopping its embedded server ends these connections; that is not this peer's failure.
pool.on('error', () => undefined);

interface ProjectRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  archived_at: Date | null;
  host_network: boolean;
  created_at: Date;
  updated_at: Date;
  member_role: string | null;
}

const app = Fastify({ logger: false });
app.get('/api/projects', async (request, reply) => {
  const token = request.headers.authorization?.slice('Bearer '.length) ?? '';
  if (!TOKEN_PATTERN.test(token)) return reply.status(401).send({ title: 'Unauthorized' });
  const hash = createHash('sha256').update(token).digest('hex');
  const {
    rows: [actor],
  } = await pool.query(
    `SELECT t.*, u.username, u.role, u.disabled FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1`,
    [hash],
  );
  if (!actor || actor.revoked_at || actor.disabled || (actor.expires_at && actor.expires_at <= new Date()))
    return reply.status(401).send({ title: 'Unauthorized' });
  const all = actor.role === 'admin';
  const { rows } = await pool.query<ProjectRow>(
    `SELECT p.*, m.role AS member_role FROM projects p
     LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
     WHERE ($2 OR m.user_id IS NOT NULL)
       AND (p.archived_at IS NOT NULL) = $3
       AND ($4::text IS NULL OR p.name ILIKE '%' || $4 || '%' OR p.slug ILIKE '%' || $4 || '%')
       AND ($6::timestamptz IS NULL OR (p.created_at, p.id) < ($6::timestamptz, $7::uuid))
     ORDER BY p.created_at DESC, p.id DESC LIMIT $5`,
    [actor.user_id, all, false, null, LIMIT + 1, null, null],
  );
  const page = rows.slice(0, LIMIT);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      description: r.description,
      archived: r.archived_at !== null,
      archivedAt: r.archived_at?.toISOString() ?? null,
      hostNetwork: r.host_network,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      role: all ? 'owner' : (r.member_role ?? 'viewer'),
    })),
    nextCursor:
      rows.length > LIMIT && last
        ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString('base64url')
        : null,
  };
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(
  `listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`,
);

// The bare peer for the HTTP benchmark, a floor rather than a fair peer (that is pg-fastify.ts): a
// Fastify 5 route returning a payload shaped like GET /api/projects, no auth, no database. Prints
// its URL and serves until killed.
import Fastify from 'fastify';

const items = Array.from({ length: 20 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  slug: `project-${i}`,
  name: `Project ${i}`,
  description: '',
  archived: false,
  archivedAt: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  role: 'owner',
}));
const app = Fastify({ logger: false });
app.get('/api/projects', async () => ({ items, nextCursor: null }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(
  `listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`,
);

import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { createProjectAs } from '../../../../test/git.ts';
import { ensureEnvironment } from '../../../../test/support/deploy-fixture.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import type { IngestTenant } from './ingest-tenant.ts';
import { ensureIngestToken } from './ingest-tokens.ts';

export interface IngestFixture {
  t: TestApp;
  tenant: IngestTenant;
  /** The environment's ingest token, as the deploy runtime hands it to the app. */
  token: string;
  /** Orchard's base URL (listening on 127.0.0.1). */
  base: string;
  close(): Promise<void>;
}

/** A test Orchard listening on 127.0.0.1 with a project, a staging environment and its ingest token. */
export async function ingestFixture(overrides: Record<string, unknown> = {}): Promise<IngestFixture> {
  const t = await createTestApp(overrides);
  const admin = await t.user('admin');
  const slug = `otel${randomUUID().slice(0, 6)}`;
  await createProjectAs(t, admin.token, slug);
  const project = (await findProjectBySlug(t.res.db, slug))!;
  // The environment row the deploy module makes on a first deploy (no app runs here).
  const environment = await ensureEnvironment(t.res.db, {
    projectId: project.id,
    name: 'staging',
    kind: 'staging',
    branch: null,
    hostLabel: `staging--${slug}`,
    now: new Date(),
  });
  const tenant = { environmentId: environment.id, projectId: project.id };
  await t.http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.http.server.address() as { port: number }).port}`;
  const token = await ensureIngestToken({ db: t.res.db, vault: t.res.vault }, tenant);
  return {
    t,
    tenant,
    token,
    base,
    async close() {
      await t.res.telemetry.close();
      await t.close();
    },
  };
}

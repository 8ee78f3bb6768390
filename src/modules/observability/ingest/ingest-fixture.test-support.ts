import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { createProjectAs } from '../../../../test/git.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import type { IngestTenant } from './ingest-tenant.ts';

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
  const { rows } = await t.res.db.query<{ id: string }>(
    `INSERT INTO environments (project_id, name, kind, host_label, created_at, updated_at) VALUES ($1, 'staging', 'staging', $2, now(), now()) RETURNING id`,
    [project.id, `staging--${slug}`],
  );
  const tenant = { environmentId: rows[0]!.id, projectId: project.id };
  await t.http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.http.server.address() as { port: number }).port}`;
  const env = await t.res.telemetry.envFor(tenant, { baseUrl: base, serviceName: slug });
  const token = decodeURIComponent(env.OTEL_EXPORTER_OTLP_HEADERS!.split('=')[1]!).replace(/^Bearer /, '');
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

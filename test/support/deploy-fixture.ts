import { readFileSync } from 'node:fs';
import { type Agent, request } from 'node:http';
import { ensureRepository } from '../../src/modules/git/index.ts';
import { findProjectBySlug, type ProjectRow } from '../../src/modules/projects/index.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { createTestApp, type TestApp } from '../app.ts';
import { commitFiles, createProjectAs, gitOk, localRepo } from '../git.ts';

/**
 * A tiny app for deploy tests (tests only): answers `/` with its VERSION, `/health` with 200 (503
 * when the file MODE says `unhealthy`), exits on `/crash`, reports its environment (and which of
 * the test secrets PROTECTED_KEY and OPEN_KEY it was given, never their values) on `/info`, and
 * echoes an upgraded (websocket-like) connection.
 */
export const TEST_SERVER = readFileSync(new URL('./__fixtures__/test-server.cjs', import.meta.url), 'utf8');

export const TEST_APP_YML =
  'start: node server.js\nbuild: echo built >> build-count.txt\nhealthPath: /health\n';

export interface DeployFixture {
  t: TestApp;
  project: ProjectRow;
  slug: string;
  token: string;
  /** Orchard's HTTP port (listening on 127.0.0.1). */
  port: number;
  /** Commits the test app at `version` (optionally unhealthy) on `branch` and pushes it; returns the sha. */
  push(
    version: string,
    options?: {
      branch?: string;
      unhealthy?: boolean;
      exits?: boolean;
      appYml?: string;
      /** More files to commit beside the app (e.g. `.orchard/smoke.yml`). */
      extra?: Record<string, string>;
    },
  ): Promise<string>;
  close(): Promise<void>;
}

/** A test Orchard listening on 127.0.0.1 with a project whose bare repository gets the test app. */
export async function deployFixture(
  overrides: Record<string, unknown> = {},
  options: { clock?: Clock; slug?: string } = {},
): Promise<DeployFixture> {
  const t = await createTestApp(
    {
      'deploy.healthTimeoutMs': 10_000,
      'deploy.drainTimeoutMs': 2_000,
      'rateLimit.tokenPerMinute': 100_000,
      'rateLimit.ipPerMinute': 100_000,
      // These tests reach apps without signing in; private environments have tests of their own.
      'deploy.privateByDefault': false,
      ...overrides,
    },
    { clock: options.clock },
  );
  const admin = await t.user('admin');
  const slug = options.slug ?? 'shop';
  await createProjectAs(t, admin.token, slug);
  const project = (await findProjectBySlug(t.res.db, slug))!;
  const bare = await ensureRepository(t.config.home, slug);
  const work = await localRepo();
  await t.http.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.http.server.address() as { port: number }).port;
  return {
    t,
    project,
    slug,
    token: admin.token,
    port,
    async push(version, o = {}) {
      const branch = o.branch ?? 'main';
      const current = (await gitOk(['branch', '--show-current'], work)).trim();
      if (current !== branch) {
        const exists = (await gitOk(['branch', '--list', branch], work)).trim();
        await gitOk(exists ? ['checkout', '-q', branch] : ['checkout', '-q', '-b', branch], work);
      }
      const files: Record<string, string> = {
        'server.js': TEST_SERVER,
        '.orchard/app.yml': o.appYml ?? TEST_APP_YML,
        VERSION: `${version}\n`,
        MODE: o.unhealthy ? 'unhealthy\n' : o.exits ? 'exit\n' : 'ok\n',
        ...o.extra,
      };
      const sha = await commitFiles(work, files, `version ${version}`);
      await gitOk(['push', '-q', '--force', bare, `${branch}:${branch}`], work);
      return sha;
    },
    async close() {
      await t.res.deploy.stop();
      await t.close();
    },
  };
}

export interface AppAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A request to a deployed app through Orchard's proxy: the Host header picks the environment. */
export function appRequest(port: number, host: string, path = '/', agent?: Agent): Promise<AppAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A request with any method (and a body, of `contentType`) to a deployed app through Orchard's proxy. */
export function appSend(
  port: number,
  host: string,
  method: string,
  url: string,
  body?: string,
  contentType = 'text/plain',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: url,
        method,
        headers: { host, ...(body === undefined ? {} : { 'content-type': contentType }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON request to a deployed app through Orchard's proxy. */
export async function appJson(port: number, host: string, method: string, url: string, body?: unknown) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const answer = await appSend(port, host, method, url, payload, 'application/json');
  return { status: answer.status, json: answer.body ? (JSON.parse(answer.body) as unknown) : undefined };
}

/** Environment rows written directly, for tests that need an environment without deploying one. */
export { ensureEnvironment, recordObserved } from '../../src/modules/deploy/environment-store.ts';

import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRepository } from '../src/modules/git/index.ts';
import { authenticateToken, delegateToken } from '../src/modules/identity/index.ts';
import {
  InjectBrowser,
  TEST_HOST,
  TEST_ORIGIN,
} from '../src/modules/identity/passkeys/passkey-browser.test-support.ts';
import { SoftAuthenticator } from '../src/modules/identity/passkeys/soft-authenticator.test-support.ts';
import { agentProjects } from '../src/modules/projects/index.ts';
import { insertFeature } from '../src/modules/studio/feature-store.ts';
import { personClassification } from '../src/modules/studio/sdlc/sdlc-kinds.ts';
import { requestApproval } from '../src/modules/workflows/approvals/approval-store.ts';
import type { RouteEntry } from '../src/platform/http/server.ts';
import { bearer, createTestApp, type TestApp } from './app.ts';
import { commitFiles, createProjectAs, gitOk, localRepo } from './git.ts';

/**
 * A failed request writes nothing: with the audit log refusing every insert (a trigger in this
 * file's own database raises), each mutating route must answer a problem and leave every table —
 * and the project's git refs — exactly as they were. Then, with the audit log working again, the
 * same request succeeds and writes its audit row, which proves it was a valid request that reached
 * the audit write. Table-driven over every mutating route; a route added later must join the table
 * or the list of routes that write no audit row, with the reason.
 */

const INJECTED = 'audit_log refuses writes (injected by the test)';

/** Mutating routes that write no audit row, and why (checked against the route table below). */
const NOT_AUDITED: Record<string, string> = {
  'POST /git/:repo/git-upload-pack': 'a fetch: reads only',
  'POST /git/:repo/git-receive-pack': 'a push: recorded as push_events by git push handling',
  'POST /git/:repo/info/lfs/objects/batch': 'Git LFS: answers where to transfer objects, writes nothing',
  'PUT /git/:repo/info/lfs/objects/:oid':
    "Git LFS: an object's bytes, content-addressed like a push's objects (recorded in lfs_objects)",
  'POST /git/:repo/info/lfs/objects/:oid/verify': 'Git LFS: checks that an upload landed, reads only',
  'POST /git/:repo/info/lfs/locks/verify':
    'Git LFS: lists the locks before a push (a POST in the spec), reads only',
  'POST /api/conversations/:id/messages': "a conversation's content; its create/rename/delete are audited",
  'POST /api/passkeys/registration/options': 'a WebAuthn challenge (single-use, expires): changes no access',
  'POST /api/auth/passkey/options': 'a WebAuthn challenge (single-use, expires): changes no access',
  'POST /api/account-links/lookup':
    'reads a one-time link (a POST so the secret is never in a URL that is logged)',
  'POST /api/me/notifications/:id/read': "marks one's own notification read: changes no access or setting",
  'POST /api/errors/browser':
    "a report of an error in the UI, recorded as one of Orchard's own errors: changes no access or setting",
  'POST /api/me/notifications/read-all': "marks one's own notifications read: changes no access or setting",
};

/**
 * A person with a password session and two passkeys (made once, on first use): the passkey cases
 * answer the server's real challenges with a software authenticator. A failed answer must leave its
 * challenge unused (rolled back with the audit row), so the same request succeeds afterwards.
 */
let passkeyPerson: Promise<{ browser: InjectBrowser; authenticator: SoftAuthenticator; ids: string[] }>;
function passkeyFixture() {
  passkeyPerson ??= (async () => {
    const person = await t.user('member');
    const browser = new InjectBrowser(t.http);
    await browser.password(person.user.username, person.password);
    const authenticator = new SoftAuthenticator(TEST_ORIGIN);
    const ids: string[] = [];
    for (const name of ['one', 'two']) ids.push((await browser.addPasskey(authenticator, name)).json().id);
    return { browser, authenticator, ids };
  })();
  return passkeyPerson;
}

/** The headers of that person's browser: its cookies and CSRF token, at Orchard's test host (no token). */
function browserHeaders(browser: InjectBrowser): Record<string, string> {
  return {
    authorization: '',
    host: TEST_HOST,
    cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    'x-csrf-token': browser.cookies.get('orchard_csrf') ?? '',
  };
}

interface Request {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

interface Case {
  /** `METHOD /route/:pattern` as in the route table. */
  route: string;
  /** The audit action the request writes when it succeeds. */
  action: string;
  request: () => Request | Promise<Request>;
  /**
   * Only this action's audit row fails (the default: every one). A request that records several
   * rows fails at its last, so what it wrote before that must be undone too.
   */
  failOn?: string;
  /** The success run is skipped where it needs a running app supervisor (publish, rollback). */
  successRun?: false;
}

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
let member: Awaited<ReturnType<TestApp['user']>>;
let bare: string;
const slug = 'atomic';
const ids: Record<string, string> = {};

async function api(request: Request, token = admin.token) {
  return t.http.inject({
    method: request.method,
    url: request.url,
    headers: { ...bearer(token), ...request.headers },
    ...(request.payload !== undefined ? { payload: request.payload as object } : {}),
  });
}

async function ok(request: Request, status = [200, 201, 202, 204]) {
  const res = await api(request);
  if (!status.includes(res.statusCode)) throw new Error(`${request.method} ${request.url}: ${res.body}`);
  return res.body ? res.json() : undefined;
}

async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []) {
  return (await t.res.db.query(text, values)).rows as T[];
}

/**
 * The injected failure is an opaque 500, which error reporting records in the background as one of
 * Orchard's own errors: Orchard observing itself, not the request's write. So occurrences are left
 * out, and of the error groups only those this file made (fingerprint `atomic-…`) are compared; so
 * are the admins' notifications of a new error group.
 */
const ERROR_REPORT_ROWS: Record<string, string> = {
  error_occurrences: 'false',
  error_groups: "fingerprint LIKE 'atomic-%'",
  notifications: "kind <> 'error_group_new'",
};

/** Every table's row count and a hash of its rows, and the project's git refs. */
async function fingerprint() {
  const tables = await sql<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    // Authentication stamps a token's last use; that is not the request's write.
    const [row] = await sql<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, md5(COALESCE(string_agg(x, E'\\n' ORDER BY x), '')) AS h
       FROM (SELECT (to_jsonb(t) - 'last_used_at')::text AS x FROM "${name}" t
             WHERE ${ERROR_REPORT_ROWS[name] ?? 'true'}) s`,
    );
    out[name] = `${row!.n}:${row!.h}`;
  }
  out['git refs'] = await gitOk(['for-each-ref', '--format=%(refname) %(objectname)'], bare);
  return out;
}

/** Makes every audit insert (or only those of `action`) raise, or stops that. */
async function failAudit(on: boolean, action?: string) {
  if (on) {
    const when = action ? `NEW.action = '${action}'` : 'true';
    await t.res.db.query(`CREATE OR REPLACE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF ${when} THEN RAISE EXCEPTION '${INJECTED}'; END IF; RETURN NEW; END $$`);
    await t.res.db.query(
      'CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()',
    );
  } else {
    await t.res.db.query('DROP TRIGGER IF EXISTS test_refuse_audit ON audit_log');
  }
}

const p = (path: string) => `/api/projects/${slug}${path}`;

beforeAll(async () => {
  t = await createTestApp({
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
    'rateLimit.loginPerMinute': 100_000,
    allowPrivateWebhookTargets: true,
    // An LLM Architect that is configured (never called: no worker runs here).
    'llm.providers': [
      {
        name: 'cfg',
        kind: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKey: 'k',
        models: [{ id: 'm' }],
      },
    ],
    'llm.aliases': { architect: ['cfg/m'], coder: ['cfg/m'] },
  });
  admin = await t.user('admin');
  member = await t.user('member');
  await createProjectAs(t, admin.token, slug);
  await createProjectAs(t, admin.token, 'atomic-spare');
  await createProjectAs(t, admin.token, 'atomic-archived');
  await ok({ method: 'POST', url: '/api/projects/atomic-archived/archive' });

  bare = await ensureRepository(t.config.home, slug);
  const work = await localRepo();
  ids.main = await commitFiles(
    work,
    {
      'README.md': 'atomic\n',
      '.orchard/pipeline.yml': 'jobs:\n  test:\n    steps:\n      - name: ok\n        run: echo ok\n',
      '.orchard/workflows/gate.yml':
        'steps:\n  gate:\n    kind: approval\n    with:\n      title: Ship it?\n      role: developer\n',
    },
    'initial',
  );
  await gitOk(['push', '-q', bare, 'main:main'], work);
  for (const branch of ['to-merge', 'to-open', 'to-review']) {
    await gitOk(['checkout', '-q', '-b', branch, 'main'], work);
    await commitFiles(work, { [`${branch}.txt`]: `${branch}\n` }, branch);
    await gitOk(['push', '-q', bare, `${branch}:${branch}`], work);
  }

  // Fixtures for the routes that change or remove something (written with the audit log working).
  const other = await t.user('member');
  ids.otherName = other.user.username;
  await ok({ method: 'PUT', url: p(`/members/${ids.otherName}`), payload: { role: 'viewer' } });
  ids.token = (
    await ok({ method: 'POST', url: '/api/tokens', payload: { name: 'spare', scopes: ['read'] } })
  ).id;
  await ok({ method: 'PUT', url: p('/secrets/OLD_SECRET'), payload: { value: 'v' } });
  await ok({
    method: 'POST',
    url: p('/secret-scanning/allowed'),
    payload: { fingerprint: 'b'.repeat(64), reason: 'to revoke' },
  });
  ids.schedule = (
    await ok({ method: 'POST', url: p('/pipeline-schedules'), payload: { ref: 'main', cron: '0 3 * * *' } })
  ).id;
  ids.webhook = (
    await ok({
      method: 'POST',
      url: p('/webhooks'),
      payload: { url: 'http://127.0.0.1:9/hook', secret: 'secret-secret', events: ['issue'] },
    })
  ).id;
  ids.spareWebhook = (
    await ok({
      method: 'POST',
      url: p('/webhooks'),
      payload: { url: 'http://127.0.0.1:9/other', secret: 'secret-secret', events: ['pipeline'] },
    })
  ).id;
  ids.issue = String(
    (await ok({ method: 'POST', url: p('/issues'), payload: { title: 'An issue' } })).number,
  );
  ids.delivery = (await sql<{ id: string }>('SELECT id FROM webhook_deliveries LIMIT 1'))[0]!.id;
  ids.mr = String(
    (
      await ok({
        method: 'POST',
        url: p('/merge-requests'),
        payload: { title: 'Merge me', sourceBranch: 'to-merge', targetBranch: 'main' },
      })
    ).number,
  );
  // A merge request by another developer, which the admin reviews.
  const proposer = await t.user('member');
  await ok({ method: 'PUT', url: p(`/members/${proposer.user.username}`), payload: { role: 'developer' } });
  ids.reviewed = String(
    (
      await api(
        {
          method: 'POST',
          url: p('/merge-requests'),
          payload: { title: 'Review me', sourceBranch: 'to-review', targetBranch: 'main' },
        },
        proposer.token,
      )
    ).json().number,
  );
  const pipeline = await ok({ method: 'POST', url: p('/pipelines'), payload: { ref: 'main' } });
  ids.runningPipeline = pipeline.id;
  const finished = await ok({ method: 'POST', url: p('/pipelines'), payload: { ref: 'main' } });
  ids.finishedPipeline = finished.id;
  await sql("UPDATE pipelines SET status = 'success', finished_at = now() WHERE id = $1", [finished.id]);
  ids.queuedOp = (
    await ok({ method: 'POST', url: '/api/operations', payload: { kind: 'system.canary', project: slug } })
  ).id;
  ids.cancelledOp = (
    await ok({ method: 'POST', url: '/api/operations', payload: { kind: 'system.canary', project: slug } })
  ).id;
  await ok({ method: 'POST', url: `/api/operations/${ids.cancelledOp}/cancel` });
  await ok({
    method: 'POST',
    url: '/api/llm/providers',
    payload: { name: 'spare', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' },
  });
  await ok({ method: 'PUT', url: '/api/llm/secrets/OLD_KEY', payload: { value: 'v' } });
  ids.conversation = (await ok({ method: 'POST', url: '/api/conversations', payload: { title: 'c' } })).id;
  ids.blueprint = (await ok({ method: 'POST', url: p('/blueprints'), payload: { title: 'Shop' } })).id;
  ids.buildable = (await ok({ method: 'POST', url: p('/blueprints'), payload: { template: 'crud-app' } })).id;
  // A feature on the board with no build running (moved, assigned and classified by hand).
  ids.feature = (
    await insertFeature(t.res.db, {
      projectId: (await sql<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))[0]!.id,
      blueprintId: ids.blueprint!,
      slug: 'board-feature',
      branch: 'orchard/board-feature',
      title: 'Board feature',
      classification: personClassification('feature', 'someone', new Date()),
    })
  ).id;
  // A Blueprint that was built once (its build left as if it had ended): change requests need one.
  ids.changeable = (
    await ok({ method: 'POST', url: p('/blueprints'), payload: { template: 'crud-app' } })
  ).id;
  await ok({ method: 'POST', url: `/api/blueprints/${ids.changeable}/build`, payload: { override: true } });
  await sql("UPDATE blueprints SET status = 'built' WHERE id = $1", [ids.changeable]);
  // Agent sessions (no worker runs here): one queued, one that has ended.
  ids.queuedSession = (
    await ok({ method: 'POST', url: p('/agent-sessions'), payload: { title: 'Queued', runtime: 'scaffold' } })
  ).id;
  ids.endedSession = (
    await ok({
      method: 'POST',
      url: p('/agent-sessions'),
      payload: { title: 'Ended', runtime: 'scaffold', branch: 'orchard/ended' },
    })
  ).id;
  await sql("UPDATE agent_sessions SET status = 'succeeded' WHERE id = $1", [ids.endedSession]);
  // Platform services: email attached (integrated and detached below).
  await ok({ method: 'POST', url: p('/services'), payload: { id: 'email' } });
  ids.agentIssue = String(
    (await ok({ method: 'POST', url: p('/issues'), payload: { title: 'For the agent' } })).number,
  );

  // Deploy: two kept, verified releases; staging runs one; a preview to pin and remove.
  const project = (await sql<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))[0]!;
  const release = async (sha: string) =>
    (
      await sql<{ id: string }>(
        `INSERT INTO releases (project_id, sha, path, status, verified, created_at, updated_at)
         VALUES ($1, $2, '/nonexistent', 'ready', true, now(), now()) RETURNING id`,
        [project.id, sha],
      )
    )[0]!.id;
  ids.release1 = await release('1'.repeat(40));
  // Publish takes a commit main has.
  ids.release2 = await release(ids.main);
  await sql(
    `INSERT INTO environments (project_id, name, kind, host_label, current_release_id, desired_release_id, created_at, updated_at)
     VALUES ($1, 'staging', 'staging', 'staging--atomic', $2, $2, now(), now()),
            ($1, 'preview/feat', 'preview', 'preview-feat--atomic', $2, $2, now(), now())`,
    [project.id, ids.release1],
  );
  // A preview that runs main's commit, for the browser robot to be asked to check.
  await sql(
    `INSERT INTO environments (project_id, name, kind, host_label, current_release_id, desired_release_id, status, port, created_at, updated_at)
     VALUES ($1, 'preview/check', 'preview', 'preview-check--atomic', $2, $2, 'running', 9, now(), now())`,
    [project.id, ids.release2],
  );
  ids.shareLink = (
    await ok({ method: 'POST', url: p('/environments/staging/share-links'), payload: { note: 'spare' } })
  ).id;
  // Error groups to resolve: one of staging's app, one of Orchard's own.
  const errorGroup = async (environmentId: string | null, projectId: string | null, fingerprint: string) =>
    (
      await sql<{ id: string }>(
        `INSERT INTO error_groups (environment_id, project_id, fingerprint, type, message, first_seen, last_seen)
         VALUES ($1, $2, $3, 'TypeError', 'boom', now(), now()) RETURNING id`,
        [environmentId, projectId, fingerprint],
      )
    )[0]!.id;
  const stagingId = (
    await sql<{ id: string }>("SELECT id FROM environments WHERE project_id = $1 AND name = 'staging'", [
      project.id,
    ])
  )[0]!.id;
  ids.envErrorGroup = await errorGroup(stagingId, project.id, 'atomic-env');
  ids.ownErrorGroup = await errorGroup(null, null, 'atomic-own');
  // Alert rules on staging: one to edit and silence, one to delete.
  for (const [key, name] of [
    ['alertRule', 'edit me'],
    ['spareAlertRule', 'delete me'],
  ] as const)
    ids[key] = (
      await ok({
        method: 'POST',
        url: p('/environments/staging/alerts'),
        payload: { kind: 'error_rate', name, windowMinutes: 5, threshold: 5 },
      })
    ).id;
  // A service account, and agent sessions' delegations made by the admin (to revoke).
  ids.serviceAccount = (
    await ok({ method: 'POST', url: '/api/admin/service-accounts', payload: { username: 'atomic-bot' } })
  ).id;
  const delegate = async (agentSessionId: string) =>
    (
      await delegateToken(
        { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
        {
          delegatedBy: await authenticateToken(t.res.db, t.res.clock, admin.token),
          projectId: project.id,
          agentSessionId,
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      )
    ).tokenId;
  ids.delegation = await delegate(randomUUID());
  ids.delegatedSession = randomUUID();
  await delegate(ids.delegatedSession);
  const login = await t.http.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: member.user.username, password: member.password },
  });
  const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
  ids.sessionCookie = `orchard_session=${cookies.orchard_session}; orchard_csrf=${cookies.orchard_csrf}`;
  ids.csrf = cookies.orchard_csrf!;
}, 120_000);

afterAll(async () => {
  await failAudit(false).catch(() => undefined);
  await t?.close();
});

/**
 * A run of `gate.yml` whose approval step asks for a decision (no worker runs here, so the request
 * the step would make as it parks is written as the step writes it).
 */
async function pendingApproval(): Promise<string> {
  const run = await ok({ method: 'POST', url: p('/workflows/gate/runs'), payload: {} });
  const project = (await sql<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))[0]!;
  const { approval } = await requestApproval(t.res.db, {
    project_id: project.id,
    operation_id: run.id,
    step_key: 'gate',
    workflow: 'gate',
    title: 'Ship it?',
    description: '',
    role: 'developer',
    deadline: null,
    created_at: new Date(),
  });
  return approval.id;
}

const CASES: Case[] = [
  {
    route: 'POST /api/auth/login',
    action: 'session.create',
    request: () => ({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: member.user.username, password: member.password },
    }),
  },
  {
    route: 'POST /api/auth/logout',
    action: 'session.delete',
    request: () => ({
      method: 'POST',
      url: '/api/auth/logout',
      // A session, not a token: the cookie and its CSRF header (bearer is dropped below).
      headers: { authorization: '', cookie: ids.sessionCookie!, 'x-csrf-token': ids.csrf! },
    }),
  },
  {
    route: 'POST /api/admin/sessions/revoke-all',
    action: 'session.revoke_all',
    request: () => ({ method: 'POST', url: '/api/admin/sessions/revoke-all', payload: {} }),
  },
  {
    route: 'POST /api/tokens',
    action: 'token.create',
    request: () => ({ method: 'POST', url: '/api/tokens', payload: { name: 'new', scopes: ['read'] } }),
  },
  {
    route: 'DELETE /api/tokens/:id',
    action: 'token.revoke',
    request: () => ({ method: 'DELETE', url: `/api/tokens/${ids.token}` }),
  },
  {
    route: 'POST /api/users',
    action: 'user.create',
    request: () => ({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'newbie', email: 'newbie@example.test', password: 'a-long-enough-password' },
    }),
  },
  {
    route: 'PATCH /api/users/:id',
    action: 'user.update',
    request: () => ({
      method: 'PATCH',
      url: `/api/users/${member.user.id}`,
      payload: { email: 'changed@example.test' },
    }),
  },
  {
    route: 'POST /api/admin/service-accounts',
    action: 'service_account.create',
    request: () => ({
      method: 'POST',
      url: '/api/admin/service-accounts',
      payload: { username: 'atomic-new-bot', description: 'made twice' },
    }),
  },
  {
    route: 'POST /api/admin/service-accounts/:id/tokens',
    action: 'token.create',
    request: () => ({
      method: 'POST',
      url: `/api/admin/service-accounts/${ids.serviceAccount}/tokens`,
      payload: { name: 'ci', scopes: ['read'], expiresInDays: 30 },
    }),
  },
  {
    route: 'DELETE /api/delegations/:id',
    action: 'delegation.revoke',
    request: () => ({ method: 'DELETE', url: `/api/delegations/${ids.delegation}` }),
  },
  {
    route: 'DELETE /api/delegations',
    action: 'delegation.revoke',
    request: () => ({
      method: 'DELETE',
      url: `/api/delegations?agentSessionId=${ids.delegatedSession}`,
    }),
  },
  {
    route: 'POST /api/projects',
    action: 'project.create',
    request: () => ({ method: 'POST', url: '/api/projects', payload: { name: 'Brand new' } }),
  },
  {
    route: 'PATCH /api/projects/:slug',
    action: 'project.update',
    request: () => ({ method: 'PATCH', url: p(''), payload: { description: 'changed' } }),
  },
  {
    route: 'POST /api/projects/:slug/archive',
    action: 'project.archive',
    request: () => ({ method: 'POST', url: '/api/projects/atomic-spare/archive' }),
  },
  {
    route: 'POST /api/projects/:slug/unarchive',
    action: 'project.unarchive',
    request: () => ({ method: 'POST', url: '/api/projects/atomic-archived/unarchive' }),
  },
  {
    route: 'PUT /api/projects/:slug/members/:username',
    action: 'project.member.set',
    request: () => ({
      method: 'PUT',
      url: p(`/members/${member.user.username}`),
      payload: { role: 'developer' },
    }),
  },
  {
    route: 'DELETE /api/projects/:slug/members/:username',
    action: 'project.member.remove',
    request: () => ({ method: 'DELETE', url: p(`/members/${ids.otherName}`) }),
  },
  {
    route: 'PUT /api/projects/:slug/secrets/:name',
    action: 'secret.create',
    request: () => ({ method: 'PUT', url: p('/secrets/NEW_SECRET'), payload: { value: 'shh' } }),
  },
  {
    route: 'PATCH /api/projects/:slug/secrets/:name',
    action: 'secret.unprotect',
    request: () => ({ method: 'PATCH', url: p('/secrets/OLD_SECRET'), payload: { protected: false } }),
  },
  {
    route: 'DELETE /api/projects/:slug/secrets/:name',
    action: 'secret.delete',
    request: () => ({ method: 'DELETE', url: p('/secrets/OLD_SECRET') }),
  },
  {
    route: 'POST /api/projects/:slug/issues',
    action: 'issue.create',
    request: () => ({ method: 'POST', url: p('/issues'), payload: { title: 'Another' } }),
  },
  {
    route: 'PATCH /api/projects/:slug/issues/:number',
    action: 'issue.update',
    request: () => ({ method: 'PATCH', url: p(`/issues/${ids.issue}`), payload: { state: 'closed' } }),
  },
  {
    route: 'POST /api/projects/:slug/issues/:number/comments',
    action: 'comment.create',
    request: () => ({ method: 'POST', url: p(`/issues/${ids.issue}/comments`), payload: { body: 'hm' } }),
  },
  {
    route: 'POST /api/projects/:slug/merge-requests',
    action: 'merge_request.create',
    request: () => ({
      method: 'POST',
      url: p('/merge-requests'),
      payload: { title: 'Open me', sourceBranch: 'to-open', targetBranch: 'main' },
    }),
  },
  {
    route: 'PATCH /api/projects/:slug/merge-requests/:number',
    action: 'merge_request.update',
    request: () => ({ method: 'PATCH', url: p(`/merge-requests/${ids.mr}`), payload: { title: 'Renamed' } }),
  },
  {
    route: 'POST /api/projects/:slug/merge-requests/:number/comments',
    action: 'comment.create',
    request: () => ({
      method: 'POST',
      url: p(`/merge-requests/${ids.mr}/comments`),
      payload: { body: 'looks good' },
    }),
  },
  {
    route: 'POST /api/projects/:slug/merge-requests/:number/reviews',
    action: 'merge_request.review',
    request: () => ({
      method: 'POST',
      url: p(`/merge-requests/${ids.reviewed}/reviews`),
      payload: { state: 'approve' },
    }),
  },
  {
    // After the review case: it withdraws that approval.
    route: 'DELETE /api/projects/:slug/merge-requests/:number/reviews/mine',
    action: 'merge_request.review_withdraw',
    request: () => ({ method: 'DELETE', url: p(`/merge-requests/${ids.reviewed}/reviews/mine`) }),
  },
  {
    // Last of the merge-request cases: the branch moves only if the merge is recorded.
    route: 'POST /api/projects/:slug/merge-requests/:number/merge',
    action: 'merge_request.merge',
    request: () => ({ method: 'POST', url: p(`/merge-requests/${ids.mr}/merge`), payload: {} }),
  },
  {
    route: 'POST /api/projects/:slug/pipelines',
    action: 'pipeline.run',
    request: () => ({ method: 'POST', url: p('/pipelines'), payload: { ref: 'main' } }),
  },
  {
    route: 'POST /api/projects/:slug/pipelines/:id/rerun',
    action: 'pipeline.rerun',
    request: () => ({ method: 'POST', url: p(`/pipelines/${ids.finishedPipeline}/rerun`) }),
  },
  {
    route: 'POST /api/projects/:slug/pipelines/:id/cancel',
    action: 'pipeline.cancel',
    failOn: 'pipeline.cancel',
    request: () => ({ method: 'POST', url: p(`/pipelines/${ids.runningPipeline}/cancel`) }),
  },
  {
    route: 'POST /api/projects/:slug/pipeline-schedules',
    action: 'pipeline_schedule.create',
    request: () => ({
      method: 'POST',
      url: p('/pipeline-schedules'),
      payload: { ref: 'main', cron: '*/5 * * * *' },
    }),
  },
  {
    route: 'DELETE /api/projects/:slug/pipeline-schedules/:scheduleId',
    action: 'pipeline_schedule.delete',
    request: () => ({ method: 'DELETE', url: p(`/pipeline-schedules/${ids.schedule}`) }),
  },
  {
    route: 'POST /api/projects/:slug/webhooks',
    action: 'webhook.create',
    request: () => ({
      method: 'POST',
      url: p('/webhooks'),
      payload: { url: 'http://127.0.0.1:9/new', secret: 'secret-secret', events: ['push'] },
    }),
  },
  {
    route: 'DELETE /api/projects/:slug/webhooks/:id',
    action: 'webhook.delete',
    request: () => ({ method: 'DELETE', url: p(`/webhooks/${ids.spareWebhook}`) }),
  },
  {
    route: 'POST /api/projects/:slug/webhooks/:id/deliveries/:deliveryId/redeliver',
    action: 'webhook.redeliver',
    request: () => ({
      method: 'POST',
      url: p(`/webhooks/${ids.webhook}/deliveries/${ids.delivery}/redeliver`),
    }),
  },
  {
    route: 'POST /api/operations',
    action: 'operation.start',
    request: () => ({
      method: 'POST',
      url: '/api/operations',
      payload: { kind: 'system.canary', project: slug },
    }),
  },
  {
    route: 'POST /api/operations/:id/cancel',
    action: 'operation.cancel',
    request: () => ({ method: 'POST', url: `/api/operations/${ids.queuedOp}/cancel` }),
  },
  {
    route: 'POST /api/operations/:id/retry',
    action: 'operation.retry',
    request: () => ({ method: 'POST', url: `/api/operations/${ids.cancelledOp}/retry` }),
  },
  {
    route: 'POST /api/llm/providers',
    action: 'llm.provider.create',
    request: () => ({
      method: 'POST',
      url: '/api/llm/providers',
      payload: { name: 'fresh', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' },
    }),
  },
  {
    route: 'PATCH /api/llm/providers/:name',
    action: 'llm.provider.update',
    request: () => ({
      method: 'PATCH',
      url: '/api/llm/providers/spare',
      payload: { baseUrl: 'http://127.0.0.1:10/v1' },
    }),
  },
  {
    route: 'DELETE /api/llm/providers/:name',
    action: 'llm.provider.delete',
    request: () => ({ method: 'DELETE', url: '/api/llm/providers/spare' }),
  },
  {
    route: 'PUT /api/llm/secrets/:name',
    action: 'llm.secret.create',
    request: () => ({ method: 'PUT', url: '/api/llm/secrets/NEW_KEY', payload: { value: 'v' } }),
  },
  {
    route: 'DELETE /api/llm/secrets/:name',
    action: 'llm.secret.delete',
    request: () => ({ method: 'DELETE', url: '/api/llm/secrets/OLD_KEY' }),
  },
  {
    route: 'POST /api/conversations',
    action: 'conversation.create',
    request: () => ({ method: 'POST', url: '/api/conversations', payload: { title: 'new' } }),
  },
  {
    route: 'PATCH /api/conversations/:id',
    action: 'conversation.rename',
    request: () => ({
      method: 'PATCH',
      url: `/api/conversations/${ids.conversation}`,
      payload: { title: 'x' },
    }),
  },
  {
    route: 'DELETE /api/conversations/:id',
    action: 'conversation.delete',
    request: () => ({ method: 'DELETE', url: `/api/conversations/${ids.conversation}` }),
  },
  {
    route: 'POST /api/projects/:slug/deploy',
    action: 'operation.start',
    request: () => ({ method: 'POST', url: p('/deploy'), payload: { env: 'staging', ref: 'main' } }),
  },
  {
    route: 'POST /api/projects/:slug/verify',
    action: 'operation.start',
    request: () => ({ method: 'POST', url: p('/verify'), payload: { env: 'preview/check' } }),
  },
  {
    route: 'POST /api/projects/:slug/automation/tasks',
    action: 'operation.start',
    request: () => ({
      method: 'POST',
      url: p('/automation/tasks'),
      payload: { startUrl: t.res.deploy.urls.app('preview-check--atomic'), steps: [{ goto: '/' }] },
    }),
  },
  {
    route: 'POST /api/projects/:slug/publish',
    action: 'environment.publish',
    request: () => ({ method: 'POST', url: p('/publish'), payload: { release: ids.release2 } }),
    successRun: false,
  },
  {
    route: 'POST /api/projects/:slug/environments/:env/rollback',
    action: 'environment.rollback',
    request: () => ({
      method: 'POST',
      url: p('/environments/staging/rollback'),
      payload: { release: ids.release2 },
    }),
    successRun: false,
  },
  {
    route: 'POST /api/projects/:slug/environments/:env/pin',
    action: 'environment.pin',
    request: () => ({ method: 'POST', url: p('/environments/preview--feat/pin'), payload: { pinned: true } }),
  },
  {
    route: 'PUT /api/projects/:slug/environments/:env/access',
    action: 'environment.access',
    request: () => ({ method: 'PUT', url: p('/environments/staging/access'), payload: { access: 'public' } }),
  },
  {
    route: 'POST /api/projects/:slug/environments/:env/share-links',
    action: 'environment.share_link.create',
    request: () => ({
      method: 'POST',
      url: p('/environments/staging/share-links'),
      payload: { expiresInHours: 4, note: 'for a client' },
    }),
  },
  {
    route: 'POST /api/projects/:slug/environments/:env/alerts',
    action: 'alert_rule.create',
    request: () => ({
      method: 'POST',
      url: p('/environments/staging/alerts'),
      payload: {
        kind: 'log_pattern',
        name: 'payments',
        pattern: 'payment failed',
        windowMinutes: 5,
        threshold: 1,
      },
    }),
  },
  {
    route: 'PUT /api/projects/:slug/alerts/:id',
    action: 'alert_rule.update',
    request: () => ({
      method: 'PUT',
      url: p(`/alerts/${ids.alertRule}`),
      payload: { kind: 'latency_p95', name: 'edited', windowMinutes: 10, threshold: 800 },
    }),
  },
  {
    route: 'POST /api/projects/:slug/alerts/:id/silence',
    action: 'alert_rule.silence',
    request: () => ({
      method: 'POST',
      url: p(`/alerts/${ids.alertRule}/silence`),
      payload: { until: new Date(Date.now() + 3600_000).toISOString() },
    }),
  },
  {
    route: 'POST /api/projects/:slug/services',
    action: 'service.attach',
    request: () => ({ method: 'POST', url: p('/services'), payload: { id: 'analytics' } }),
  },
  {
    route: 'POST /api/projects/:slug/services/:id/integrate',
    action: 'service.integrate',
    request: () => ({ method: 'POST', url: p('/services/email/integrate') }),
  },
  {
    route: 'DELETE /api/projects/:slug/services/:id',
    action: 'service.detach',
    request: () => ({ method: 'DELETE', url: p('/services/email') }),
  },
  {
    route: 'DELETE /api/projects/:slug/mailbox',
    action: 'mailbox.clear',
    request: () => ({ method: 'DELETE', url: p('/mailbox') }),
  },
  {
    route: 'DELETE /api/projects/:slug/alerts/:id',
    action: 'alert_rule.delete',
    request: () => ({ method: 'DELETE', url: p(`/alerts/${ids.spareAlertRule}`) }),
  },
  {
    route: 'DELETE /api/projects/:slug/environments/:env/share-links/:id',
    action: 'environment.share_link.revoke',
    request: () => ({ method: 'DELETE', url: p(`/environments/staging/share-links/${ids.shareLink}`) }),
  },
  {
    route: 'DELETE /api/projects/:slug/environments/:env',
    action: 'environment.remove',
    request: () => ({ method: 'DELETE', url: p('/environments/preview--feat') }),
  },
  {
    route: 'POST /api/projects/:slug/blueprints',
    action: 'blueprint.create',
    request: () => ({ method: 'POST', url: p('/blueprints'), payload: { title: 'Another' } }),
  },
  {
    route: 'PATCH /api/blueprints/:id',
    action: 'blueprint.edit',
    request: () => ({
      method: 'PATCH',
      url: `/api/blueprints/${ids.blueprint}`,
      payload: [{ op: 'replace', path: '/feature', value: 'Renamed shop' }],
    }),
  },
  {
    route: 'POST /api/blueprints/:id/references',
    action: 'blueprint.reference',
    // An uploaded image (no browser needed); its blobs are removed with the rolled-back row.
    request: async () => ({
      method: 'POST',
      url: `/api/blueprints/${ids.blueprint}/references`,
      payload: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#7c3aed' } })
        .png()
        .toBuffer(),
      headers: { 'content-type': 'image/png' },
    }),
  },
  {
    route: 'POST /api/blueprints/:id/messages',
    action: 'blueprint.chat',
    request: () => ({
      method: 'POST',
      url: `/api/blueprints/${ids.blueprint}/messages`,
      payload: { content: 'add a page called about', mode: 'rules' },
    }),
  },
  {
    route: 'POST /api/blueprints/:id/messages (LLM Architect)',
    action: 'operation.start',
    request: () => ({
      method: 'POST',
      url: `/api/blueprints/${ids.blueprint}/messages`,
      payload: { content: 'make it blue', mode: 'llm' },
    }),
  },
  {
    route: 'POST /api/blueprints/:id/status',
    action: 'blueprint.status',
    request: () => ({
      method: 'POST',
      url: `/api/blueprints/${ids.blueprint}/status`,
      payload: { status: 'discarded' },
    }),
  },
  {
    route: 'POST /api/blueprints/:id/build',
    action: 'blueprint.build',
    request: () => ({
      method: 'POST',
      url: `/api/blueprints/${ids.buildable}/build`,
      payload: { override: true },
    }),
  },
  {
    route: 'POST /api/prompts',
    action: 'blueprint.build',
    failOn: 'blueprint.build',
    request: () => ({ method: 'POST', url: '/api/prompts', payload: { prompt: 'a todo list for my team' } }),
  },
  {
    route: 'POST /api/projects/:slug/agent-sessions',
    action: 'agent_session.start',
    request: () => ({
      method: 'POST',
      url: p('/agent-sessions'),
      payload: { title: 'Do it', runtime: 'scaffold' },
    }),
  },
  {
    route: 'POST /api/agent-sessions/:id/messages',
    action: 'agent_session.message',
    request: () => ({
      method: 'POST',
      url: `/api/agent-sessions/${ids.endedSession}/messages`,
      payload: { content: 'One more thing.' },
    }),
  },
  {
    route: 'POST /api/agent-sessions/:id/cancel',
    action: 'operation.cancel',
    request: () => ({ method: 'POST', url: `/api/agent-sessions/${ids.queuedSession}/cancel` }),
  },
  {
    route: 'POST /api/projects/:slug/issues/:number/assign-agent',
    action: 'issue.assign_agent',
    failOn: 'issue.assign_agent',
    request: () => ({
      method: 'POST',
      url: p(`/issues/${ids.agentIssue}/assign-agent`),
      payload: { runtime: 'scaffold' },
    }),
  },
  {
    route: 'POST /api/blueprints/:id/changes',
    action: 'blueprint.build',
    request: () => ({
      method: 'POST',
      url: `/api/blueprints/${ids.changeable}/changes`,
      payload: { request: 'add a rating to each task' },
    }),
  },
  {
    route: 'POST /api/projects/:slug/secret-scanning/allowed',
    action: 'secret_scan.allow',
    request: () => ({
      method: 'POST',
      url: p('/secret-scanning/allowed'),
      payload: { fingerprint: 'a'.repeat(64), reason: 'a test fixture' },
    }),
  },
  {
    route: 'DELETE /api/projects/:slug/secret-scanning/allowed/:fingerprint',
    action: 'secret_scan.revoke',
    request: () => ({ method: 'DELETE', url: p(`/secret-scanning/allowed/${'b'.repeat(64)}`) }),
  },
  {
    // After the merge case: a rule on main would hold that merge back.
    route: 'PUT /api/projects/:slug/branches/:branch/protection',
    action: 'branch_protection.update',
    request: () => ({
      method: 'PUT',
      url: p('/branches/main/protection'),
      payload: { requiredChecks: ['pipeline', 'browser-verification'] },
    }),
  },
  {
    route: 'POST /api/passkeys',
    action: 'passkey.register',
    request: async () => {
      const { browser } = await passkeyFixture();
      const response = new SoftAuthenticator(TEST_ORIGIN).register(await browser.registrationOptions());
      const headers = browserHeaders(browser);
      return { method: 'POST', url: '/api/passkeys', payload: { name: 'three', response }, headers };
    },
  },
  {
    route: 'POST /api/auth/passkey/login',
    action: 'session.create',
    request: async () => {
      const { authenticator } = await passkeyFixture();
      const stranger = new InjectBrowser(t.http);
      // The first credential, counter pinned: the answer is sent twice (failed, then succeeding).
      const response = authenticator.signIn(
        await stranger.signInOptions(),
        { counter: 100 },
        authenticator.credentials[0],
      );
      const headers = browserHeaders(stranger);
      return { method: 'POST', url: '/api/auth/passkey/login', payload: { response }, headers };
    },
  },
  {
    route: 'PATCH /api/passkeys/:id',
    action: 'passkey.rename',
    request: async () => {
      const { browser, ids } = await passkeyFixture();
      const headers = browserHeaders(browser);
      return { method: 'PATCH', url: `/api/passkeys/${ids[0]}`, payload: { name: 'renamed' }, headers };
    },
  },
  {
    route: 'DELETE /api/passkeys/:id',
    action: 'passkey.revoke',
    request: async () => {
      const { browser, ids } = await passkeyFixture();
      return { method: 'DELETE', url: `/api/passkeys/${ids[1]}`, headers: browserHeaders(browser) };
    },
  },
  {
    route: 'PUT /api/me/notifications/preferences',
    action: 'notification_preferences.update',
    request: () => ({
      method: 'PUT',
      url: '/api/me/notifications/preferences',
      payload: { items: [{ kind: 'pipeline_failed', inApp: true, email: false }] },
    }),
  },
  {
    route: 'PUT /api/admin/smtp',
    action: 'smtp_settings.update',
    request: () => ({
      method: 'PUT',
      url: '/api/admin/smtp',
      payload: {
        host: 'smtp.example.test',
        port: 587,
        secure: false,
        password: 'secret-pw',
        from: 'o@example.test',
      },
    }),
  },
  {
    route: 'POST /api/projects/:slug/environments/:env/errors/:id/status',
    action: 'error_group.resolve',
    request: () => ({
      method: 'POST',
      url: p(`/environments/staging/errors/${ids.envErrorGroup}/status`),
      payload: { status: 'resolved' },
    }),
  },
  {
    route: 'POST /api/admin/errors/:id/status',
    action: 'error_group.ignore',
    request: () => ({
      method: 'POST',
      url: `/api/admin/errors/${ids.ownErrorGroup}/status`,
      payload: { status: 'ignored' },
    }),
  },
  {
    route: 'DELETE /api/admin/smtp',
    action: 'smtp_settings.reset',
    request: () => ({ method: 'DELETE', url: '/api/admin/smtp' }),
  },
  {
    route: 'PUT /api/admin/passkey-policy',
    action: 'passkey_policy.update',
    request: () => ({ method: 'PUT', url: '/api/admin/passkey-policy', payload: { requirePasskeys: false } }),
  },
  {
    route: 'POST /api/admin/invitations',
    action: 'user.invite',
    request: () => ({
      method: 'POST',
      url: '/api/admin/invitations',
      payload: { username: 'invited-atomic', email: 'invited-atomic@example.test', role: 'member' },
    }),
  },
  {
    route: 'POST /api/users/:id/account-links',
    action: 'user.reset_link',
    request: async () => ({
      method: 'POST',
      url: `/api/users/${(await t.user('member')).user.id}/account-links`,
      payload: { purpose: 'reset' },
    }),
  },
  {
    // Fails at the session's row, the last of two: the password, the used link and the person's
    // own row go with it.
    route: 'POST /api/account-links/accept',
    action: 'user.accept_invite',
    failOn: 'session.create',
    request: async () => {
      const invited = await ok({
        method: 'POST',
        url: '/api/admin/invitations',
        payload: { username: 'accepting-atomic', email: 'accepting-atomic@example.test' },
      });
      const token = (invited.link.path as string).split('/').pop();
      return {
        method: 'POST',
        url: '/api/account-links/accept',
        payload: { token, password: 'a password of my own' },
        headers: { authorization: '' },
      };
    },
  },
  {
    route: 'POST /api/projects/:slug/features/:id/moves',
    action: 'feature.move',
    request: () => ({ method: 'POST', url: p(`/features/${ids.feature}/moves`), payload: { to: 'plan' } }),
  },
  {
    route: 'PATCH /api/projects/:slug/features/:id',
    action: 'feature.update',
    request: () => ({
      method: 'PATCH',
      url: p(`/features/${ids.feature}`),
      payload: { assignee: admin.user.username },
    }),
  },
  {
    route: 'PUT /api/projects/:slug/features/:id/classification',
    action: 'feature.classify',
    request: () => ({
      method: 'PUT',
      url: p(`/features/${ids.feature}/classification`),
      payload: { kind: 'chore', reason: 'housekeeping' },
    }),
  },
  {
    route: 'PUT /api/projects/:slug/issues/:number/classification',
    action: 'issue.classify',
    request: () => ({
      method: 'PUT',
      url: p(`/issues/${ids.issue}/classification`),
      payload: { kind: 'bugfix' },
    }),
  },
  {
    route: 'POST /api/projects/:slug/issues/:number/classification',
    action: 'issue.reclassify',
    request: () => ({ method: 'POST', url: p(`/issues/${ids.issue}/classification`) }),
  },
  {
    route: 'POST /api/projects/:slug/workflows/:name/runs',
    action: 'workflow.run',
    request: () => ({ method: 'POST', url: p('/workflows/gate/runs'), payload: {} }),
  },
  {
    route: 'POST /api/projects/:slug/workflow-approvals/:id/approve',
    action: 'workflow.approve',
    request: async () => ({
      method: 'POST',
      url: p(`/workflow-approvals/${await pendingApproval()}/approve`),
      payload: { comment: 'go' },
    }),
  },
  {
    route: 'POST /api/projects/:slug/workflow-approvals/:id/reject',
    action: 'workflow.reject',
    request: async () => ({
      method: 'POST',
      url: p(`/workflow-approvals/${await pendingApproval()}/reject`),
      payload: { comment: 'not yet' },
    }),
  },
  {
    route: 'POST /git/:repo/info/lfs/locks',
    action: 'lfs_lock.create',
    request: () => ({
      method: 'POST',
      url: `/git/${slug}.git/info/lfs/locks`,
      payload: { path: 'art/atomic.psd' },
    }),
  },
  {
    route: 'POST /git/:repo/info/lfs/locks/:id/unlock',
    action: 'lfs_lock.unlock',
    request: async () => {
      const { lock } = await ok({
        method: 'POST',
        url: `/git/${slug}.git/info/lfs/locks`,
        payload: { path: 'art/unlocking.psd' },
      });
      return { method: 'POST', url: `/git/${slug}.git/info/lfs/locks/${lock.id}/unlock`, payload: {} };
    },
  },
];

describe('a request whose audit row cannot be written', () => {
  it('covers every mutating route: each is in the table below or writes no audit row for a stated reason', () => {
    const mutating = t.http.routeTable
      .filter((r: RouteEntry) => !['GET', 'HEAD'].includes(r.method))
      .filter((r) => r.url.startsWith('/api/') || r.url.startsWith('/git/'))
      .map((r) => `${r.method} ${r.url}`);
    const covered = new Set([
      ...CASES.map((c) => c.route.replace(/ \(.*\)$/, '')),
      ...Object.keys(NOT_AUDITED),
      'POST /api/setup/admin',
    ]);
    expect(mutating.filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.route}: answers a problem and writes nothing, then succeeds with its audit row`, async () => {
      const request = await c.request();
      const before = await fingerprint();
      await failAudit(true, c.failOn);
      let failed: Awaited<ReturnType<typeof api>>;
      try {
        failed = await api(request);
      } finally {
        await failAudit(false);
      }
      expect(failed.statusCode, failed.body).toBe(500);
      expect(failed.headers['content-type']).toContain('application/problem+json');
      expect(failed.json()).toMatchObject({ status: 500, code: 'internal_error' });
      // The audit insert is what failed (not something earlier), and nothing else stayed behind.
      const requestId = failed.headers['x-request-id'];
      expect(t.logs.some((line) => line.includes(requestId as string) && line.includes(INJECTED))).toBe(true);
      const after = await fingerprint();
      expect(Object.keys(after).filter((k) => after[k] !== before[k])).toEqual([]);

      if (c.successRun === false) return;
      const auditsBefore = await sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_log WHERE action = $1',
        [c.action],
      );
      const succeeded = await api(request);
      expect(succeeded.statusCode, succeeded.body).toBeLessThan(300);
      const auditsAfter = await sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_log WHERE action = $1',
        [c.action],
      );
      expect(auditsAfter[0]!.n).toBeGreaterThan(auditsBefore[0]!.n);
    });
  }
});

describe('first-run setup whose audit row cannot be written', () => {
  it('creates neither the admin nor a session, and succeeds once the audit log works', async () => {
    const fresh = await createTestApp();
    try {
      const request = {
        method: 'POST' as const,
        url: '/api/setup/admin',
        payload: { username: 'root', email: 'root@example.test', password: 'a-long-enough-password' },
      };
      await fresh.res.db.query(`CREATE FUNCTION test_refuse_session() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.action = 'session.create' THEN RAISE EXCEPTION '${INJECTED}'; END IF; RETURN NEW; END $$`);
      // Only the second audit row (the session's) fails: the admin's own row was already written.
      await fresh.res.db.query(
        'CREATE TRIGGER test_refuse_session BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_session()',
      );
      const failed = await fresh.http.inject(request);
      expect(failed.statusCode, failed.body).toBe(500);
      expect(failed.headers['content-type']).toContain('application/problem+json');
      const count = async (table: string) =>
        (await fresh.res.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
      expect([await count('users'), await count('sessions'), await count('audit_log')]).toEqual([0, 0, 0]);
      await fresh.res.db.query('DROP TRIGGER test_refuse_session ON audit_log');
      const ok = await fresh.http.inject(request);
      expect(ok.statusCode, ok.body).toBe(201);
      expect([await count('users'), await count('sessions'), await count('audit_log')]).toEqual([1, 1, 2]);
    } finally {
      await fresh.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  addMember,
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
  startWorkers,
} from '../../../test/git.ts';
import { findLeak } from '../../../test/secret-leaks.ts';
import { until } from '../../../test/support/until.ts';
import { authenticateToken, delegateToken } from '../identity/index.ts';
import { agentProjects } from '../projects/index.ts';
import { runDueSchedules } from './index.ts';

/**
 * Who may use a secret: protected secrets reach only code on a protected branch or runs a
 * maintainer started; every secret is masked; artifacts of a job given secrets need a maintainer.
 */
let t: TestApp;
let base: string;
let workers: Awaited<ReturnType<typeof startWorkers>>;
let work: string;
const slug = 'vaulted';
const PROTECTED = 'Pr0tected-tok3n/XYZ+987=qq';
const OPEN = 'opEn-k3y/abc+654=unprotected';
const users = {} as Record<
  'owner' | 'maintainer' | 'developer' | 'scheduler' | 'starter',
  { token: string; name: string }
>;

type Job = { name: string; status: string; secrets: string[]; withheldSecrets: string[] };
type Pipeline = {
  id: string;
  number: number;
  status: string;
  sha: string;
  trigger: string;
  operationId: string;
  jobs: Job[];
};

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  base = await listenApp(t);
  workers = await startWorkers(t);
  for (const name of ['owner', 'maintainer', 'developer', 'scheduler', 'starter'] as const) {
    const u = await t.user('member');
    users[name] = { token: u.token, name: u.user.username };
  }
  await createProjectAs(t, users.owner.token, slug);
  for (const name of ['maintainer', 'scheduler', 'starter'] as const)
    await addMember(t, users.owner.token, slug, users[name].name, 'maintainer');
  await addMember(t, users.owner.token, slug, users.developer.name, 'developer');
  expect((await api('owner', 'PUT', '/secrets/PROTECTED_TOKEN', { value: PROTECTED })).json()).toMatchObject({
    name: 'PROTECTED_TOKEN',
    protected: true,
  });
  expect(
    (await api('owner', 'PUT', '/secrets/OPEN_TOKEN', { value: OPEN, protected: false })).json(),
  ).toMatchObject({ protected: false });
  work = await localRepo();
  await commitFiles(work, { '.orchard/pipeline.yml': PROBE }, 'probe on main');
  await gitOk(['push', '-q', remoteUrl(base, slug, users.owner.token), 'main'], work);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
});

const api = (
  who: keyof typeof users,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: object,
) =>
  t.http.inject({
    method,
    url: `/api/projects/${slug}${url}`,
    headers: bearer(users[who].token),
    ...(payload ? { payload } : {}),
  });

/** A job that says which secrets it received, without printing them. */
const PROBE = `jobs:
  probe:
    secrets: [PROTECTED_TOKEN, OPEN_TOKEN]
    steps:
      - name: probe
        run: |
          if [ -n "\${PROTECTED_TOKEN:-}" ]; then echo protected=given; else echo protected=absent; fi
          if [ -n "\${OPEN_TOKEN:-}" ]; then echo open=given; else echo open=absent; fi
`;

/** Pushes `branch` (from main) as `who` over smart HTTP with `yaml` as its pipeline file. */
async function pushAs(
  who: keyof typeof users,
  branch: string,
  yaml: string,
  message = `pipeline for ${branch}`,
) {
  await gitOk(['checkout', '-q', '-B', branch, 'main'], work);
  const sha = await commitFiles(work, { '.orchard/pipeline.yml': yaml }, message);
  await gitOk(
    ['push', '-q', '-f', remoteUrl(base, slug, users[who].token), `${branch}:refs/heads/${branch}`],
    work,
  );
  return sha;
}

async function pipelines(): Promise<Pipeline[]> {
  return (await api('owner', 'GET', '/pipelines?limit=200')).json().items;
}

async function finished(find: (p: Pipeline) => boolean, what: string): Promise<Pipeline> {
  const p = await until(
    async () => {
      const found = (await pipelines()).find(find);
      return found && !['queued', 'running'].includes(found.status) ? found : undefined;
    },
    60_000,
    what,
  );
  return (await api('owner', 'GET', `/pipelines/${p.number}`)).json();
}

const logOf = async (p: Pipeline, job = 'probe') =>
  (await api('owner', 'GET', `/pipelines/${p.id}/jobs/${job}/log`)).json().text as string;

async function liveOf(p: Pipeline): Promise<string> {
  const { rows } = await t.res.db.query(
    'SELECT data::text AS d FROM operation_events WHERE operation_id = $1',
    [p.operationId],
  );
  return rows.map((r) => JSON.parse(r.d).text ?? '').join('\n');
}

describe('who may use a secret', () => {
  it('the reported attack: a developer pushes a branch that prints `echo $SECRET | base64`; nothing leaks and the protected secret never reaches the job', async () => {
    const sha = await pushAs(
      'developer',
      'exfil',
      `jobs:
  exfil:
    secrets: [PROTECTED_TOKEN, OPEN_TOKEN]
    steps:
      - name: steal
        run: |
          echo $PROTECTED_TOKEN | base64
          echo $OPEN_TOKEN | base64
          echo "p=\${PROTECTED_TOKEN:-absent}"
          echo "$PROTECTED_TOKEN $OPEN_TOKEN" | base64 > stolen.txt
    artifacts: [stolen.txt]
`,
    );
    const p = await finished((x) => x.sha === sha, 'the exfil pipeline');
    expect(p.status).toBe('success');
    const job = p.jobs.find((j) => j.name === 'exfil')!;
    expect(job).toMatchObject({ secrets: ['OPEN_TOKEN'], withheldSecrets: ['PROTECTED_TOKEN'] });
    const text = await logOf(p, 'exfil');
    expect(text).toContain('p=absent');
    expect(text).toMatch(/Withheld protected secret PROTECTED_TOKEN: .*"exfil" is not a protected branch/);
    const live = await liveOf(p);
    expect(live).toContain('p=absent');
    for (const value of [PROTECTED, OPEN]) {
      expect(findLeak(text, value), 'stored log').toBeUndefined();
      expect(findLeak(live, value), 'live events').toBeUndefined();
    }

    // The job was given a secret, so its raw artifacts need a role that may read secrets.
    const listed = (await api('developer', 'GET', `/pipelines/${p.id}/artifacts`)).json().items;
    // Not even the hash of a file a developer may not download (it would confirm a guessed value).
    expect(listed).toEqual([
      expect.objectContaining({ job: 'exfil', path: 'stolen.txt', readableBy: 'maintainer', sha256: null }),
    ]);
    expect((await api('maintainer', 'GET', `/pipelines/${p.id}/artifacts`)).json().items[0].sha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
    const denied = await api('developer', 'GET', `/pipelines/${p.id}/jobs/exfil/artifacts/stolen.txt`);
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['content-type']).toContain('application/problem+json');
    expect(denied.json().detail).toBe(
      'Artifacts of job "exfil" may contain the secrets it was given (OPEN_TOKEN); only maintainers and owners may download them, and you are developer.',
    );
    const file = await api('maintainer', 'GET', `/pipelines/${p.id}/jobs/exfil/artifacts/stolen.txt`);
    expect(file.statusCode).toBe(200);
    const stolen = Buffer.from(file.body, 'base64').toString();
    expect(stolen).toBe(` ${OPEN}\n`);
    expect(findLeak(file.body, PROTECTED)).toBeUndefined();
  });

  it('gives a protected secret to code on a protected branch, and to runs a maintainer starts; never to pushes of other branches, developers or merge requests', async () => {
    const probe = async (find: (p: Pipeline) => boolean, what: string) => {
      const p = await finished(find, what);
      expect(p.status, what).toBe('success');
      const text = await logOf(p);
      expect(findLeak(text, PROTECTED)).toBeUndefined();
      return { p, text, given: text.includes('protected=given'), open: text.includes('open=given') };
    };
    const mainSha = (await gitOk(['rev-parse', 'main'], work)).trim();
    const onMain = await probe((p) => p.sha === mainSha && p.trigger === 'push', 'the main pipeline');
    expect(onMain).toMatchObject({ given: true, open: true });

    const sha = await pushAs('developer', 'feature', `${PROBE}# feature\n`);
    const pushed = await probe((p) => p.sha === sha && p.trigger === 'push', 'the feature push');
    expect(pushed).toMatchObject({ given: false, open: true });
    expect(pushed.text).toContain('started by a push');

    const devRun = await api('developer', 'POST', '/pipelines', { ref: 'feature' });
    expect(devRun.statusCode).toBe(201);
    const byDeveloper = await probe((p) => p.id === devRun.json().id, "the developer's manual run");
    expect(byDeveloper.given).toBe(false);
    expect(byDeveloper.text).toContain(`${users.developer.name}, who started it, is developer`);

    const maintainerRun = await api('maintainer', 'POST', '/pipelines', { ref: 'feature' });
    expect((await probe((p) => p.id === maintainerRun.json().id, "the maintainer's manual run")).given).toBe(
      true,
    );

    const rerun = await api('maintainer', 'POST', `/pipelines/${pushed.p.number}/rerun`);
    expect((await probe((p) => p.id === rerun.json().id, "the maintainer's rerun")).given).toBe(true);

    // A merge-request pipeline of an unprotected branch: never, whoever opened or reruns it.
    const mrSha = await pushAs('developer', 'mr-branch', `${PROBE}# mr\n`, 'for review [skip ci]');
    const mr = await api('maintainer', 'POST', '/merge-requests', {
      title: 'Probe',
      sourceBranch: 'mr-branch',
      targetBranch: 'main',
    });
    expect(mr.statusCode).toBe(201);
    const mrPipeline = await probe(
      (p) => p.sha === mrSha && p.trigger === 'merge_request',
      'the MR pipeline',
    );
    expect(mrPipeline.given).toBe(false);
    expect(mrPipeline.text).toContain(
      'merge-request pipelines of unprotected branches never get protected secrets',
    );
    const mrRerun = await api('owner', 'POST', `/pipelines/${mrPipeline.p.number}/rerun`);
    expect((await probe((p) => p.id === mrRerun.json().id, 'the MR rerun')).given).toBe(false);
  });

  it("never gives a protected secret to an agent's run, whatever role its principal was given", async () => {
    await pushAs('developer', 'agent-run', `${PROBE}# agent\n`, 'for the agent [skip ci]');
    const maintainer = await authenticateToken(t.res.db, t.res.clock, users.maintainer.token);
    const projectId = (await api('owner', 'GET', '')).json().id;
    const agent = await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: maintainer,
        projectId,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    );
    // Even an owner making the agent principal a maintainer does not let its runs have them.
    await addMember(t, users.owner.token, slug, agent.principal.username, 'maintainer');
    const run = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/pipelines`,
      headers: bearer(agent.token),
      payload: { ref: 'agent-run' },
    });
    expect(run.statusCode, run.body).toBe(201);
    const p = await finished((x) => x.id === run.json().id, "the agent's manual run");
    const text = await logOf(p);
    expect(text).toContain('protected=absent');
    expect(text).toContain(`${agent.principal.username}, who started it, is an agent acting for someone`);
    expect(findLeak(text, PROTECTED)).toBeUndefined();
  });

  it('runs a schedule as its creator, checking the role each time it fires', async () => {
    await pushAs('developer', 'nightly', `${PROBE}# nightly\n`, 'nightly [skip ci]');
    const schedule = await api('scheduler', 'POST', '/pipeline-schedules', {
      ref: 'nightly',
      cron: '*/5 * * * *',
    });
    expect(schedule.statusCode).toBe(201);
    const fire = async () => {
      const due = new Date(
        new Date((await api('owner', 'GET', '/pipeline-schedules')).json().items[0].nextRunAt).getTime() +
          1000,
      );
      const before = new Set((await pipelines()).map((p) => p.id));
      expect(await runDueSchedules(t.res, due)).toBe(1);
      const p = await finished(
        (x) => x.trigger === 'schedule' && !before.has(x.id),
        'the scheduled pipeline',
      );
      return logOf(p);
    };
    expect(await fire()).toContain('protected=given');
    await addMember(t, users.owner.token, slug, users.scheduler.name, 'developer');
    const demoted = await fire();
    expect(demoted).toContain('protected=absent');
    expect(demoted).toContain(`${users.scheduler.name}, who started it, is developer`);
  });

  it('decides when the job starts, not when the pipeline was created', async () => {
    const sha = await pushAs(
      'developer',
      'two-jobs',
      `jobs:
  first:
    steps: [{ name: wait, run: 'echo first-started; sleep 3' }]
  probe:
    needs: [first]
    secrets: [PROTECTED_TOKEN, OPEN_TOKEN]
    steps:
      - name: probe
        run: if [ -n "\${PROTECTED_TOKEN:-}" ]; then echo protected=given; else echo protected=absent; fi
`,
      'two jobs [skip ci]',
    );
    const run = await api('starter', 'POST', '/pipelines', { ref: 'two-jobs' });
    expect(run.statusCode).toBe(201);
    await until(
      async () => (await logOf(run.json(), 'first')).includes('first-started'),
      30_000,
      'the first job to start',
    );
    await addMember(t, users.owner.token, slug, users.starter.name, 'developer');
    const p = await finished((x) => x.id === run.json().id, 'the two-job pipeline');
    expect(p.sha).toBe(sha);
    const text = await logOf(p);
    expect(text).not.toContain('protected=given');
    expect(text).toContain(`${users.starter.name}, who started it, is developer`);
  });

  it('lets maintainers mark a secret protected or not, never developers', async () => {
    const dev = await api('developer', 'PATCH', '/secrets/OPEN_TOKEN', { protected: true });
    expect(dev.statusCode).toBe(403);
    const flip = await api('maintainer', 'PATCH', '/secrets/OPEN_TOKEN', { protected: true });
    expect(flip.statusCode).toBe(200);
    expect(flip.json()).toMatchObject({ name: 'OPEN_TOKEN', protected: true, version: 1 });
    // Replacing the value keeps the flag unless the request sets it.
    expect((await api('maintainer', 'PUT', '/secrets/OPEN_TOKEN', { value: OPEN })).json()).toMatchObject({
      protected: true,
      version: 2,
    });
    expect(
      (await api('maintainer', 'PATCH', '/secrets/OPEN_TOKEN', { protected: false })).json().protected,
    ).toBe(false);
    expect((await api('maintainer', 'PATCH', '/secrets/NOPE', { protected: false })).statusCode).toBe(404);
    const listed = (await api('developer', 'GET', '/secrets')).json().items;
    expect(listed.map((s: { name: string; protected: boolean }) => [s.name, s.protected])).toEqual([
      ['OPEN_TOKEN', false],
      ['PROTECTED_TOKEN', true],
    ]);
  });

  it('leaves artifacts of a job without secrets to every member', async () => {
    const sha = await pushAs(
      'developer',
      'plain',
      'jobs:\n  build:\n    steps: [{ name: b, run: echo built > out.txt }]\n    artifacts: [out.txt]\n',
    );
    const p = await finished((x) => x.sha === sha, 'the plain pipeline');
    expect((await api('developer', 'GET', `/pipelines/${p.id}/artifacts`)).json().items).toEqual([
      expect.objectContaining({ path: 'out.txt', readableBy: 'viewer' }),
    ]);
    const file = await api('developer', 'GET', `/pipelines/${p.id}/jobs/build/artifacts/out.txt`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('built\n');
  });
});

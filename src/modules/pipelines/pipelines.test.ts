import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
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
import { detectIsolation } from '../../platform/sandbox/index.ts';
import { runDueSchedules } from './index.ts';

let t: TestApp;
let base: string;
let owner: Awaited<ReturnType<TestApp['user']>>;
let workers: Awaited<ReturnType<typeof startWorkers>>;
let work: string;
const slug = 'pipes';
const hasBwrap = detectIsolation().bubblewrap;

type Pipeline = {
  id: string;
  number: number;
  status: string;
  sha: string;
  ref: string;
  trigger: string;
  error: string | null;
  operationId: string;
  jobs: Job[];
  tests: Record<string, unknown> | null;
};
type Job = {
  name: string;
  status: string;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  operationId: string;
  stepKey: string;
  isolation: string | null;
  testReport: Record<string, unknown> | null;
};

beforeAll(async () => {
  t = await createTestApp();
  base = await listenApp(t);
  workers = await startWorkers(t);
  owner = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  work = await localRepo();
  await commitFiles(work, { 'README.md': 'pipes\n' }, 'initial');
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.http.inject({
    method,
    url: `/api/projects/${slug}${url}`,
    headers: bearer(owner.token),
    ...(payload ? { payload } : {}),
  });

/** Pushes a branch (from main) whose .orchard/pipeline.yml is `yaml`; returns the pushed sha. */
async function pushPipeline(
  branch: string,
  yaml: string,
  message = `pipeline for ${branch}`,
  files: Record<string, string> = {},
) {
  await gitOk(['checkout', '-q', '-B', branch, 'main'], work);
  const sha = await commitFiles(work, { ...files, '.orchard/pipeline.yml': yaml }, message);
  await gitOk(
    ['push', '-q', '-f', remoteUrl(base, slug, owner.token), `${branch}:refs/heads/${branch}`],
    work,
  );
  return sha;
}

async function pipelineFor(sha: string): Promise<Pipeline | undefined> {
  const list = (await api('GET', '/pipelines?limit=200')).json().items as Pipeline[];
  const found = list.find((p) => p.sha === sha);
  return found && (await api('GET', `/pipelines/${found.number}`)).json();
}

async function finished(sha: string, timeoutMs = 30_000): Promise<Pipeline> {
  return until(
    async () => {
      const p = await pipelineFor(sha);
      return p && !['queued', 'running'].includes(p.status) ? p : undefined;
    },
    timeoutMs,
    `pipeline of ${sha.slice(0, 8)} to finish`,
  );
}

const job = (p: Pipeline, name: string) => p.jobs.find((j) => j.name === name)!;
const log = async (p: Pipeline, name: string) =>
  (await api('GET', `/pipelines/${p.id}/jobs/${name}/log`)).json().text as string;

/** Every job's status and log, for the message of an assertion on a pipeline that should have passed. */
async function jobReport(p: Pipeline) {
  const lines = [`pipeline ${p.status}${p.error ? `: ${p.error}` : ''}`];
  for (const job of (await api('GET', `/pipelines/${p.id}`)).json().jobs as Array<{
    name: string;
    status: string;
  }>)
    lines.push(`--- ${job.name}: ${job.status}`, await log(p, job.name));
  return lines.join('\n');
}

describe('pipelines', () => {
  it('runs on push: a needs DAG, a failing job that skips its dependants, artifacts, and a merge-request check', async () => {
    const sha = await pushPipeline(
      'dag',
      `jobs:
  build:
    steps:
      - name: compile
        run: mkdir -p dist && echo built > dist/app.txt && echo "building $ORCHARD_COMMIT_SHA on $ORCHARD_REF"
    artifacts: [dist/**]
  test:
    needs: [build]
    steps:
      - name: unit
        run: cat dist/app.txt 2>/dev/null || echo "fresh workspace"; echo testing; exit 3
  deploy:
    needs: [test]
    steps: [{ name: ship, run: echo shipping }]
  lint:
    steps: [{ name: lint, run: echo lint ok }]
`,
    );
    // The push returns after push handling: the pipeline exists already.
    const started = await pipelineFor(sha);
    expect(started).toMatchObject({ ref: 'dag', trigger: 'push', operationId: expect.any(String) });
    expect(started!.jobs.map((j) => j.stepKey).sort()).toEqual([
      'job:build',
      'job:deploy',
      'job:lint',
      'job:test',
    ]);

    const p = await finished(sha);
    expect(p.status).toBe('failed');
    expect(Object.fromEntries(p.jobs.map((j) => [j.name, j.status]))).toEqual({
      build: 'success',
      lint: 'success',
      test: 'failed',
      deploy: 'skipped',
    });
    expect(job(p, 'test').exitCode).toBe(3);
    expect(new Date(job(p, 'build').finishedAt!).getTime()).toBeLessThanOrEqual(
      new Date(job(p, 'test').startedAt!).getTime(),
    );
    expect(await log(p, 'build')).toContain(`building ${sha} on dag`);
    const testLog = await log(p, 'test');
    expect(testLog).toContain('fresh workspace');
    expect(testLog).toContain('Step "unit" exited with 3');
    expect(await log(p, 'deploy')).toContain('Skipped: needed job test did not succeed');

    const artifacts = (await api('GET', `/pipelines/${p.id}/artifacts`)).json().items;
    expect(artifacts).toEqual([expect.objectContaining({ job: 'build', path: 'dist/app.txt', size: 6 })]);
    const file = await api('GET', `/pipelines/${p.id}/jobs/build/artifacts/dist/app.txt`);
    expect(file.body).toBe('built\n');

    // The pipeline's row ends in its last step; the operation ends right after that step returns.
    const operation = await until(
      async () => {
        const op = (
          await t.http.inject({ url: `/api/operations/${p.operationId}`, headers: bearer(owner.token) })
        ).json();
        return op.status !== 'running' && op;
      },
      10_000,
      'the pipeline operation to end',
    );
    expect(operation.status).toBe('failed');

    // A merge request for the branch shows this pipeline as its check, without a second pipeline.
    const mr = await api('POST', '/merge-requests', {
      title: 'DAG',
      sourceBranch: 'dag',
      targetBranch: 'main',
    });
    expect(mr.json().checks).toEqual([
      expect.objectContaining({
        name: 'pipeline',
        status: 'failure',
        details: expect.objectContaining({ pipelineId: p.id }),
      }),
    ]);
    const all = (await api('GET', '/pipelines?limit=200')).json().items as Pipeline[];
    expect(all.filter((x) => x.sha === sha)).toHaveLength(1);
  });

  it('masks secrets in logs and live events as themselves, base64, hex, URL and JSON, line by line, and split across writes', async () => {
    const token = 'hunter2/super+secret value&more';
    const key =
      '-----BEGIN TEST KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nYk3lQ8fT2bW9xRr7Lp0sDq\n-----END TEST KEY-----';
    for (const [name, value] of [
      ['DEPLOY_TOKEN', token],
      ['SIGNING_KEY', key],
    ]) {
      // Unprotected: a branch pipeline receives it (protected secrets have tests of their own).
      const put = await api('PUT', `/secrets/${name}`, { value, protected: false });
      expect(put.statusCode).toBe(201);
    }
    const sha = await pushPipeline(
      'secrets',
      `jobs:
  show:
    env: { GREETING: hello }
    secrets: [DEPLOY_TOKEN, SIGNING_KEY]
    steps:
      - name: print
        run: |
          echo "$GREETING, token is $DEPLOY_TOKEN"
          echo "$DEPLOY_TOKEN" | base64
          printf '%s' "$DEPLOY_TOKEN" | base64 | tr '+/' '-_' | tr -d '='
          printf 'ab%s' "$DEPLOY_TOKEN" | base64
          printf '%s' "$DEPLOY_TOKEN" | od -An -tx1 | tr -d ' \\n'; echo
          node -e 'console.log("url " + encodeURIComponent(process.env.DEPLOY_TOKEN))'
          node -e 'console.log(JSON.stringify({ key: process.env.SIGNING_KEY }))'
          echo "$SIGNING_KEY" | while IFS= read -r line; do echo "line: $line"; done
          echo $SIGNING_KEY
          echo "$SIGNING_KEY" | base64
          printf 'split:%s' "$(printf '%s' "$DEPLOY_TOKEN" | cut -c1-10)"; sleep 0.3; printf '%s\\n' "$(printf '%s' "$DEPLOY_TOKEN" | cut -c11-)"
          b=$(printf '%s' "$DEPLOY_TOKEN" | base64); printf 'b64split:%s' "$(echo "$b" | cut -c1-9)"; sleep 0.3; echo "$b" | cut -c10-
          printf '%s\\n' "$DEPLOY_TOKEN" >&2
`,
    );
    const p = await finished(sha);
    expect(p.status).toBe('success');
    const text = await log(p, 'show');
    expect(text).toContain('hello, token is ***');
    // Written in two chunks 300 ms apart, the value and its base64 are still masked whole.
    expect(text).toContain('split:***');
    expect(text).toContain('b64split:***');
    expect(text).toContain('line: ***');
    const events = await t.res.db.query(
      'SELECT data::text AS d FROM operation_events WHERE operation_id = $1',
      [p.operationId],
    );
    const live = events.rows.map((r) => JSON.parse(r.d).text ?? '').join('\n');
    expect(live).toContain('token is ***');
    for (const value of [token, key, ...key.split('\n').slice(1, 3)]) {
      expect(findLeak(text, value), 'stored log').toBeUndefined();
      expect(findLeak(live, value), 'live events').toBeUndefined();
    }
  });

  it('times out a job and cancels a running pipeline, killing its processes', async () => {
    const slowSha = await pushPipeline(
      'slow',
      `jobs:\n  slow:\n    timeoutMinutes: 0.02\n    steps: [{ name: wait, run: sleep 30 }]\n`,
    );
    const slow = await finished(slowSha);
    expect(job(slow, 'slow').status).toBe('timed_out');
    expect(await log(slow, 'slow')).toContain('Timed out after 0.02 minute(s)');

    const sha = await pushPipeline(
      'cancel',
      `jobs:\n  long:\n    steps: [{ name: wait, run: 'echo started; sleep 61.5' }]\n  after:\n    needs: [long]\n    steps: [{ name: never, run: echo never }]\n`,
    );
    const running = await until(
      async () => {
        const p = await pipelineFor(sha);
        return p && (await log(p, 'long')).includes('started') ? p : undefined;
      },
      20_000,
      'the long job to start',
    );
    const cancelled = await api('POST', `/pipelines/${running.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    await until(
      async () => {
        try {
          execFileSync('pgrep', ['-f', 'sleep 61.5']);
          return false;
        } catch {
          return true; // pgrep exits 1 when nothing matches
        }
      },
      10_000,
      'the job process to die',
    );
    const p = (await api('GET', `/pipelines/${running.id}`)).json() as Pipeline;
    expect(Object.fromEntries(p.jobs.map((j) => [j.name, j.status]))).toEqual({
      long: 'cancelled',
      after: 'cancelled',
    });
    expect((await api('POST', `/pipelines/${running.id}/cancel`)).statusCode).toBe(409);

    const rerun = await api('POST', `/pipelines/${slow.number}/rerun`);
    expect(rerun.statusCode).toBe(201);
    expect(rerun.json()).toMatchObject({ sha: slowSha, rerunOf: slow.id, trigger: 'push' });
  });

  it.runIf(hasBwrap)(
    'sandboxes jobs: an unprivileged user without capabilities, no host paths, and no way to Orchard’s port or database unless an admin allows the host network',
    async () => {
      const port = new URL(base).port;
      const reach = (label: string, target: string) =>
        `node -e "const s=require('net').connect(${target});s.on('connect',()=>{console.log('${label} reachable');process.exit()});s.on('error',()=>console.log('${label} blocked'))"`;
      const probes = [
        reach('orchard', `${port},'127.0.0.1'`),
        reach('postgres', `5432,'127.0.0.1'`),
        reach('gateway', `${port},'10.0.2.2'`),
      ];
      const sha = await pushPipeline(
        'sandbox',
        `jobs:
  offline:
    steps:
      - name: probe
        run: |
          echo "uid=$(id -u)"
          if echo x > /etc/orchard-probe 2>/dev/null; then echo wrote-etc; else echo refused-etc; fi
          if test -e ${t.config.home}/master.key; then echo key-visible; else echo key-hidden; fi
          umount -l /tmp 2>/dev/null && echo ESCAPE-umount || true
          mount -o remount,rw,bind / 2>/dev/null && echo ESCAPE-remount || true
          cat /etc/shadow >/dev/null 2>&1 && echo ESCAPE-shadow || true
          echo ok > inside.txt && echo wrote-workspace
          ${probes[0]}
  online:
    network: true
    steps:
      - name: probe
        run: |
${probes.map((p) => `          ${p}`).join('\n')}
`,
      );
      const p = await finished(sha);
      expect(p.status, await jobReport(p)).toBe('success');
      const offline = await log(p, 'offline');
      expect(offline).toContain('refused-etc');
      expect(offline).toContain('key-hidden');
      expect(offline).toContain('wrote-workspace');
      expect(offline).not.toContain('ESCAPE-');
      expect(offline).not.toContain('uid=0');
      expect(offline).toContain('orchard blocked');
      const online = await log(p, 'online');
      expect(online).toContain('orchard blocked');
      expect(online).toContain('postgres blocked');
      expect(online).toContain('gateway blocked');
      expect(job(p, 'offline').isolation).toBe('bubblewrap');

      // Only an instance admin may let the project's jobs share the host network.
      const admin = await t.user('admin');
      const asOwner = await t.http.inject({
        method: 'PATCH',
        url: `/api/projects/${slug}`,
        headers: bearer(owner.token),
        payload: { hostNetwork: true },
      });
      expect(asOwner.statusCode).toBe(403);
      const allow = (hostNetwork: boolean) =>
        t.http.inject({
          method: 'PATCH',
          url: `/api/projects/${slug}`,
          headers: bearer(admin.token),
          payload: { hostNetwork },
        });
      expect((await allow(true)).json()).toMatchObject({ hostNetwork: true });
      try {
        const manual = await api('POST', '/pipelines', { ref: 'sandbox' });
        expect(manual.statusCode).toBe(201);
        const again = await until(
          async () => {
            const r = (await api('GET', `/pipelines/${manual.json().number}`)).json() as Pipeline;
            return ['queued', 'running'].includes(r.status) ? undefined : r;
          },
          30_000,
          'the manual pipeline to finish',
        );
        expect(await log(again, 'online')).toContain('orchard reachable');
      } finally {
        await allow(false);
      }
    },
  );

  it('honours [skip ci], and reports a bad pipeline file with its line and field', async () => {
    const skipped = await pushPipeline(
      'skip',
      'jobs:\n  a:\n    steps: [{ name: x, run: "true" }]\n',
      'docs only [skip ci]',
    );
    expect(await pipelineFor(skipped)).toBeUndefined();

    const bad = await pushPipeline('bad', 'jobs:\n  a:\n    steps:\n      - name: x\n');
    const p = await pipelineFor(bad);
    expect(p).toMatchObject({ status: 'error', error: 'pipeline.yml line 4: jobs.a.steps[0].run: Required' });
    const manual = await api('POST', '/pipelines', { ref: 'bad' });
    expect(manual.statusCode).toBe(422);
    expect(manual.json().detail).toBe('pipeline.yml line 4: jobs.a.steps[0].run: Required');
    expect((await api('POST', '/pipelines', { ref: '--exec=evil' })).statusCode).toBe(400);
  });

  it("reads the test reports jobs declare when they end: node's JUnit and TAP with a failing case, a malformed file as a note", async () => {
    const node = (reporter: string, file: string) =>
      `mkdir -p reports && node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=${reporter} --test-reporter-destination=${file}`;
    const sha = await pushPipeline(
      'reports',
      `jobs:
  unit:
    steps:
      - name: test
        run: ${node('junit', 'reports/junit.xml')}
    artifacts:
      reports:
        junit: reports/junit.xml
  tap:
    steps:
      - name: test
        run: ${node('tap', 'reports/unit.tap')}
    artifacts:
      reports: { tap: reports/*.tap }
  broken:
    steps:
      - name: write
        run: mkdir -p out && printf '<testsuites>\\n<testsuite>\\n' > out/junit.xml
    artifacts:
      reports:
        junit: out/*.xml
        tap: none/*.tap
  plain:
    steps: [{ name: say, run: echo no reports }]
`,
      'tests with reports',
      {
        'package.json': '{ "type": "module" }\n',
        'test/cart.test.js': `import assert from 'node:assert';
import { describe, test } from 'node:test';
describe('cart', () => {
  test('adds', () => assert.equal(1 + 1, 2));
  test('totals', () => assert.equal(25, 30, 'total was 25, expected 30'));
  test('checks out', { skip: 'no payment provider yet' }, () => {});
});
`,
      },
    );
    const p = await finished(sha);
    expect(Object.fromEntries(p.jobs.map((j) => [j.name, j.status])), await jobReport(p)).toEqual({
      unit: 'failed',
      tap: 'failed',
      broken: 'success',
      plain: 'success',
    });
    const totals = {
      name: 'totals',
      suite: 'cart',
      kind: 'failure',
      message: 'total was 25, expected 30',
      // Paths in the job's checkout read as the repository's own.
      output: expect.stringMatching(/\(test\/cart\.test\.js:5:\d+\)/),
    };
    expect(job(p, 'unit').testReport).toEqual({
      passed: 1,
      failed: 1,
      skipped: 1,
      durationMs: expect.any(Number),
      files: [{ path: 'reports/junit.xml', format: 'junit' }],
      failures: [{ ...totals, className: 'test', file: null }],
      omittedFailures: 0,
      notes: [],
    });
    expect(job(p, 'tap').testReport).toMatchObject({
      passed: 1,
      failed: 1,
      skipped: 1,
      files: [{ path: 'reports/unit.tap', format: 'tap' }],
      failures: [{ ...totals, className: null, file: 'test/cart.test.js:5:3' }],
      notes: [],
    });
    // A malformed report is a note on a job that succeeded, never a failed job or pipeline.
    expect(job(p, 'broken').testReport).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      durationMs: null,
      files: [{ path: 'out/junit.xml', format: 'junit' }],
      failures: [],
      omittedFailures: 0,
      notes: [
        'out/junit.xml: not a readable JUnit XML report: line 3: the file ends inside <testsuite>',
        'No file matched none/*.tap (artifacts.reports.tap).',
      ],
    });
    expect(job(p, 'plain').testReport).toBeNull();
    expect(p.tests).toEqual({ passed: 2, failed: 2, skipped: 2, durationMs: expect.any(Number) });
    // The commit's pipeline check carries the failed cases: TAP's at their file and line.
    const { rows } = await t.res.db.query<{ details: { annotations: Array<{ title: string }> } }>(
      `SELECT details FROM commit_checks WHERE sha = $1 AND name = 'pipeline'`,
      [sha],
    );
    expect(rows[0]!.details.annotations.sort((a, b) => a.title.localeCompare(b.title))).toEqual([
      {
        path: 'test/cart.test.js',
        startLine: 5,
        level: 'failure',
        title: 'tap: cart › totals',
        message: expect.stringMatching(/^total was 25, expected 30\n\n/),
        screenshots: [],
      },
      {
        level: 'failure',
        title: 'unit: cart › totals',
        message: expect.stringMatching(/^total was 25, expected 30\n\n/),
        screenshots: [],
      },
    ]);
    expect(await log(p, 'unit')).toContain(
      'Test report: 1 passed · 1 failed · 1 skipped (reports/junit.xml)',
    );
    expect(await log(p, 'broken')).toContain('⚠ out/junit.xml: not a readable JUnit XML report');
    // The list of pipelines carries no jobs, so no tests either.
    const listed = (await api('GET', '/pipelines?limit=200'))
      .json()
      .items.find((x: Pipeline) => x.sha === sha);
    expect(listed.tests).toBeUndefined();
  });

  it('runs manually and on a cron schedule, claiming each due run once across ticks', async () => {
    await gitOk(['checkout', '-q', 'main'], work);
    const sha = await commitFiles(
      work,
      { '.orchard/pipeline.yml': 'jobs:\n  nightly:\n    steps: [{ name: x, run: echo nightly }]\n' },
      'main pipeline',
    );
    await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
    const manual = await api('POST', '/pipelines', { ref: 'main' });
    expect(manual.statusCode).toBe(201);
    expect(manual.json()).toMatchObject({
      trigger: 'manual',
      sha,
      // Answered once the pipeline is written: a worker may have picked its job up (or run it) by then.
      jobs: [
        expect.objectContaining({
          name: 'nightly',
          status: expect.stringMatching(/^(pending|running|success)$/),
        }),
      ],
    });

    const schedule = await api('POST', '/pipeline-schedules', { ref: 'main', cron: '*/5 * * * *' });
    expect(schedule.statusCode).toBe(201);
    expect(
      (await api('POST', '/pipeline-schedules', { ref: 'main', cron: '99 * * * *' })).json().errors[0].field,
    ).toBe('body.cron');
    const due = new Date(new Date(schedule.json().nextRunAt).getTime() + 1000);
    const started = await Promise.all([
      runDueSchedules(t.res, due),
      runDueSchedules(t.res, due),
      runDueSchedules(t.res, due),
    ]);
    expect(started.reduce((a, b) => a + b, 0)).toBe(1);
    const scheduled = (await api('GET', '/pipelines?limit=200'))
      .json()
      .items.filter((p: Pipeline) => p.trigger === 'schedule');
    expect(scheduled).toHaveLength(1);
    const next = (await api('GET', '/pipeline-schedules')).json().items[0];
    expect(new Date(next.nextRunAt).getTime()).toBeGreaterThan(due.getTime());
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
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
import { until } from '../../../test/support/until.ts';
import type { WorkerPool } from '../operations/index.ts';
import { type CheckView, reportCheck } from '../reviews/index.ts';
import { checkRunPayload } from './check-run-payload.ts';
import { verifyHubSignature, webhooksOnReviewEvent } from './index.ts';

/**
 * `check_run` webhooks: whenever a check is reported on a commit (a pipeline's, the browser
 * robot's), subscribed receivers get a signed, GitHub-shaped delivery when its run begins and when
 * it ends.
 */
interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  json: {
    event: string;
    action: string;
    check_run: Record<string, unknown> & { name: string; head_sha: string; output: Record<string, unknown> };
    project: { id: string; slug: string };
    sender: { username: string };
  };
}

let t: TestApp;
let workers: WorkerPool;
let base: string;
let token: string;
let projectId: string;
let receiver: Server;
const received: Received[] = [];
const slug = 'check-runs';
const secret = 'a-check-run-webhook-secret';

beforeAll(async () => {
  t = await createTestApp({ allowPrivateWebhookTargets: true });
  base = await listenApp(t);
  workers = await startWorkers(t);
  token = (await t.user('member')).token;
  await createProjectAs(t, token, slug);
  projectId = (
    await t.http.inject({ method: 'GET', url: `/api/projects/${slug}`, headers: bearer(token) })
  ).json().id;
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/webhooks`,
    headers: bearer(token),
    payload: {
      url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`,
      secret,
      events: ['check_run'],
    },
  });
  expect(hook.statusCode, hook.body).toBe(201);
});
afterAll(async () => {
  await workers?.stop();
  receiver?.close();
  await t?.close();
});

const runsOf = (sha: string, name: string) =>
  received.filter((r) => r.json.check_run.head_sha === sha && r.json.check_run.name === name);

describe('check_run webhooks', () => {
  it("deliver a signed created and completed event for a pipeline's check", {
    timeout: 120_000,
  }, async () => {
    const work = await localRepo();
    const sha = await commitFiles(
      work,
      { '.orchard/pipeline.yml': 'jobs:\n  test:\n    steps:\n      - name: say\n        run: echo ok\n' },
      'a pipeline',
    );
    await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], work);
    const runs = await until(
      async () => {
        // Each delivery is an operation of its own: they may arrive in either order.
        const got = runsOf(sha, 'pipeline');
        return got.length >= 2 ? got : undefined;
      },
      90_000,
      'the check_run deliveries of the pipeline',
      100,
    );
    expect(runs.map((r) => r.json.action).sort()).toEqual(['completed', 'created']);
    for (const r of runs) {
      expect(r.headers['x-orchard-event']).toBe('check_run');
      expect(verifyHubSignature(secret, r.body, r.headers['x-hub-signature-256'] as string)).toBe(true);
    }
    const created = runs.find((r) => r.json.action === 'created')!.json;
    const completed = runs.find((r) => r.json.action === 'completed')!.json;
    expect(created).toEqual({
      event: 'check_run',
      action: 'created',
      check_run: {
        name: 'pipeline',
        head_sha: sha,
        status: 'queued',
        conclusion: null,
        started_at: expect.any(String),
        completed_at: null,
        details_url: `/projects/${slug}/pipelines/1`,
        output: {
          title: 'pipeline: pending',
          summary: 'Pipeline #1 queued',
          annotations_count: 0,
          annotations: [],
        },
      },
      project: { id: projectId, slug },
      sender: { username: 'system' },
    });
    expect(completed.check_run).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      started_at: created.check_run.started_at,
      completed_at: expect.any(String),
      output: { summary: 'Pipeline #1 success' },
    });
  });

  it('carry the annotations of a check, mapped to GitHub’s fields', { timeout: 60_000 }, async () => {
    const sha = 'f'.repeat(40);
    await reportCheck(
      t.res.db,
      {
        projectId,
        sha,
        name: 'browser-verification',
        status: 'failure',
        summary: '2 of 2 page(s) failed',
        targetUrl: 'http://preview.test/',
        details: {
          annotations: [
            {
              path: '.orchard/smoke.yml',
              startLine: 7,
              url: 'http://preview.test/photos',
              level: 'failure',
              title: 'Photos: expect text "Sunset"',
              message: 'did not appear',
              screenshots: [{ name: 'Photos', url: '/api/artifacts/operations/op/01-photos.png' }],
            },
            { url: 'http://preview.test/', level: 'warning', title: 'Home: load /', message: 'HTTP 500' },
          ],
        },
      },
      { logger: t.res.logger, onEvent: [webhooksOnReviewEvent(t.res)] },
    );
    const runs = await until(
      async () =>
        runsOf(sha, 'browser-verification').length === 2 ? runsOf(sha, 'browser-verification') : undefined,
      30_000,
      'the check_run deliveries of the verification',
      100,
    );
    const completed = runs.find((r) => r.json.action === 'completed')!.json.check_run;
    expect(completed).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      details_url: 'http://preview.test/',
      output: {
        title: 'browser-verification: failure',
        summary: '2 of 2 page(s) failed',
        annotations_count: 2,
        annotations: [
          {
            path: '.orchard/smoke.yml',
            start_line: 7,
            end_line: 7,
            annotation_level: 'failure',
            title: 'Photos: expect text "Sunset"',
            message: 'did not appear',
          },
          {
            path: null,
            start_line: null,
            end_line: null,
            annotation_level: 'warning',
            title: 'Home: load /',
            message: 'HTTP 500 (http://preview.test/)',
          },
        ],
      },
    });
  });
});

describe('checkRunPayload', () => {
  const check = (status: CheckView['status'], details: Record<string, unknown> = {}): CheckView => ({
    name: 'pipeline',
    status,
    summary: '',
    targetUrl: null,
    details,
    annotations: [],
    updatedAt: '2025-01-01T00:00:00.000Z',
    startedAt: '2025-01-01T00:00:00.000Z',
    completedAt: null,
  });
  it("maps Orchard's statuses to GitHub's, and details to an absolute URL under publicUrl", () => {
    const run = (status: CheckView['status']) =>
      checkRunPayload({ action: 'completed', sha: 'abc', check: check(status), projectSlug: 's' }).check_run;
    expect(
      (['pending', 'running', 'success', 'failure', 'cancelled', 'error'] as const).map((s) => {
        const { status, conclusion } = run(s);
        return [s, status, conclusion];
      }),
    ).toEqual([
      ['pending', 'queued', null],
      ['running', 'in_progress', null],
      ['success', 'completed', 'success'],
      ['failure', 'completed', 'failure'],
      ['cancelled', 'completed', 'cancelled'],
      ['error', 'completed', 'failure'],
    ]);
    const linked = (details: Record<string, unknown>) =>
      checkRunPayload(
        { action: 'created', sha: 'abc', check: check('running', details), projectSlug: 'my shop' },
        'https://orchard.example/',
      ).check_run.details_url;
    expect(linked({ number: 4 })).toBe('https://orchard.example/projects/my%20shop/pipelines/4');
    expect(linked({ operationId: 'op-1' })).toBe('https://orchard.example/operations/op-1');
    expect(linked({})).toBeNull();
  });
});

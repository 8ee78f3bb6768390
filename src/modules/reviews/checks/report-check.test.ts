import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import {
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
} from '../../../../test/git.ts';
import { ValidationError } from '../../../platform/errors.ts';
import type { ReviewEvent } from '../events.ts';
import { checkActions, reportCheck } from './report-check.ts';

/**
 * A check's annotations are validated when it is reported and shown with it on the merge request;
 * each run of a check is told to the review listeners when it begins and when it ends.
 */
let t: TestApp;
let token: string;
let projectId: string;
let sha: string;
let mr: number;
const slug = 'annotated';

beforeAll(async () => {
  t = await createTestApp();
  const base = await listenApp(t);
  token = (await t.user('member')).token;
  await createProjectAs(t, token, slug);
  projectId = (await api('')).json().id;
  const work = await localRepo();
  await commitFiles(work, { 'a.txt': 'a\n' }, 'initial');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], work);
  await gitOk(['checkout', '-q', '-b', 'topic'], work);
  sha = await commitFiles(work, { 'b.txt': 'b\n' }, 'topic');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'topic'], work);
  mr = (
    await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests`,
      headers: bearer(token),
      payload: { title: 'Topic', sourceBranch: 'topic', targetBranch: 'main' },
    })
  ).json().number;
});
afterAll(async () => t?.close());

function api(path: string) {
  return t.http.inject({ method: 'GET', url: `/api/projects/${slug}${path}`, headers: bearer(token) });
}
const checksOf = async () => (await api(`/merge-requests/${mr}`)).json().checks;

const annotation = {
  path: '.orchard/smoke.yml',
  startLine: 5,
  url: 'http://app.test/photos',
  level: 'failure',
  title: 'Photos: expect text "Sunset"',
  message: 'did not appear within 5 s',
  screenshots: [{ name: 'Photos', url: '/api/artifacts/operations/op/verify/01-photos.png' }],
} as const;

describe('reportCheck', () => {
  it('refuses malformed annotations, naming the field, and writes nothing', async () => {
    const bad = [
      { ...annotation, path: undefined },
      { ...annotation, path: '../etc/passwd' },
      { ...annotation, screenshots: [{ name: 'x', url: 'javascript:alert(1)' }] },
      { ...annotation, level: 'fatal' },
    ];
    const fields: string[] = [];
    for (const a of bad) {
      const error = await reportCheck(t.res.db, {
        projectId,
        sha,
        name: 'browser-verification',
        status: 'failure',
        details: { annotations: [a] },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      fields.push(...(error as ValidationError).issues.map((i) => i.field));
    }
    expect(fields).toEqual([
      'details.annotations.0.startLine',
      'details.annotations.0.path',
      'details.annotations.0.screenshots.0.url',
      'details.annotations.0.level',
    ]);
    expect(await checksOf()).toEqual([]);
  });

  it('shows a check’s annotations apart from its other details, and checks without any as before', async () => {
    await reportCheck(t.res.db, {
      projectId,
      sha,
      name: 'pipeline',
      status: 'running',
      details: { number: 3 },
    });
    await reportCheck(t.res.db, {
      projectId,
      sha,
      name: 'browser-verification',
      status: 'failure',
      summary: '1 of 1 page(s) failed',
      details: { operationId: 'op', annotations: [annotation] },
    });
    const [browser, pipeline] = await checksOf();
    expect(browser).toMatchObject({
      name: 'browser-verification',
      details: { operationId: 'op' },
      annotations: [annotation],
      startedAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(browser.details).not.toHaveProperty('annotations');
    expect(pipeline).toMatchObject({
      name: 'pipeline',
      details: { number: 3 },
      annotations: [],
      completedAt: null,
    });
  });

  it('tells the listeners when a run begins and when it ends, with its times', async () => {
    const heard: Array<Extract<ReviewEvent, { type: 'check' }>> = [];
    const events = {
      logger: t.res.logger,
      onEvent: [async (e: ReviewEvent) => void (e.type === 'check' && heard.push(e))],
    };
    const report = (status: 'pending' | 'running' | 'success' | 'failure') =>
      reportCheck(t.res.db, { projectId, sha, name: 'lint', status, summary: status }, events);
    for (const status of ['pending', 'running', 'success', 'pending', 'failure'] as const)
      await report(status);
    expect(heard.map((e) => [e.action, e.check.status])).toEqual([
      ['created', 'pending'],
      ['completed', 'success'],
      ['created', 'pending'],
      ['completed', 'failure'],
    ]);
    expect(heard[0]).toMatchObject({ projectSlug: slug, sha, actor: { username: 'system' } });
    // The rerun began after the first run ended; each completion is stamped.
    const [first, , rerun, last] = heard.map((e) => e.check);
    expect(first!.completedAt).toBeNull();
    expect(Date.parse(rerun!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.startedAt));
    expect(last!.completedAt).not.toBeNull();
    expect(last!.startedAt).toBe(rerun!.startedAt);
  });

  it('names what a report means for the run', () => {
    expect(checkActions(null, 'running')).toEqual(['created']);
    expect(checkActions(null, 'success')).toEqual(['created', 'completed']);
    expect(checkActions('pending', 'running')).toEqual([]);
    expect(checkActions('running', 'error')).toEqual(['completed']);
    expect(checkActions('success', 'failure')).toEqual(['completed']);
    expect(checkActions('cancelled', 'pending')).toEqual(['created']);
  });
});

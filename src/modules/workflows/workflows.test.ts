import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
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
} from '../../../test/git.ts';
import { runOrchard } from '../../../test/support/spawn-orchard.ts';
import { until } from '../../../test/support/until.ts';
import { authenticateToken, delegateToken } from '../identity/index.ts';
import { createWorkerPool, getOperation, type WorkerPool } from '../operations/index.ts';
import { agentProjects } from '../projects/index.ts';
import { cancelEndedRunActions, runDueWorkflowSchedules } from './index.ts';

/**
 * Workflow trees from YAML end to end, on a real database, real git and real pipeline jobs: a file
 * on main fans a pipeline out over a list, retries a flaky job, waits for a maintainer's approval
 * and tells the project; invalid files are refused with the line of each problem; only a person
 * with the approval's role may decide.
 */
let t: TestApp;
let workers: WorkerPool;
let owner: Awaited<ReturnType<TestApp['user']>>;
let developer: Awaited<ReturnType<TestApp['user']>>;
let viewer: Awaited<ReturnType<TestApp['user']>>;
let agentToken: string;
let base: string;
let work: string;
const clients: Client[] = [];
const slug = 'flows';

const PIPELINE = `jobs:
  unit:
    steps: [{ name: unit, run: echo unit ok }]
  lint:
    steps: [{ name: lint, run: echo lint ok }]
  flaky:
    steps:
      - name: fails in odd-numbered pipelines
        run: test $((ORCHARD_PIPELINE_NUMBER % 2)) -eq 0
  sleepy:
    steps: [{ name: sleepy, run: sleep 60 }]
`;
const SLEEPY = `steps:
  nap:
    kind: pipeline
    with: { job: sleepy }
`;

const RELEASE = `name: Release
description: Checks, a person's go-ahead, then the news.
inputs:
  checks:
    type: list
    default: [unit, lint]
steps:
  checks:
    kind: pipeline
    forEach: \${{ inputs.checks }}
    with:
      job: \${{ item }}
  flaky:
    kind: pipeline
    needs: [checks]
    retries: 1
    with: { job: flaky }
  gate:
    kind: approval
    needs: [flaky]
    with:
      title: Ship \${{ workflow.ref }}?
      role: maintainer
  announce:
    kind: notify
    needs: [gate, checks]
    if: \${{ needs.gate.outputs.approved }}
    with:
      title: Shipped, approved by \${{ needs.gate.outputs.by }}
      body: \${{ length(needs.checks.outputs) }} checks passed.
  recover:
    kind: notify
    needs: [gate]
    if: needs.gate.result == 'failure'
    with: { title: never sent }
`;

// Line 6 names a step that does not exist; line 9 has a bad duration; line 11 an unknown kind.
const BROKEN = `steps:
  build:
    kind: pipeline
  ship:
    kind: deploy
    needs: [build, test]
    with: { env: staging }
  wait:
    timeout: soon
    needs: [ship]
    kind: teleport
`;

beforeAll(async () => {
  t = await createTestApp();
  base = await listenApp(t);
  workers = createWorkerPool({
    res: t.res,
    registry: t.res.registry,
    queues: [],
    concurrency: 4,
    pollMs: 100,
    heartbeatMs: 200,
  });
  await workers.start();
  owner = await t.user('member');
  developer = await t.user('member');
  viewer = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  await addMember(t, owner.token, slug, developer.user.username, 'developer');
  await addMember(t, owner.token, slug, viewer.user.username, 'viewer');
  const project = (await api('GET', `/api/projects/${slug}`)).json();
  agentToken = (
    await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, owner.token),
        projectId: project.id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    )
  ).token;
  work = await localRepo();
  await commitFiles(
    work,
    {
      'README.md': '# Flows\n',
      '.orchard/pipeline.yml': PIPELINE,
      '.orchard/workflows/release.yml': RELEASE,
      '.orchard/workflows/broken.yml': BROKEN,
      '.orchard/workflows/sleepy.yml': SLEEPY,
    },
    'Workflows [skip ci]',
  );
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
});
afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await workers?.stop();
  await t?.close();
});

function api(method: 'GET' | 'POST', url: string, payload?: object, token = owner.token) {
  return t.http.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

type Step = { key: string; status: string; attempt: number; output: unknown; parent: string | null };

async function steps(id: string): Promise<Record<string, Step>> {
  const op = await getOperation(t.res.db, id);
  return Object.fromEntries(op.steps.map((s) => [s.key, s as Step]));
}

async function pendingApproval(run: string) {
  return until(
    async () => {
      const list = (
        await api('GET', `/api/projects/${slug}/workflow-approvals?run=${run}&status=pending`)
      ).json();
      return list.items[0] as { id: string; title: string; role: string; canDecide: boolean } | undefined;
    },
    90_000,
    'the approval to be asked for',
    100,
  );
}

async function ended(id: string) {
  return until(
    async () => {
      const op = await getOperation(t.res.db, id);
      return ['succeeded', 'failed', 'cancelled'].includes(op.status) && op;
    },
    60_000,
    `run ${id} to end`,
    100,
  );
}

describe('workflow files', () => {
  it('lists the files of main with their validation, each problem with its line', async () => {
    const res = await api('GET', `/api/projects/${slug}/workflows`);
    expect(res.statusCode, res.body).toBe(200);
    const { items, ref } = res.json();
    expect(ref).toBe('main');
    expect(items.map((w: { name: string }) => w.name)).toEqual(['broken', 'release', 'sleepy']);
    const [broken, release] = items;
    expect(release).toMatchObject({
      valid: true,
      title: 'Release',
      errors: [],
      inputs: [{ name: 'checks', type: 'list', default: ['unit', 'lint'] }],
    });
    expect(release.steps.map((s: { id: string; kind: string }) => `${s.id}:${s.kind}`)).toEqual([
      'checks:pipeline',
      'flaky:pipeline',
      'gate:approval',
      'announce:notify',
      'recover:notify',
    ]);
    expect(broken.valid).toBe(false);
    expect(
      broken.errors.map(
        (e: { line: number; field: string; message: string }) => `${e.line} ${e.field}: ${e.message}`,
      ),
    ).toEqual([
      '6 steps.ship.needs[1]: names no step "test" (steps: build, ship, wait)',
      '9 steps.wait.timeout: must be a duration like 30s, 10m, 2h, 1h30m or 3d',
      '11 steps.wait.kind: is not a step kind (known: pipeline, agent, deploy, verify, automation, approval, notify)',
    ]);
  });

  it('refuses to run an invalid file with a 422 naming each line, and bad inputs with a 400', async () => {
    const broken = await api('POST', `/api/projects/${slug}/workflows/broken/runs`, {});
    expect(broken.statusCode).toBe(422);
    expect(broken.headers['content-type']).toContain('application/problem+json');
    expect(broken.json().errors.map((e: { file: string; line: number }) => `${e.file}:${e.line}`)).toEqual([
      '.orchard/workflows/broken.yml:6',
      '.orchard/workflows/broken.yml:9',
      '.orchard/workflows/broken.yml:11',
    ]);
    expect(broken.json().detail).toContain('.orchard/workflows/broken.yml:6:');
    const notAList = await api('POST', `/api/projects/${slug}/workflows/release/runs`, {
      inputs: { checks: 'unit' },
    });
    expect(notAList.statusCode).toBe(400);
    expect(notAList.json().detail).toBe('body.inputs.checks: must be a list');
    const unknown = await api('POST', `/api/projects/${slug}/workflows/release/runs`, {
      inputs: { colour: 'red' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/body.inputs.colour: is not an input of this workflow/);
    expect((await api('POST', `/api/projects/${slug}/workflows/nothing/runs`, {})).statusCode).toBe(404);
    expect(
      (await api('POST', `/api/projects/${slug}/workflows/release/runs`, {}, viewer.token)).statusCode,
    ).toBe(403);
    const agent = await api('POST', `/api/projects/${slug}/workflows/release/runs`, {}, agentToken);
    expect(agent.statusCode).toBe(403);
    expect(agent.json().detail).toMatch(/^Agent tokens cannot/);
  });
});

describe('a workflow run', () => {
  it('fans out, retries, waits for a maintainer without a worker, and finishes once approved', async () => {
    const started = await api('POST', `/api/projects/${slug}/workflows/release/runs`, {}, developer.token);
    expect(started.statusCode, started.body).toBe(201);
    const run = started.json();
    expect(run).toMatchObject({
      workflow: 'release',
      ref: 'main',
      trigger: 'manual',
      inputs: { checks: ['unit', 'lint'] },
    });

    const approval = await pendingApproval(run.id);
    expect(approval).toMatchObject({ title: 'Ship main?', role: 'maintainer', canDecide: true });
    // The approval is recorded as its step parks; the step's own row says `waiting` a moment later.
    const before = await until(
      async () => {
        const now = await steps(run.id);
        return now.gate?.status === 'waiting' ? now : undefined;
      },
      10_000,
      'the approval step to park',
    );
    // One child per item, each its own pipeline of one job; the flaky job passed on its second try.
    expect(before['checks/0']).toMatchObject({ status: 'succeeded', parent: 'checks', attempt: 1 });
    expect(before['checks/1']).toMatchObject({ status: 'succeeded', parent: 'checks', attempt: 1 });
    expect(before.checks!.status).toBe('succeeded');
    expect(before.flaky).toMatchObject({ status: 'succeeded', attempt: 2 });
    // The approval waits parked: no lease, no worker slot.
    expect(before.gate!.status).toBe('waiting');
    await until(() => workers.running === 0, 10_000, 'the workers to be idle while the approval waits');

    // Who may not decide: a developer (below the role), a viewer, an agent.
    const asDeveloper = await api(
      'POST',
      `/api/projects/${slug}/workflow-approvals/${approval.id}/approve`,
      {},
      developer.token,
    );
    expect(asDeveloper.statusCode).toBe(403);
    expect(asDeveloper.json().detail).toBe(
      `This approval needs the maintainer role in project "${slug}"; you are developer.`,
    );
    const developerView = (
      await api('GET', `/api/projects/${slug}/workflow-approvals?run=${run.id}`, undefined, developer.token)
    ).json();
    expect(developerView.items[0].canDecide).toBe(false);
    expect(
      (await api('POST', `/api/projects/${slug}/workflow-approvals/${approval.id}/approve`, {}, viewer.token))
        .statusCode,
    ).toBe(403);
    const asAgent = await api(
      'POST',
      `/api/projects/${slug}/workflow-approvals/${approval.id}/approve`,
      {},
      agentToken,
    );
    expect(asAgent.statusCode).toBe(403);
    expect(asAgent.json().detail).toMatch(/^Agent tokens cannot/);
    expect((await steps(run.id)).gate!.status).toBe('waiting');

    const approved = await api('POST', `/api/projects/${slug}/workflow-approvals/${approval.id}/approve`, {
      comment: 'Looks good',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: owner.user.username,
      comment: 'Looks good',
    });
    const again = await api('POST', `/api/projects/${slug}/workflow-approvals/${approval.id}/reject`, {});
    expect(again.statusCode).toBe(409);

    const op = await ended(run.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const after = await steps(run.id);
    expect(after.gate).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(after.gate!.output).toMatchObject({
      result: 'success',
      outputs: { approved: true, by: owner.user.username },
    });
    expect(after.announce!.output).toMatchObject({ result: 'success' });
    expect((after.announce!.output as { outputs: { notified: number } }).outputs.notified).toBeGreaterThan(0);
    expect(after.recover!.output).toMatchObject({ result: 'skipped' });
    // Steps that had succeeded ran once: the fan-out's children and the approval kept their attempts.
    for (const key of ['checks/0', 'checks/1', 'gate', 'announce']) expect(after[key]!.attempt).toBe(1);

    // Four pipelines, each of one job: unit and lint, then flaky twice (failed, then passed).
    const pipelines = (await api('GET', `/api/projects/${slug}/pipelines?limit=50`)).json().items as Array<{
      number: number;
      status: string;
    }>;
    const jobsOf = async (n: number) =>
      (await api('GET', `/api/projects/${slug}/pipelines/${n}`))
        .json()
        .jobs.map((j: { name: string }) => j.name);
    const byJob = await Promise.all(
      pipelines.map(async (p) => `${(await jobsOf(p.number)).join(',')}:${p.status}`),
    );
    expect(byJob.sort()).toEqual(['flaky:failed', 'flaky:success', 'lint:success', 'unit:success']);

    const news = await t.res.db.query<{ title: string; body: string }>(
      "SELECT title, body FROM notifications WHERE kind = 'workflow_message' AND recipient_id = $1",
      [owner.user.id],
    );
    expect(news.rows).toEqual([
      { title: `Shipped, approved by ${owner.user.username}`, body: '2 checks passed.' },
    ]);
    const runs = (await api('GET', `/api/projects/${slug}/workflow-runs`)).json().items;
    expect(runs[0]).toMatchObject({ id: run.id, workflow: 'release', status: 'succeeded' });
  });

  it('fails when the approver rejects, and a retry asks again without re-running what succeeded', async () => {
    const run = (
      await api('POST', `/api/projects/${slug}/workflows/release/runs`, { inputs: { checks: ['unit'] } })
    ).json();
    const first = await pendingApproval(run.id);
    const rejected = await api('POST', `/api/projects/${slug}/workflow-approvals/${first.id}/reject`, {
      comment: 'Not on a Friday',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const op = await ended(run.id);
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({
      step: 'gate',
      message: `Rejected by ${owner.user.username}: Not on a Friday.`,
    });
    const flakyBefore = (await steps(run.id)).flaky!;

    const retried = await api('POST', `/api/operations/${run.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    const second = await pendingApproval(run.id);
    expect(second.id).not.toBe(first.id);
    await api('POST', `/api/projects/${slug}/workflow-approvals/${second.id}/approve`, {});
    expect((await ended(run.id)).status).toBe('succeeded');
    const after = await steps(run.id);
    expect(after.flaky!.attempt).toBe(flakyBefore.attempt);
    expect(after['checks/0']!.attempt).toBe(1);
  });
});

describe('over MCP', () => {
  async function connect(token: string) {
    const client = new Client({ name: 'workflow-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', base), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    return client;
  }
  const json = (result: unknown) =>
    JSON.parse((result as { content: Array<{ text: string }> }).content[0]!.text) as Record<string, unknown>;

  it('lists, runs and decides through the same use cases and gates', async () => {
    const owner_ = await connect(owner.token);
    const developer_ = await connect(developer.token);
    const listed = json(await developer_.callTool({ name: 'list_workflows', arguments: { slug } }));
    expect(
      (listed.items as Array<{ name: string; valid: boolean }>).map((w) => `${w.name}:${w.valid}`),
    ).toEqual(['broken:false', 'release:true', 'sleepy:true']);
    const invalid = await developer_.callTool({
      name: 'run_workflow',
      arguments: { slug, workflow: 'broken', waitSeconds: 0 },
    });
    expect(invalid.isError).toBe(true);
    expect((invalid.content as Array<{ text: string }>)[0]!.text).toContain(
      '.orchard/workflows/broken.yml:6:',
    );
    const run = json(
      await developer_.callTool({
        name: 'run_workflow',
        arguments: { slug, workflow: 'release', inputs: { checks: ['lint'] }, waitSeconds: 0 },
      }),
    );
    expect(run).toMatchObject({ workflow: 'release', note: 'Still running: follow it with get_operation.' });
    const pending = await pendingApproval(String(run.id));
    const listedApprovals = json(
      await developer_.callTool({
        name: 'list_workflow_approvals',
        arguments: { slug, run: run.id, status: 'pending' },
      }),
    );
    expect(listedApprovals.items).toEqual([expect.objectContaining({ id: pending.id, canDecide: false })]);
    const refused = await developer_.callTool({
      name: 'decide_workflow_approval',
      arguments: { slug, approval: pending.id, decision: 'approve' },
    });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toContain('needs the maintainer role');
    const approved = json(
      await owner_.callTool({
        name: 'decide_workflow_approval',
        arguments: { slug, approval: pending.id, decision: 'approve' },
      }),
    );
    expect(approved).toMatchObject({ status: 'approved' });
    expect((await ended(String(run.id))).status).toBe('succeeded');
  });
});

describe('from the CLI', () => {
  // Each CLI call is a process of its own; under the suite's load (load average 13 on two cores)
  // this test took 105 s alone and passed 120 s in two full runs.
  it('lists the files with their problems, runs one and approves it', { timeout: 300_000 }, async () => {
    const env = { ORCHARD_URL: base, ORCHARD_TOKEN: owner.token };
    const listed = await runOrchard(['workflow', 'list', '--project', slug], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('broken                    INVALID');
    expect(listed.stdout).toContain('  .orchard/workflows/broken.yml:6:');
    expect(listed.stdout).toMatch(/release\s+5 steps/);
    const refused = await runOrchard(['workflow', 'run', 'broken', '--project', slug], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('422');
    const started = await runOrchard(
      ['workflow', 'run', 'release', '--project', slug, '--input', 'checks=["unit"]'],
      env,
    );
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    const pending = await pendingApproval(id);
    const approvals = await runOrchard(['workflow', 'approvals', '--project', slug], env);
    expect(approvals.stdout).toContain(
      `${pending.id}  release/gate  Ship main?  (maintainer, you may decide)`,
    );
    const approved = await runOrchard(
      ['workflow', 'approve', pending.id, '--project', slug, '--comment', 'ok'],
      env,
    );
    expect(approved.stdout).toBe(`Approval ${pending.id} is approved.\n`);
    expect((await ended(id)).status).toBe('succeeded');
  });
});

describe('on a schedule', () => {
  const NIGHTLY = `on:
  schedule:
    - cron: '0 3 * * *'
inputs:
  who: { default: night shift }
steps:
  hello:
    kind: notify
    with: { title: 'Good night, \${{ inputs.who }}' }
`;

  it('syncs on: schedule from the pushes to main and starts runs as the pusher when due', async () => {
    await commitFiles(work, { '.orchard/workflows/nightly.yml': NIGHTLY }, 'Nightly [skip ci]');
    await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
    const listed = (await api('GET', `/api/projects/${slug}/workflows`)).json().items;
    expect(listed.find((w: { name: string }) => w.name === 'nightly')).toMatchObject({
      valid: true,
      schedules: ['0 3 * * *'],
    });
    const schedule = await until(
      async () =>
        (await t.res.db.query('SELECT * FROM workflow_schedules WHERE workflow = $1', ['nightly'])).rows[0] as
          | { next_run_at: Date; run_as: string }
          | undefined,
      10_000,
      'the schedule to be synced',
    );
    expect(schedule.run_as).toBe(owner.user.id);
    expect(schedule.next_run_at.getUTCHours()).toBe(3);

    // Not due yet: nothing starts; due: one run, however many processes tick.
    expect(await runDueWorkflowSchedules(t.res, new Date(schedule.next_run_at.getTime() - 1_000))).toBe(0);
    const due = new Date(schedule.next_run_at.getTime() + 1_000);
    const started = await Promise.all([
      runDueWorkflowSchedules(t.res, due),
      runDueWorkflowSchedules(t.res, due),
    ]);
    expect(started[0]! + started[1]!).toBe(1);
    const runs = (await api('GET', `/api/projects/${slug}/workflow-runs`)).json().items;
    const nightly = runs.find((r: { workflow: string }) => r.workflow === 'nightly');
    expect(nightly).toMatchObject({
      trigger: 'schedule',
      inputs: { who: 'night shift' },
      actor: { name: owner.user.username },
    });
    expect((await ended(nightly.id)).status).toBe('succeeded');

    // The file leaves main: so does its schedule.
    await gitOk(['rm', '-q', '.orchard/workflows/nightly.yml'], work);
    await gitOk(['commit', '-q', '-m', 'No more nights [skip ci]'], work);
    await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
    await until(
      async () =>
        (await t.res.db.query('SELECT 1 FROM workflow_schedules WHERE workflow = $1', ['nightly']))
          .rowCount === 0,
      10_000,
      'the schedule to be removed',
    );
  });
});

describe('a run that ends early', () => {
  it('stops what its steps had started: a cancelled run cancels its running pipeline', async () => {
    const run = (await api('POST', `/api/projects/${slug}/workflows/sleepy/runs`, {})).json();
    const pipeline = await until(
      async () => {
        const items = (await api('GET', `/api/projects/${slug}/pipelines?limit=50`)).json().items as Array<{
          number: number;
          status: string;
        }>;
        for (const p of items) {
          const full = (await api('GET', `/api/projects/${slug}/pipelines/${p.number}`)).json();
          if (
            full.jobs.some(
              (j: { name: string; status: string }) => j.name === 'sleepy' && j.status === 'running',
            )
          )
            return full as { number: number };
        }
        return undefined;
      },
      60_000,
      'the sleepy job to run',
      200,
    );
    expect((await steps(run.id)).nap!.status).toBe('waiting');
    expect((await api('POST', `/api/operations/${run.id}/cancel`)).statusCode).toBe(200);
    // What the workers' tick does (startWorkflowScheduler), with the test app's own resources.
    const deps = { ...t.res, agents: { ...t.res, onPush: [], onEvent: [] } };
    expect(await cancelEndedRunActions(deps)).toBe(1);
    expect((await api('GET', `/api/projects/${slug}/pipelines/${pipeline.number}`)).json().status).toBe(
      'cancelled',
    );
    // Stopped once: a second pass finds nothing left.
    expect(await cancelEndedRunActions(deps)).toBe(0);
  });

  it('fails an approval no one decides within its timeout, and the late decision is refused', async () => {
    await commitFiles(
      work,
      { '.orchard/workflows/hurry.yml': 'steps:\n  gate:\n    kind: approval\n    timeout: 1s\n' },
      'Hurry [skip ci]',
    );
    await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
    const run = (await api('POST', `/api/projects/${slug}/workflows/hurry/runs`, {})).json();
    const approval = await pendingApproval(run.id);
    expect(approval.title).toBe('Approve gate?');
    const op = await ended(run.id);
    expect(op.status).toBe('failed');
    expect(op.error).toMatchObject({ step: 'gate', message: 'No one approved or rejected within 1s.' });
    const late = await api('POST', `/api/projects/${slug}/workflow-approvals/${approval.id}/approve`, {});
    expect(late.statusCode).toBe(409);
    const listed = (await api('GET', `/api/projects/${slug}/workflow-approvals?run=${run.id}`)).json().items;
    expect(listed[0]).toMatchObject({ status: 'expired', canDecide: false });
  });
});

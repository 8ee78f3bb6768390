import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createProjectAs, gitOk } from '../../../test/git.ts';
import type { Actor } from '../../platform/http/actor.ts';
import {
  addWorktree,
  branchHead,
  type PushEvent,
  removeWorktree,
  repositoryPath,
  SecretsFoundError,
} from '../git/index.ts';
import { startOperation } from '../operations/index.ts';
import { findProjectBySlug } from '../projects/index.ts';
import { openMergeRequestsOn, reviewsOnPush } from '../reviews/index.ts';
import { autopilotBlueprint } from '../studio/index.ts';
import type { AgentEvent, AgentRuntime, AgentTask } from './agent-runtime.ts';
import { buildOnBranch } from './build-on-branch.ts';
import { AgentBudgetExceededError, driveAgent } from './drive-agent.ts';
import { createScaffoldRuntime, SCAFFOLD_MANIFEST } from './scaffold/scaffold-runtime.ts';
import { SCAFFOLD_IDENTITY } from './workspace.ts';

let t: TestApp;
const pushes: PushEvent[] = [];
let deps: Parameters<typeof buildOnBranch>[0];
beforeAll(async () => {
  t = await createTestApp();
  deps = { ...t.res, onPush: [reviewsOnPush(t.res, []), async (p) => void pushes.push(p)], onEvent: [] };
});
afterAll(async () => t?.close());

function task(prompt: string): AgentTask {
  const blueprint = autopilotBlueprint(prompt);
  return {
    title: `Build ${blueprint.feature}`,
    spec: '# spec',
    blueprint,
    template: blueprint.template ?? 'crud-app',
  };
}

/** The person who asks for the builds (a developer of the projects they make). */
let requester: Actor;

async function build(slug: string, prompt: string, events: AgentEvent[] = [], description = 'Scaffolded.') {
  const project = (await findProjectBySlug(t.res.db, slug))!;
  return buildOnBranch(deps, {
    project,
    branch: 'orchard/gallery',
    runtime: createScaffoldRuntime(),
    task: task(prompt),
    requester,
    identity: SCAFFOLD_IDENTITY,
    mergeRequest: { title: 'Build the gallery', description },
    signal: new AbortController().signal,
    onEvent: (e) => void events.push(e),
  });
}

describe('the scaffold runtime on a branch', () => {
  it('gives an empty repository a first commit, commits the app on the branch, announces the push and opens a merge request — as the agent acting for the requester', async () => {
    const owner = await t.user('member');
    requester = personActor(owner.user);
    const slug = await createProjectAs(t, owner.token, 'gallery');
    const events: AgentEvent[] = [];
    const result = await build(slug, 'a photo gallery where visitors can like photos', events);
    const repo = repositoryPath(t.config.home, slug);
    const main = await branchHead(repo, 'main');
    expect(main).toBeDefined();
    expect(result).toMatchObject({
      branch: 'orchard/gallery',
      baseSha: main,
      changed: true,
      mergeRequestOpened: true,
      runtime: 'scaffold',
    });
    expect(await branchHead(repo, 'orchard/gallery')).toBe(result.sha);
    const files = await gitOk(['ls-tree', '-r', '--name-only', result.sha], repo);
    expect(files).toContain('models/photo.js');
    expect(files).toContain('.orchard/pipeline.yml');
    expect(files).toContain(SCAFFOLD_MANIFEST);
    const author = await gitOk(['log', '-1', '--format=%an <%ae>|%s', result.sha], repo);
    expect(author.trim()).toBe('Orchard scaffold <orchard@localhost>|Build Photo gallery');
    // The first commit on main is the person's (no agent may push main); the app is the agent's.
    expect(pushes.slice(-2).map((p) => [p.actor.username, p.updates.map((u) => [u.ref, u.newSha])])).toEqual([
      [owner.user.username, [['refs/heads/main', main]]],
      ['agent-gallery', [['refs/heads/orchard/gallery', result.sha]]],
    ]);
    expect(pushes.at(-1)?.actor.delegation).toMatchObject({
      byUsername: owner.user.username,
      pushBranches: 'orchard/*',
    });
    expect(events.filter((e) => e.type === 'file').length).toBe(result.filesChanged);
    expect(events.at(-1)?.type).toBe('result');
    const [mr] = await openMergeRequestsOn(t.res.db, pushes.at(-1)!.projectId, 'source', 'orchard/gallery');
    expect(mr).toMatchObject({
      number: result.mergeRequestNumber,
      target_branch: 'main',
      head_sha: result.sha,
    });
    const audit = await t.res.db.query<{ actor_name: string; on_behalf: string | null }>(
      `SELECT actor_name, data->'onBehalfOf'->>'username' AS on_behalf FROM audit_log
        WHERE action = 'merge_request.create' AND target_id = $1`,
      [String(mr!.id)],
    );
    expect(audit.rows).toEqual([
      { actor_name: `agent-gallery (for ${owner.user.username})`, on_behalf: owner.user.username },
    ]);
  });

  it('rebuilds on the branch head: same merge request, synchronized, and files it no longer renders removed', async () => {
    const first = await build('gallery', 'a photo gallery with albums of photos');
    const repo = repositoryPath(t.config.home, 'gallery');
    expect(await gitOk(['ls-tree', '-r', '--name-only', first.sha], repo)).toContain('models/album.js');
    const again = await build(
      'gallery',
      'a photo gallery where visitors can like photos',
      [],
      'Built from v2.',
    );
    expect(again).toMatchObject({
      baseSha: first.sha,
      mergeRequestOpened: false,
      mergeRequestNumber: first.mergeRequestNumber,
    });
    // The merge request describes what the rebuild built, not what the first build did.
    const [rebuilt] = await openMergeRequestsOn(
      t.res.db,
      pushes.at(-1)!.projectId,
      'source',
      'orchard/gallery',
    );
    expect(rebuilt?.description).toBe('Built from v2.');
    expect(await gitOk(['ls-tree', '-r', '--name-only', again.sha], repo)).not.toContain('models/album.js');
    const [mr] = await openMergeRequestsOn(t.res.db, pushes.at(-1)!.projectId, 'source', 'orchard/gallery');
    expect(mr?.head_sha).toBe(again.sha);
    const same = await build('gallery', 'a photo gallery where visitors can like photos');
    expect(same).toMatchObject({ sha: again.sha, changed: false });
  });
});

describe('delivering to a merge request into another branch', () => {
  it('lands on the open merge request from the branch, whatever its target, instead of opening a second one', async () => {
    const owner = await t.user('member');
    requester = personActor(owner.user);
    const slug = await createProjectAs(t, owner.token, 'stacked');
    const first = await build(slug, 'a photo gallery with albums of photos');
    const repo = repositoryPath(t.config.home, slug);
    const h = { authorization: `Bearer ${owner.token}` };
    await gitOk(['update-ref', 'refs/heads/release', (await branchHead(repo, 'main'))!], repo);
    const closed = await t.http.inject({
      method: 'PATCH',
      url: `/api/projects/${slug}/merge-requests/${first.mergeRequestNumber}`,
      headers: h,
      payload: { state: 'closed' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const intoRelease = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests`,
      headers: h,
      payload: { title: 'Gallery for the release', sourceBranch: 'orchard/gallery', targetBranch: 'release' },
    });
    expect(intoRelease.statusCode, intoRelease.body).toBe(201);
    const again = await build(slug, 'a photo gallery where visitors can like photos');
    expect(again).toMatchObject({ mergeRequestOpened: false, mergeRequestNumber: intoRelease.json().number });
    const open = await openMergeRequestsOn(
      t.res.db,
      (await findProjectBySlug(t.res.db, slug))!.id,
      'source',
      'orchard/gallery',
    );
    expect(open.map((mr) => mr.target_branch)).toEqual(['release']);
  });
});

describe('secret scanning of what an agent delivers', () => {
  it('refuses a delivery that adds a private key, naming the file, and leaves the branch where it was', async () => {
    const owner = await t.user('member');
    requester = personActor(owner.user);
    const slug = await createProjectAs(t, owner.token, 'leaky');
    const first = await build(slug, 'a photo gallery where visitors can like photos');
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    }) as string;
    const leaky: AgentRuntime = {
      name: 'leaky',
      async *run(_task, ws) {
        await mkdir(path.join(ws.dir, 'deploy'), { recursive: true });
        await writeFile(path.join(ws.dir, 'deploy', 'id_rsa'), pem);
        yield { type: 'result', summary: 'Added the deploy key.' };
      },
    };
    const project = (await findProjectBySlug(t.res.db, slug))!;
    const error = await buildOnBranch(deps, {
      project,
      branch: 'orchard/gallery',
      runtime: leaky,
      task: task('a photo gallery where visitors can like photos'),
      requester,
      identity: SCAFFOLD_IDENTITY,
      mergeRequest: { title: 'Build the gallery', description: 'x' },
      signal: new AbortController().signal,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(SecretsFoundError);
    expect((error as Error).message).toContain('deploy/id_rsa:1');
    expect((error as Error).message).not.toContain(pem.split('\n')[1]);
    expect(await branchHead(repositoryPath(t.config.home, slug), 'orchard/gallery')).toBe(first.sha);
  });
});

describe('agent workspaces', () => {
  it('a build removes the worktrees killed workers left for ended operations, and keeps live ones', async () => {
    const owner = await t.user('member');
    requester = personActor(owner.user);
    const slug = await createProjectAs(t, owner.token, 'leftovers');
    await build(slug, 'a photo gallery where visitors can like photos');
    const repo = repositoryPath(t.config.home, slug);
    const agents = path.join(t.config.home, 'work', 'agents');
    const start = () => startOperation(t.res.db, t.res.registry, { kind: 'system.canary', input: {} });
    const [ended, live] = [(await start()).id, (await start()).id];
    await t.res.db.query(`UPDATE operations SET status = 'failed', finished_at = now() WHERE id = $1`, [
      ended,
    ]);
    const main = (await branchHead(repo, 'main'))!;
    // What a worker killed mid-implement leaves: a registered worktree under work/agents.
    const endedDir = await addWorktree(repo, path.join(agents, `${slug}-${ended}`), main);
    const liveDir = await addWorktree(repo, path.join(agents, `${slug}-${live}`), main);
    const gone = path.join(agents, `${slug}-${randomUUID()}`);
    await mkdir(gone, { recursive: true });

    await build(slug, 'a photo gallery where visitors can like photos and comment');
    expect(existsSync(endedDir)).toBe(false);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(liveDir)).toBe(true);
    const listed = await gitOk(['worktree', 'list', '--porcelain'], repo);
    expect(listed).not.toContain(endedDir);
    expect(listed).toContain(liveDir);
    await removeWorktree(repo, liveDir);
  });
});

describe('driveAgent', () => {
  const workspace = { dir: '/nonexistent', branch: 'b', baseSha: 'x', projectSlug: 'p' };
  const spender: AgentRuntime = {
    name: 'spender',
    async *run(_task, _ws, ctx) {
      for (let step = 1; ; step++) {
        yield {
          type: 'usage',
          steps: step,
          inputTokens: step * 100,
          outputTokens: step * 10,
          costUsd: step * 0.01,
        };
        await new Promise((r) => setTimeout(r, 1));
        ctx.signal.throwIfAborted();
      }
    },
  };
  const stuck: AgentRuntime = {
    name: 'stuck',
    async *run() {
      yield { type: 'phase', phase: 'think' };
      await new Promise(() => {});
    },
  };

  it('stops a runtime that passes its step, token or cost budget', async () => {
    for (const [budget, limit] of [
      [{ maxSteps: 3 }, 'maxSteps'],
      [{ maxTokens: 500 }, 'maxTokens'],
      [{ maxCostUsd: 0.025 }, 'maxCostUsd'],
    ] as const) {
      const error = await driveAgent(spender, { ...task('a todo list'), budget }, workspace, {
        signal: new AbortController().signal,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(AgentBudgetExceededError);
      expect((error as AgentBudgetExceededError).limit).toBe(limit);
    }
  });

  it('ends a runtime that hangs, on cancellation and on its wall-time budget', async () => {
    const controller = new AbortController();
    const running = driveAgent(stuck, task('a todo list'), workspace, {
      signal: controller.signal,
      onEvent: () => controller.abort(new Error('cancelled by the user')),
    });
    await expect(running).rejects.toThrow('cancelled by the user');
    const timed = await driveAgent(stuck, { ...task('a todo list'), budget: { maxWallMs: 50 } }, workspace, {
      signal: new AbortController().signal,
    }).catch((e) => e);
    expect((timed as AgentBudgetExceededError).limit).toBe('maxWallMs');
  });
});

function personActor(user: { id: string; username: string; role: 'member' | 'admin' }): Actor {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    via: 'token',
    scopes: ['read', 'write'],
  };
}

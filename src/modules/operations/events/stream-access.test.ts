import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { readSse, type SseEvent } from '../../../platform/http/sse-reader.ts';
import { authenticateToken, delegateToken } from '../../identity/index.ts';
import { agentProjects } from '../../projects/index.ts';
import { defineStep, defineWorkflow } from '../engine/define.ts';
import { startOperation } from '../start-operation.ts';
import { emitEvent } from './emit-event.ts';

/**
 * Live streams follow access: two replicas share one database; streams are opened on `b` while
 * access is taken away through `a`, so the news has to cross processes (LISTEN/NOTIFY).
 */
let a: TestApp;
let b: TestApp;
let base: string;
let admin: { token: string };
const open: Array<() => void> = [];

beforeAll(async () => {
  a = await createTestApp();
  b = await createTestApp({}, { database: a.database });
  a.res.registry.add(
    defineWorkflow('test.job', z.object({}), () => [{ key: 'job', step: 'test.job-step' }]),
    defineStep('test.job-step', { handler: async () => 'never claimed: no worker runs here' }),
  );
  await b.http.listen({ port: 0, host: '127.0.0.1' });
  const address = b.http.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  admin = await a.user('admin');
});
afterAll(async () => {
  for (const stop of open) stop();
  await b?.close();
  await a?.close();
});

const call = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
  a.http.inject({ method, url, headers: bearer(token), payload });

/** A project owned by a fresh member, with a running job whose log lines the test writes itself. */
async function projectWithJob() {
  const owner = await a.user('member');
  const created = await call('POST', '/api/projects', owner.token, { name: 'Streams' });
  expect(created.statusCode, created.body).toBe(201);
  const project = created.json() as { id: string; slug: string };
  const { id } = await startOperation(a.res.db, a.res.registry, {
    kind: 'test.job',
    input: {},
    actor: SYSTEM_ACTOR,
    projectId: project.id,
  });
  // What a pipeline job's sandbox output becomes: `log` events of the job's step.
  const say = (text: string) =>
    emitEvent(
      a.res.db,
      a.res.clock,
      { operationId: id, projectId: project.id, stepKey: 'job' },
      {
        type: 'log',
        stream: 'stdout',
        text,
      },
    );
  const addMember = async (username: string, role: string) => {
    const r = await call('PUT', `/api/projects/${project.slug}/members/${username}`, owner.token, { role });
    expect(r.statusCode, r.body).toBe(200);
  };
  return { owner, project, operationId: id, say, addMember };
}

interface OpenStream {
  events: SseEvent[];
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Waits (with a deadline) until an event satisfies `match`. */
  waitFor(match: (e: SseEvent) => boolean, what: string, timeoutMs?: number): Promise<SseEvent>;
}

async function openStream(path: string, headers: Record<string, string>, server = base): Promise<OpenStream> {
  const controller = new AbortController();
  open.push(() => controller.abort());
  const response = await fetch(`${server}${path}`, {
    headers: { ...headers, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const ended = (async () => {
    try {
      for await (const event of readSse(response.body!)) {
        events.push(event);
        for (const wake of waiters) wake();
      }
    } catch {
      // aborted by the test
    }
    done = true;
    for (const wake of waiters) wake();
  })();
  return {
    events,
    ended,
    isEnded: () => done,
    async waitFor(match, what, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (done) throw new Error(`The stream ended before ${what}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`Timed out waiting for ${what}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

/** Waits (with a deadline) for the server to end the stream. */
async function endOf(stream: OpenStream, timeoutMs = 5_000) {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    stream.ended,
    new Promise((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `The stream was still open ${timeoutMs} ms later; it had delivered: ${stream.events
                .map((e) => `${e.event} ${e.data.slice(0, 80)}`)
                .join(' | ')}`,
            ),
          ),
        timeoutMs,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

const logText = (e: SseEvent) => (e.event === 'message' ? (JSON.parse(e.data).data?.text as string) : '');
const saying = (text: string) => (e: SseEvent) => logText(e) === text;

/** After the change: the stream's last word is an `end` event saying why, and nothing from after it. */
function expectEndedForAccess(stream: OpenStream, after: string) {
  const last = stream.events.at(-1)!;
  expect(last.event).toBe('end');
  expect(JSON.parse(last.data)).toMatchObject({ reason: 'access revoked' });
  expect(stream.events.some(saying(after))).toBe(false);
}

describe('live streams follow access', () => {
  it('ends a member’s job log stream on another replica when the owner removes them; others keep theirs', async () => {
    const job = await projectWithJob();
    const [leaving, staying] = [await a.user('member'), await a.user('member')];
    await job.addMember(leaving.user.username, 'developer');
    await job.addMember(staying.user.username, 'viewer');
    const url = `/api/operations/${job.operationId}/events?step=job`;
    const gone = await openStream(url, bearer(leaving.token));
    const kept = await openStream(url, bearer(staying.token));
    await job.say('before');
    await gone.waitFor(saying('before'), 'the first log line');
    await kept.waitFor(saying('before'), 'the first log line (staying member)');

    const removed = await call(
      'DELETE',
      `/api/projects/${job.project.slug}/members/${leaving.user.username}`,
      job.owner.token,
    );
    expect(removed.statusCode).toBe(204);
    await job.say('after');
    await endOf(gone);
    expectEndedForAccess(gone, 'after');
    expect(JSON.parse(gone.events.at(-1)!.data).message).toMatch(/not a member/);
    await kept.waitFor(saying('after'), 'the log line after the removal (staying member)');
    expect(kept.isEnded()).toBe(false);
  });

  it('keeps a stream whose holder is demoted but still reaches the route’s role; ends an admin’s once demoted to member', async () => {
    const job = await projectWithJob();
    const member = await a.user('member');
    await job.addMember(member.user.username, 'developer');
    const outsiderAdmin = await a.user('admin');
    const memberStream = await openStream(`/api/projects/${job.project.slug}/activity`, bearer(member.token));
    const adminStream = await openStream(
      `/api/projects/${job.project.slug}/activity`,
      bearer(outsiderAdmin.token),
    );
    await job.say('one');
    await memberStream.waitFor(saying('one'), 'the first line (member)');
    await adminStream.waitFor(saying('one'), 'the first line (admin)');

    // developer → viewer: the activity stream needs viewer, so it goes on.
    await job.addMember(member.user.username, 'viewer');
    const demoted = await call('PATCH', `/api/users/${outsiderAdmin.user.id}`, admin.token, {
      role: 'member',
    });
    expect(demoted.statusCode, demoted.body).toBe(200);
    await job.say('two');
    await endOf(adminStream);
    expectEndedForAccess(adminStream, 'two');
    await memberStream.waitFor(saying('two'), 'the line after the demotion (viewer)');
    expect(memberStream.isEnded()).toBe(false);
  });

  it('ends an agent’s stream when the person it acts for leaves the project', async () => {
    const job = await projectWithJob();
    const person = await a.user('member');
    await job.addMember(person.user.username, 'developer');
    const agent = await delegateToken(
      { db: a.res.db, clock: a.res.clock, projects: agentProjects(a.res.db) },
      {
        delegatedBy: await authenticateToken(a.res.db, a.res.clock, person.token),
        projectId: job.project.id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    );
    const stream = await openStream(`/api/operations/${job.operationId}/events`, bearer(agent.token));
    await job.say('before');
    await stream.waitFor(saying('before'), 'the first line');
    const removed = await call(
      'DELETE',
      `/api/projects/${job.project.slug}/members/${person.user.username}`,
      job.owner.token,
    );
    expect(removed.statusCode).toBe(204);
    await job.say('after');
    await endOf(stream);
    expectEndedForAccess(stream, 'after');
    expect(JSON.parse(stream.events.at(-1)!.data).message).toContain(
      `${person.user.username} is no longer a member`,
    );
  });

  it('ends a stream when its token is revoked', async () => {
    const job = await projectWithJob();
    const stream = await openStream(`/api/operations/${job.operationId}/events`, bearer(job.owner.token));
    await job.say('before');
    await stream.waitFor(saying('before'), 'the first line');
    const tokens = (await a.http.inject({ url: '/api/tokens', headers: bearer(job.owner.token) })).json();
    const revoked = await call('DELETE', `/api/tokens/${tokens.items[0].id}`, job.owner.token);
    expect(revoked.statusCode, revoked.body).toBe(200);
    await job.say('after');
    await endOf(stream);
    expectEndedForAccess(stream, 'after');
    expect(JSON.parse(stream.events.at(-1)!.data).message).toMatch(/revoked/);
  });

  it('ends every stream of a user who is disabled', async () => {
    const job = await projectWithJob();
    const events = await openStream(`/api/operations/${job.operationId}/events`, bearer(job.owner.token));
    const activity = await openStream(`/api/projects/${job.project.slug}/activity`, bearer(job.owner.token));
    await job.say('before');
    await events.waitFor(saying('before'), 'the first line');
    await activity.waitFor(saying('before'), 'the first line (activity)');
    const disabled = await call('PATCH', `/api/users/${job.owner.user.id}`, admin.token, { disabled: true });
    expect(disabled.statusCode, disabled.body).toBe(200);
    await job.say('after');
    await endOf(events);
    await endOf(activity);
    expectEndedForAccess(events, 'after');
    expectEndedForAccess(activity, 'after');
  });

  it('ends a browser session’s stream when the session logs out', async () => {
    const job = await projectWithJob();
    const login = await a.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: job.owner.user.username, password: job.owner.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const stream = await openStream(`/api/operations/${job.operationId}/events`, { cookie });
    await job.say('before');
    await stream.waitFor(saying('before'), 'the first line');
    const out = await a.http.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-csrf-token': login.json().csrfToken },
    });
    expect(out.statusCode, out.body).toBe(204);
    await job.say('after');
    await endOf(stream);
    expectEndedForAccess(stream, 'after');
  });

  it('ends a stream when its token expires, without anyone touching it', async () => {
    const job = await projectWithJob();
    const expiresInMs = 1_500;
    await a.res.db.query(
      `UPDATE api_tokens SET expires_at = now() + $2 * interval '1 millisecond'
       WHERE user_id = $1`,
      [job.owner.user.id, expiresInMs],
    );
    const stream = await openStream(`/api/operations/${job.operationId}/events`, bearer(job.owner.token));
    await job.say('before');
    await stream.waitFor(saying('before'), 'the first line');
    await endOf(stream, expiresInMs + 5_000);
    await job.say('after');
    expectEndedForAccess(stream, 'after');
    expect(JSON.parse(stream.events.at(-1)!.data).message).toMatch(/expired/);
  });

  it('re-checks open streams periodically, so a change nobody announced still ends them', async () => {
    const c = await createTestApp({ 'access.streamRecheckMs': 300 }, { database: a.database });
    try {
      await c.http.listen({ port: 0, host: '127.0.0.1' });
      const address = c.http.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const job = await projectWithJob();
      const stream = await openStream(
        `/api/operations/${job.operationId}/events`,
        bearer(job.owner.token),
        `http://127.0.0.1:${port}`,
      );
      await job.say('before');
      await stream.waitFor(saying('before'), 'the first line');
      // Straight into the table: no use case, so no notice.
      await a.res.db.query('UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1', [
        job.owner.user.id,
      ]);
      await endOf(stream);
      await job.say('after');
      expectEndedForAccess(stream, 'after');
    } finally {
      await c.close();
    }
  });
});

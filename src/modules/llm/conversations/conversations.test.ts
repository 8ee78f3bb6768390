import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type User = Awaited<ReturnType<TestApp['user']>>;
const call = (
  user: User,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) => t.http.inject({ method, url, headers: bearer(user.token), ...(payload ? { payload } : {}) });

async function conversationWith(user: User, messages: Array<[string, string]>, project?: string) {
  const created = await call(user, 'POST', '/api/conversations', {
    title: 'Chat',
    ...(project ? { project } : {}),
  });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;
  for (const [role, content] of messages) {
    expect(
      (await call(user, 'POST', `/api/conversations/${id}/messages`, { role, content })).statusCode,
    ).toBe(201);
  }
  return id;
}

describe('conversations', () => {
  it('keeps a personal conversation private to its owner', async () => {
    const alice = await t.user('member');
    const bob = await t.user('member');
    const id = await conversationWith(alice, [
      ['user', 'Build me a photo gallery'],
      ['assistant', 'Sure: what should visitors be able to do?'],
    ]);
    const detail = (await call(alice, 'GET', `/api/conversations/${id}`)).json();
    expect(detail).toMatchObject({ title: 'Chat', projectId: null, messageCount: 2 });
    expect(detail.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect((await call(bob, 'GET', `/api/conversations/${id}`)).statusCode).toBe(404);
    expect(
      (await call(bob, 'POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'hi' }))
        .statusCode,
    ).toBe(404);
    expect((await call(bob, 'GET', '/api/conversations')).json().items).toEqual([]);
    expect(
      (await call(alice, 'GET', '/api/conversations')).json().items.map((c: { id: string }) => c.id),
    ).toEqual([id]);
    const renamed = await call(alice, 'PATCH', `/api/conversations/${id}`, { title: 'Gallery chat' });
    expect(renamed.json().title).toBe('Gallery chat');
  });

  it('scopes project conversations by role: viewers read, developers write, strangers are refused', async () => {
    const owner = await t.user('member');
    const viewer = await t.user('member');
    const stranger = await t.user('member');
    await call(owner, 'POST', '/api/projects', { name: 'Shop', slug: 'shop' });
    await call(owner, 'PUT', `/api/projects/shop/members/${viewer.user.username}`, { role: 'viewer' });
    const id = await conversationWith(owner, [['user', 'a shop with a cart']], 'shop');
    expect((await call(viewer, 'GET', `/api/conversations/${id}`)).statusCode).toBe(200);
    expect((await call(viewer, 'GET', '/api/conversations?project=shop')).json().items).toHaveLength(1);
    expect(
      (await call(viewer, 'POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'x' }))
        .statusCode,
    ).toBe(403);
    expect((await call(viewer, 'POST', '/api/conversations', { project: 'shop' })).statusCode).toBe(403);
    expect((await call(stranger, 'GET', `/api/conversations/${id}`)).statusCode).toBe(403);
    expect((await call(stranger, 'GET', '/api/conversations?project=shop')).statusCode).toBe(403);
    const bad = await call(owner, 'POST', `/api/conversations/${id}/messages`, {
      role: 'robot',
      content: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.role');
  });

  it('finds conversations by the words of their messages, stemmed, with the matching passage', async () => {
    const carol = await t.user('member');
    const gallery = await conversationWith(carol, [
      ['user', 'I want a gallery where visitors can like photos.'],
      ['assistant', 'Liked photos will show a heart counter.'],
    ]);
    await conversationWith(carol, [['user', 'A todo list with due dates.']]);
    const hits = (await call(carol, 'GET', '/api/conversations?q=liking%20photo')).json().items;
    expect(hits.map((c: { id: string }) => c.id)).toEqual([gallery]);
    expect(hits[0].match).toMatch(/«[Ll]ike[d]?».*«photos»/);
    expect((await call(carol, 'GET', '/api/conversations?q=%22due%20dates%22%20-todo')).json().items).toEqual(
      [],
    );
    expect((await call(carol, 'GET', '/api/conversations?q=dates')).json().items).toHaveLength(1);
  });

  it('exports to Markdown and JSON, and deletes', async () => {
    const dave = await t.user('member');
    const id = await conversationWith(dave, [
      ['user', 'Hello **there**'],
      ['assistant', 'Hi! How can I help?'],
    ]);
    const md = await call(dave, 'GET', `/api/conversations/${id}/export`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.headers['content-disposition']).toBe(`attachment; filename="conversation-${id}.md"`);
    expect(md.body).toMatch(/^# Chat\n/);
    expect(md.body).toMatch(
      /## User · .*\n\nHello \*\*there\*\*\n\n## Assistant · .*\n\nHi! How can I help\?/,
    );
    const json = await call(dave, 'GET', `/api/conversations/${id}/export?format=json`);
    expect(json.json().conversation.messages.map((m: { content: string }) => m.content)).toEqual([
      'Hello **there**',
      'Hi! How can I help?',
    ]);
    expect((await call(dave, 'DELETE', `/api/conversations/${id}`)).statusCode).toBe(204);
    expect((await call(dave, 'GET', `/api/conversations/${id}`)).statusCode).toBe(404);
    const { rows } = await t.res.db.query(
      'SELECT count(*)::int AS n FROM conversation_messages WHERE conversation_id = $1',
      [id],
    );
    expect(rows[0].n).toBe(0);
    const audit = await t.res.db.query('SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id', [id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['conversation.create', 'conversation.delete']);
  });
});

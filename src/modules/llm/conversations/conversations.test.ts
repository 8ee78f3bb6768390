import { randomUUID } from 'node:crypto';
import type { Heading, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString as textOf } from 'mdast-util-to-string';
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

  it('searches every conversation the caller may read, and only those', async () => {
    const admin = await t.user('admin');
    const dev = await t.user('member');
    const viewer = await t.user('member');
    const outsider = await t.user('member');
    for (const name of ['Orchids', 'Cacti'])
      expect((await call(dev, 'POST', '/api/projects', { name })).statusCode).toBe(201);
    await call(dev, 'PUT', `/api/projects/orchids/members/${viewer.user.username}`, { role: 'viewer' });
    const orchids = await conversationWith(dev, [['user', 'Water the phalaenopsis weekly']], 'orchids');
    const cacti = await conversationWith(dev, [['user', 'Water the saguaro monthly']], 'cacti');
    const mine = await conversationWith(dev, [['user', 'Water my own plants daily']]);
    const theirs = await conversationWith(outsider, [['user', 'Water the neighbour’s lawn']]);
    await conversationWith(dev, [['user', 'Prune the roses']], 'orchids');

    const found = async (user: User, q: string, project?: string) => {
      const query = new URLSearchParams({ q, ...(project ? { project } : {}) });
      const res = await call(user, 'GET', `/api/conversations?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as Array<{ id: string; match: string; project: { slug: string } | null }>;
    };
    const ids = (items: Array<{ id: string }>) => items.map((c) => c.id).sort();
    // A member: their projects' conversations and their own personal ones, never someone else's.
    expect(ids(await found(dev, 'water'))).toEqual([orchids, cacti, mine].sort());
    // A viewer of one project sees that project's, not the other's nor the owner's personal ones.
    expect(ids(await found(viewer, 'water'))).toEqual([orchids]);
    expect(await found(outsider, 'saguaro')).toEqual([]);
    expect(ids(await found(outsider, 'water'))).toEqual([theirs]);
    // An instance admin reads every project's conversations, but a person's own stay private.
    expect(ids(await found(admin, 'water'))).toEqual([orchids, cacti].sort());
    // Scoped to a project; one the caller cannot read is refused, not silently empty.
    expect(ids(await found(dev, 'water', 'orchids'))).toEqual([orchids]);
    expect((await call(outsider, 'GET', '/api/conversations?project=orchids&q=water')).statusCode).toBe(403);

    // The hit names its project and shows the matched word (stemmed: "watering" finds "Water").
    const [hit] = await found(viewer, 'watering phalaenopsis');
    expect(hit).toMatchObject({ id: orchids, project: { slug: 'orchids', name: 'Orchids' } });
    expect(hit!.match).toBe('«Water» the «phalaenopsis» weekly');
    // Words, phrases and exclusions (web-search syntax).
    expect(ids(await found(dev, '"the saguaro"'))).toEqual([cacti]);
    expect(ids(await found(dev, 'water -monthly -daily'))).toEqual([orchids]);
    const bad = await call(dev, 'GET', `/api/conversations?q=${'x'.repeat(201)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('querystring.q');
  });

  it('exports correct Markdown and JSON with roles, times and who answered, fallback included', async () => {
    const erin = await t.user('member');
    await call(erin, 'POST', '/api/projects', { name: 'Bakery' });
    const { rows } = await t.res.db.query("SELECT id FROM projects WHERE slug = 'bakery'");
    const projectId = rows[0].id as string;
    // The gateway's records of one call: the first model failed, the fallback answered.
    const callId = randomUUID();
    for (const [attempt, provider, model, outcome, fallbackFrom] of [
      [1, 'gemini', 'gemini-2.5-pro', 'error', null],
      [2, 'anthropic', 'claude-sonnet-4-5', 'ok', 'gemini/gemini-2.5-pro'],
    ] as const)
      await t.res.db.query(
        `INSERT INTO llm_calls (call_id, attempt, retry_index, provider, model, alias, outcome, fallback_from,
           duration_ms, project_id, started_at)
         VALUES ($1, $2, 0, $3, $4, 'architect', $5, $6, 10, $7, now())`,
        [callId, attempt, provider, model, outcome, fallbackFrom, projectId],
      );
    const id = await conversationWith(erin, [], 'bakery');
    const add = (payload: object) => call(erin, 'POST', `/api/conversations/${id}/messages`, payload);
    await add({ role: 'user', content: 'Show me the *recipe* as code:\n\n```js\nconst loaf = bake(' });
    const reply = await add({ role: 'assistant', content: 'Here it is.', llmCallId: callId });
    expect(reply.json().answeredBy).toEqual({
      kind: 'model',
      alias: 'architect',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      fallbackFrom: 'gemini/gemini-2.5-pro',
      failed: false,
    });
    await add({
      role: 'assistant',
      content: 'A rule-based reply.\n\n<!-- a note left open',
      data: { answeredBy: 'rules' },
    });
    await call(erin, 'PATCH', `/api/conversations/${id}`, { title: 'Loaves # and `rolls`' });

    const md = await call(erin, 'GET', `/api/conversations/${id}/export?format=markdown`);
    expect(md.statusCode).toBe(200);
    const tree: Root = fromMarkdown(md.body);
    const headings = tree.children.filter((n): n is Heading => n.type === 'heading');
    expect(headings.map((n) => [n.depth, textOf(n)])).toEqual([
      [1, 'Loaves # and `rolls`'],
      [2, expect.stringMatching(/^User · \d{4}-\d\d-\d\dT[\d:.]+Z$/)],
      [
        2,
        expect.stringMatching(
          /· architect · anthropic\/claude-sonnet-4-5 \(fallback from gemini\/gemini-2\.5-pro\)$/,
        ),
      ],
      [2, expect.stringMatching(/^Assistant · .* · rules$/)],
    ]);
    // Each message's text stays inside its own section: the code the first one left open is
    // closed before the next heading, the unclosed HTML comment before the end.
    const nextTo = (heading: Heading) => tree.children[tree.children.indexOf(heading) + 1] as RootContent;
    expect(nextTo(headings[1]!)).toMatchObject({ type: 'paragraph' });
    expect(tree.children.filter((n) => n.type === 'code').map((n) => [n.lang, n.value])).toEqual([
      ['js', 'const loaf = bake('],
      ['json', expect.stringContaining('"answeredBy": "rules"')],
    ]);
    expect(textOf(nextTo(headings[2]!))).toBe('Here it is.');
    expect(md.body).toMatch(/- Project: Bakery \(`bakery`\)\n/);

    const json = await call(erin, 'GET', `/api/conversations/${id}/export?format=json`);
    expect(json.headers['content-disposition']).toBe(`attachment; filename="conversation-${id}.json"`);
    const exported = json.json();
    expect(exported.exportedAt).toEqual(expect.any(String));
    expect(exported.conversation.project).toEqual({ slug: 'bakery', name: 'Bakery' });
    expect(
      exported.conversation.messages.map((m: { role: string; answeredBy: unknown }) => [
        m.role,
        m.answeredBy,
      ]),
    ).toEqual([
      ['user', null],
      ['assistant', expect.objectContaining({ kind: 'model', fallbackFrom: 'gemini/gemini-2.5-pro' })],
      ['assistant', { kind: 'rules' }],
    ]);
  });

  it("never shows another project's call on a reply that names it", async () => {
    const frank = await t.user('member');
    const grace = await t.user('member');
    await call(frank, 'POST', '/api/projects', { name: 'Secret lab' });
    const { rows } = await t.res.db.query("SELECT id FROM projects WHERE slug = 'secret-lab'");
    const callId = randomUUID();
    await t.res.db.query(
      `INSERT INTO llm_calls (call_id, attempt, retry_index, provider, model, alias, outcome, duration_ms, project_id, started_at)
       VALUES ($1, 1, 0, 'anthropic', 'claude-opus-internal', 'architect', 'ok', 10, $2, now())`,
      [callId, rows[0].id],
    );
    const id = await conversationWith(grace, []);
    const res = await call(grace, 'POST', `/api/conversations/${id}/messages`, {
      role: 'assistant',
      content: 'hi',
      llmCallId: callId,
    });
    expect(res.json().answeredBy).toBeNull();
    expect((await call(grace, 'GET', `/api/conversations/${id}`)).json().messages[0].answeredBy).toBeNull();
  });
});

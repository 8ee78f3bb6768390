import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
let h: { authorization: string };
let slug: string;
beforeAll(async () => {
  t = await createTestApp();
  h = bearer((await t.user('member')).token);
  slug = (
    await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: 'Studio' } })
  ).json().slug;
});
afterAll(async () => t?.close());

async function create(payload: object) {
  const res = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/blueprints`,
    headers: h,
    payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('Blueprints over the API', () => {
  it('lists templates with pre-filled Blueprints', async () => {
    const res = (await t.http.inject({ url: '/api/templates', headers: h })).json();
    expect(res.items.map((i: { id: string }) => i.id)).toEqual(
      expect.arrayContaining(['crud-app', 'landing-page']),
    );
  });

  it('chats with the rule-based Architect: each turn stores message, reply and a snapshot', async () => {
    const bp = await create({ title: 'Gallery' });
    expect(bp).toMatchObject({ status: 'draft', version: 1, readiness: { ready: false } });
    const turn = await t.http.inject({
      method: 'POST',
      url: `/api/blueprints/${bp.id}/messages`,
      headers: h,
      payload: { content: 'add entity Photo with title:text!, url:url' },
    });
    expect(turn.statusCode, turn.body).toBe(200);
    const body = turn.json();
    expect(body.mode).toBe('rules');
    expect(body.blueprint.version).toBe(2);
    expect(body.blueprint.blueprint.sections.dataModel.entities[0].name).toBe('Photo');
    expect(body.snapshot.patch.length).toBeGreaterThan(0);
    const confused = (
      await t.http.inject({
        method: 'POST',
        url: `/api/blueprints/${bp.id}/messages`,
        headers: h,
        payload: { content: 'make it pop' },
      })
    ).json();
    expect(confused.reply).toMatch(/^I didn't understand/);
    expect(confused.snapshot.patch).toEqual([]);
    const snaps = (await t.http.inject({ url: `/api/blueprints/${bp.id}/snapshots`, headers: h })).json();
    expect(snaps.items.map((s: { version: number; kind: string }) => [s.version, s.kind])).toEqual([
      [1, 'create'],
      [2, 'chat'],
      [3, 'chat'],
    ]);
    expect(snaps.items[2]).toMatchObject({ message: 'make it pop' });
    const diff = (
      await t.http.inject({ url: `/api/blueprints/${bp.id}/diff?from=1&to=2`, headers: h })
    ).json();
    expect(
      diff.patch.some((op: { path: string }) => op.path.startsWith('/sections/dataModel/entities')),
    ).toBe(true);
  });

  it('applies a JSON Patch whole or not at all, with optimistic concurrency', async () => {
    const bp = await create({ template: 'crud-app' });
    const bad = await t.http.inject({
      method: 'PATCH',
      url: `/api/blueprints/${bp.id}`,
      headers: h,
      payload: [
        { op: 'replace', path: '/summary', value: 'changed' },
        { op: 'remove', path: '/sections/nope' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/op 1/);
    const after = (await t.http.inject({ url: `/api/blueprints/${bp.id}`, headers: h })).json();
    expect(after.version).toBe(1);
    expect(after.blueprint.summary).toBe(bp.blueprint.summary);
    const invalid = await t.http.inject({
      method: 'PATCH',
      url: `/api/blueprints/${bp.id}`,
      headers: h,
      payload: [
        { op: 'add', path: '/sections/dataModel/entities/-', value: { name: 'lowercase bad', fields: [] } },
      ],
    });
    expect(invalid.statusCode).toBe(400);
    const ok = await t.http.inject({
      method: 'PATCH',
      url: `/api/blueprints/${bp.id}`,
      headers: { ...h, 'if-match': '1' },
      payload: [{ op: 'replace', path: '/summary', value: 'A better summary' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, blueprint: { summary: 'A better summary' } });
    const stale = await t.http.inject({
      method: 'PATCH',
      url: `/api/blueprints/${bp.id}`,
      headers: { ...h, 'if-match': '1' },
      payload: [{ op: 'replace', path: '/summary', value: 'stale' }],
    });
    expect(stale.statusCode).toBe(409);
  });

  it('drafts a ready Blueprint from a prompt in autopilot, and refuses ready without override', async () => {
    const bp = await create({
      prompt: 'a photo gallery where visitors can like photos',
      template: 'crud-app',
    });
    expect(bp.status).toBe('ready');
    expect(bp.blueprint.assumptions.length).toBeGreaterThan(0);
    const empty = await create({ title: 'Empty' });
    const refused = await t.http.inject({
      method: 'POST',
      url: `/api/blueprints/${empty.id}/status`,
      headers: h,
      payload: { status: 'ready' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().unmet.length).toBeGreaterThan(0);
    const forced = await t.http.inject({
      method: 'POST',
      url: `/api/blueprints/${empty.id}/status`,
      headers: h,
      payload: { status: 'ready', override: true },
    });
    expect(forced.json().status).toBe('ready');
    const list = (
      await t.http.inject({ url: `/api/projects/${slug}/blueprints?limit=2`, headers: h })
    ).json();
    expect(list.items).toHaveLength(2);
    expect(list.nextCursor).not.toBeNull();
  });

  it('keeps other projects out', async () => {
    const bp = await create({ title: 'Private' });
    const stranger = bearer((await t.user('member')).token);
    expect((await t.http.inject({ url: `/api/blueprints/${bp.id}`, headers: stranger })).statusCode).toBe(
      403,
    );
    expect(
      (
        await t.http.inject({
          method: 'POST',
          url: `/api/blueprints/${bp.id}/messages`,
          headers: stranger,
          payload: { content: 'x' },
        })
      ).statusCode,
    ).toBe(403);
  });
});

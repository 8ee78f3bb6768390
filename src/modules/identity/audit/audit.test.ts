import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('audit log', () => {
  it('records every mutation with actor, action, target, request id and IP; admins filter and page it', async () => {
    const admin = await t.user('admin');
    const member = await t.user('member');
    const h = bearer(member.token);
    const calls: Array<{
      method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      url: string;
      payload?: object;
      action: string;
    }> = [
      {
        method: 'POST',
        url: '/api/projects',
        payload: { name: 'Audited', slug: 'audited' },
        action: 'project.create',
      },
      {
        method: 'PATCH',
        url: '/api/projects/audited',
        payload: { description: 'd' },
        action: 'project.update',
      },
      {
        method: 'PUT',
        url: `/api/projects/audited/members/${admin.user.username}`,
        payload: { role: 'viewer' },
        action: 'project.member.set',
      },
      {
        method: 'DELETE',
        url: `/api/projects/audited/members/${admin.user.username}`,
        action: 'project.member.remove',
      },
      {
        method: 'PUT',
        url: '/api/projects/audited/secrets/API_KEY',
        payload: { value: 'v-123456' },
        action: 'secret.create',
      },
      { method: 'DELETE', url: '/api/projects/audited/secrets/API_KEY', action: 'secret.delete' },
      { method: 'POST', url: '/api/tokens', payload: { scopes: ['read'] }, action: 'token.create' },
      { method: 'POST', url: '/api/projects/audited/archive', action: 'project.archive' },
      { method: 'POST', url: '/api/projects/audited/unarchive', action: 'project.unarchive' },
    ];
    for (const [i, c] of calls.entries()) {
      const res = await t.http.inject({
        method: c.method,
        url: c.url,
        headers: { ...h, 'x-request-id': `req-${i}` },
        payload: c.payload,
        remoteAddress: '10.1.2.3',
      });
      expect(res.statusCode, c.url).toBeLessThan(300);
    }
    const page = (
      await t.http.inject({
        url: `/api/audit?actor=${member.user.username}&limit=100`,
        headers: bearer(admin.token),
      })
    ).json();
    const byRequest = new Map(page.items.map((e: { requestId: string }) => [e.requestId, e]));
    for (const [i, c] of calls.entries()) {
      const entry = byRequest.get(`req-${i}`) as Record<string, unknown> | undefined;
      expect(entry, c.action).toMatchObject({
        action: c.action,
        actor: { name: member.user.username },
        ip: '10.1.2.3',
      });
    }
    // Paging: newest first, a cursor for the rest.
    const first = (await t.http.inject({ url: '/api/audit?limit=2', headers: bearer(admin.token) })).json();
    expect(first.items).toHaveLength(2);
    const second = (
      await t.http.inject({
        url: `/api/audit?limit=2&cursor=${first.nextCursor}`,
        headers: bearer(admin.token),
      })
    ).json();
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    expect((await t.http.inject({ url: '/api/audit', headers: h })).statusCode).toBe(403);
  });

  it('writes nothing when the mutation fails', async () => {
    const member = await t.user('member');
    const before = (await t.res.db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(member.token),
      payload: { name: 'dup', slug: 'audited' },
    });
    const after = (await t.res.db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    expect(after).toBe(before);
  });
});

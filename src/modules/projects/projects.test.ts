import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('projects', () => {
  it('creates a project with a derived, unique slug and lists it for its owner only', async () => {
    const alice = await t.user('member');
    const bob = await t.user('member');
    const first = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(alice.token),
      payload: { name: 'Photo Gallery!' },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      slug: 'photo-gallery',
      name: 'Photo Gallery!',
      role: 'owner',
      archived: false,
    });
    const second = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(alice.token),
      payload: { name: 'Photo  gallery' },
    });
    expect(second.json().slug).toBe('photo-gallery-2');

    const mine = await t.http.inject({ url: '/api/projects', headers: bearer(alice.token) });
    expect(mine.json().items.map((p: { slug: string }) => p.slug)).toEqual([
      'photo-gallery-2',
      'photo-gallery',
    ]);
    const theirs = await t.http.inject({ url: '/api/projects', headers: bearer(bob.token) });
    expect(theirs.json()).toEqual({ items: [], nextCursor: null });
    const denied = await t.http.inject({ url: '/api/projects/photo-gallery', headers: bearer(bob.token) });
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a taken explicit slug with 409 and a bad slug with 400 naming the field', async () => {
    const alice = await t.user('member');
    await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(alice.token),
      payload: { name: 'x', slug: 'taken-slug' },
    });
    const taken = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(alice.token),
      payload: { name: 'y', slug: 'taken-slug' },
    });
    expect(taken.statusCode).toBe(409);
    const bad = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(alice.token),
      payload: { name: 'y', slug: 'Bad Slug' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.slug');
    expect(bad.json().detail).toContain('body.slug');
  });

  it('paginates with a cursor', async () => {
    const carol = await t.user('member');
    for (let i = 0; i < 5; i++) {
      await t.http.inject({
        method: 'POST',
        url: '/api/projects',
        headers: bearer(carol.token),
        payload: { name: `page ${i}` },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/projects?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.http.inject({ url, headers: bearer(carol.token) })).json();
      seen.push(...page.items.map((p: { slug: string }) => p.slug));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
  });

  it('enforces project roles: viewers read, developers cannot rename, maintainers can, owners archive', async () => {
    const owner = await t.user('member');
    const dev = await t.user('member');
    const viewer = await t.user('member');
    const slug = (
      await t.http.inject({
        method: 'POST',
        url: '/api/projects',
        headers: bearer(owner.token),
        payload: { name: 'Roles' },
      })
    ).json().slug;
    for (const [u, role] of [
      [dev, 'developer'],
      [viewer, 'viewer'],
    ] as const) {
      const r = await t.http.inject({
        method: 'PUT',
        url: `/api/projects/${slug}/members/${u.user.username}`,
        headers: bearer(owner.token),
        payload: { role },
      });
      expect(r.statusCode).toBe(200);
    }
    expect(
      (await t.http.inject({ url: `/api/projects/${slug}`, headers: bearer(viewer.token) })).json().role,
    ).toBe('viewer');
    // Members in the order they were added, with their user names.
    const members = (
      await t.http.inject({ url: `/api/projects/${slug}/members`, headers: bearer(viewer.token) })
    ).json();
    expect(members.nextCursor).toBeNull();
    expect(members.items.map((m: { username: string; role: string }) => [m.username, m.role])).toEqual([
      [owner.user.username, 'owner'],
      [dev.user.username, 'developer'],
      [viewer.user.username, 'viewer'],
    ]);
    const rename = (token: string) =>
      t.http.inject({
        method: 'PATCH',
        url: `/api/projects/${slug}`,
        headers: bearer(token),
        payload: { name: 'Renamed' },
      });
    expect((await rename(viewer.token)).statusCode).toBe(403);
    expect((await rename(dev.token)).statusCode).toBe(403);
    await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/members/${dev.user.username}`,
      headers: bearer(owner.token),
      payload: { role: 'maintainer' },
    });
    expect((await rename(dev.token)).json().name).toBe('Renamed');
    expect(
      (
        await t.http.inject({
          method: 'POST',
          url: `/api/projects/${slug}/archive`,
          headers: bearer(dev.token),
        })
      ).statusCode,
    ).toBe(403);
    const archived = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/archive`,
      headers: bearer(owner.token),
    });
    expect(archived.json().archived).toBe(true);
    expect((await rename(owner.token)).statusCode).toBe(403);
    // The last owner cannot leave.
    const demote = await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/members/${owner.user.username}`,
      headers: bearer(owner.token),
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(403); // archived: read-only
  });
});

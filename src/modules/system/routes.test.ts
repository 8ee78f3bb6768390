import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ 'automation.chromiumPath': '/nonexistent/chromium' });
});
afterAll(async () => t?.close());

describe('GET /api/system/warnings and /ready', () => {
  it('lists what the machine lacks for signed-in users, with the fix, and /ready reports it without failing', async () => {
    expect((await t.http.inject({ url: '/api/system/warnings' })).statusCode).toBe(401);
    const member = await t.user('member', ['read']);
    const res = await t.http.inject({ url: '/api/system/warnings', headers: bearer(member.token) });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ id: string; status: string; summary: string; fix?: string }>;
    // This machine has everything else; only what is not ok is listed.
    expect(items).toEqual([
      {
        id: 'chromium',
        title: 'Chromium',
        status: 'fail',
        summary:
          'Chromium is missing at /nonexistent/chromium (automation.chromiumPath): verification of previews will fail',
        fix: 'Point ORCHARD_CHROMIUM_PATH (automation.chromiumPath) at a Chromium binary, or unset it and install it with: apt-get install chromium',
      },
    ]);
    const ready = await t.http.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      ok: true,
      warnings: [{ id: 'chromium', status: 'fail', summary: expect.stringMatching(/^Chromium is missing/) }],
    });
    expect(t.logs.some((l) => l.includes('Chromium is missing at /nonexistent/chromium'))).toBe(true);
  }, 60_000);
});
